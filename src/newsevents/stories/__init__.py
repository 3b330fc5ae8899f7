"""Stories: event mentions from many articles merged into real-world events."""
