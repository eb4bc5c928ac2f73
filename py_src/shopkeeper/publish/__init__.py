"""Publishing (CPython + numpy): merchant inputs in, a verified static model out."""
