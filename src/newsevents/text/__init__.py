"""Read, clean and date articles: the stages before any coding."""
