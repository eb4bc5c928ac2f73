"""shopkeeper's stand-in for Jinja2's bytecode caches (../README.md): the same three names,
without pickle, tempfile and shutil (and what they import), which the original imports to
keep compiled templates on disk or in memcached. The worker compiles templates from
strings and keeps them in memory, and never passes an Environment a bytecode_cache."""

__all__ = ["BytecodeCache", "FileSystemBytecodeCache", "MemcachedBytecodeCache"]


class BytecodeCache:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("Jinja2's bytecode caches are not part of shopkeeper's browser runtime")


class FileSystemBytecodeCache(BytecodeCache):
    pass


class MemcachedBytecodeCache(BytecodeCache):
    pass
