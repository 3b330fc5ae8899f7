"""One document into an article: clean, date, language (the text stages, composed).

``build_article`` turns one ``RawDocument`` into an ``Article`` (or a ``Discard`` saying why
it cannot be one). Every job (``ingest``, the batch runner) builds articles through it.
"""

from __future__ import annotations

from newsevents.records import Article, Discard, RawDocument, article_id_for
from newsevents.text.clean import clean_text, outlet_credit
from newsevents.text.dates import publication_date
from newsevents.text.encoding import CUT_TAIL
from newsevents.text.language import detect_language


def build_article(doc: RawDocument) -> Article | Discard:
    """Clean and date one document.

    >>> a = build_article(RawDocument("x.txt", " date 2020-09-28 Moon met Putin in Seoul.", "txt"))
    >>> (a.published.isoformat(), a.published_how, a.clean_text)
    ('2020-09-28', 'header', 'Moon met Putin in Seoul.')
    """
    try:
        cleaned = clean_text(doc.text)
    except Exception as exc:  # a cleaning bug must not lose the document
        return Discard(doc.origin, "clean-failed", f"{type(exc).__name__}: {exc}")
    if not cleaned.text.strip():
        reasons = sorted({s.reason for s in cleaned.removed}) or ["whitespace"]
        return Discard(
            doc.origin, "empty-after-cleaning", "all text removed as " + ", ".join(reasons)
        )
    pub = publication_date(doc.published, cleaned.base, cleaned.dateline)
    return Article(
        article_id=article_id_for(cleaned.text),
        origin=doc.origin,
        fmt=doc.fmt,
        source=doc.source or outlet_credit(cleaned.base, cleaned.dateline),
        url=doc.url,
        title=doc.title or _first_line_title(cleaned.text),
        published=pub.value,
        published_how=pub.how,
        published_evidence=pub.evidence,
        language=detect_language(cleaned.text),
        raw_text=doc.text,
        clean_text=cleaned.text,
        removed=cleaned.removed,
        repairs=cleaned.repairs
        + (("cut-multibyte-char",) if (doc.encoding or "").endswith(CUT_TAIL) else ()),
    )


def _first_line_title(text: str) -> str | None:
    first = text.split("\n", 1)[0].strip()
    return first if 0 < len(first) <= 200 and not first.endswith(".") else None
