"""Language identification of an article's clean text (py3langid, offline)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or ``und`` when too short to tell.

    >>> detect_language("The foreign ministers of both countries met in Seoul on Monday.")
    'en'
    """
    sample = text[:2000]
    if sum(c.isalpha() for c in sample) < 20:
        return "und"
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= 0.5 else "und"
