"""The language pipeline: spaCy, loaded once, and the rules that turn its output into actors."""
