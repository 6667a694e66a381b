"""Turning answers into text for a reader: `text` for the terminal (Discord's renderer joins it later)."""
