"""Extraction: mentions and relations from a spaCy Doc (the last stage that sees spaCy)."""
