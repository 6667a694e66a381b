"""Discord glue: one cog per feature, each a thin layer that calls bot.services and renders the answer."""
