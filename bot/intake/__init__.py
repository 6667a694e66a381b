"""News that flows in from outside the archive folder's text files: web pages, exports, WARC files and feeds.

Each source is turned into `Record`s, which become articles through the same parser and language pipeline as a
text file (bot/ingest.py).
"""
