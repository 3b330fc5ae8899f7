"""Learning from the article gold: sentences and candidates as data, the sentence model."""
