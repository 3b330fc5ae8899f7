"""Speed: faster replacements for spaCy's layers and memory management."""
