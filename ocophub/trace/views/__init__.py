"""Trace's pages: the public resolver (resolver.py) and the staff batch pages (batches.py)."""
