"""Helpers the cogs share: answering (with deferral and paging) and autocomplete choices."""
