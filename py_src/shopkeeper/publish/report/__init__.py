"""`shopkeeper report`: one self-contained HTML page for the merchant (report.py builds it)."""
