"""Quality evaluation on the development data in ../shared/eval (read at run time, never copied)."""
