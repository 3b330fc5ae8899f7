"""Evaluation: coding scored against human-labelled gold."""
