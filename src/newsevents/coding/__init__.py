"""Event coding: knowledge base, lexicon, spaCy pipeline, actors, triggers, events."""
