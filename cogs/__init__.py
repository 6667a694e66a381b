"""Discord glue: one cog per feature, each a thin layer over bot.services (filled by the bot issue)."""
