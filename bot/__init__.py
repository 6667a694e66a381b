"""Newsdesk: a self-hosted news-intelligence bot for Discord."""

__version__ = "0.1.0"
