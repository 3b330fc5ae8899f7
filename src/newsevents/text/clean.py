"""Clean stage: strip the web's noise from an article's text, recording every cut.

The input is a document's raw text; the output is a ``Cleaned`` record with the clean
text and every removed span (offsets into ``Cleaned.base``, the raw text after encoding
repair) with a reason:

- ``date-header``: a crawler's ``date YYYY-MM-DD`` line prefix (the date is kept as metadata);
- ``dateline``: a wire dateline prefix such as ``SEOUL (Agency - 21st September, 2020)``,
  ``SEATTLE/WASHINGTON (Reuters) -`` or ``SAN SALVADOR, 3 JAN 90 --``;
- ``editorial-tag``: the editor's tags after such a dateline (``[TEXT]``, ``[Excerpt]``);
- ``breadcrumb``: ``Home > News > Korea >`` navigation;
- ``headline-list``: a run of short bulleted headlines unrelated to the story;
- ``seo-spam``: repeated product phrases and link-farm runs;
- ``repeated-paragraph``: a paragraph (title, caption, lead) already seen; the first is kept;
- ``boilerplate``: share, subscribe, cookie, comment and advertisement lines.

>>> c = clean_text("Home > World > Asia > Talks\\nA met B.\\nA met B.\\nShare this article")
>>> c.text
'Talks\\n\\nA met B.'
>>> sorted(s.reason for s in c.removed)
['boilerplate', 'breadcrumb', 'repeated-paragraph']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import ftfy

from newsevents.records import Cleaned, Dateline, RemovedSpan

DATE_HEADER = re.compile(r"\s*date[:\s]+\d{4}-\d{2}-\d{2}(?:[T ][\d:]+Z?)?\s*", re.I)
# CITY (Agency - 21st September, 2020)   /   CITY, March 23 (Reuters) -   /   CITY, 3 JAN 90 (EFE) --
DATELINE = re.compile(
    r"\s*(?P<city>[A-Z][A-Z.'\- ]{1,40}?(?:,\s*[A-Z][A-Za-z.\- ]{1,30}?)?"
    r"(?:/[A-Z][A-Z.'\- ]{1,40}?)*)"
    r"(?:,\s*(?P<date1>[A-Za-z0-9 .,]{3,30}?))?\s*"
    r"\((?P<paren>[^()\n]{2,100})\)\s*(?:[-\u2013\u2014]{1,2}\s*)?"
)
#: a dateline with the day the story was filed and no wire's parenthesis, as translated
#: agency copy opens (FBIS): "SAN SALVADOR, 3 JAN 90 --", "Lima, 5 Oct 88 (EL COMERCIO) --",
#: "ROME (ITALY), 11 JAN 90 --"; the double dash and a month's name make it one
FILED_DATELINE = re.compile(
    r"\s*(?P<city>(?-i:[A-Z])[A-Za-z.'\- ]{1,40}?(?:\s*\([A-Za-z.'\- ]{2,30}\))?),\s*"
    r"(?P<date1>\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?"
    r"\s+\d{2,4})(?:\s*\((?P<paren>[^()\n]{2,100})\))?\s*--\s*",
    re.I,
)
#: the editor's tags that open translated agency copy after its dateline: "[TEXT]",
#: "[Excerpt]", "[REPORT] [ARMED FORCES PRESS COMMITTEE, COPREFA] [TEXT]"
EDITORIAL_TAGS = re.compile(r"(?:\[[A-Za-z][^\[\]\n]{0,118}\]\s*)+")
BREADCRUMB = re.compile(r"\s*(?:(?:home|news|[\w&',.\- ]{1,30})\s*(?:>|»|›|/|\|)\s*){2,}", re.I)
BULLET = re.compile(r"^\s*(?:[-*•·▪►]|\d{1,2}[.)])\s+\S")
BOILERPLATE = re.compile(
    r"^\W*(?:share (?:this|on|via)|share:|tweet this|follow us|subscribe|sign up for|"
    r"newsletter|we use cookies|accept (?:all )?cookies|cookie (?:policy|settings)|"
    r"leave a comment|\d+ comments?|comments? \(\d+\)|click here|read more|related (?:articles|stories|news)|"
    r"advertisement|sponsored|all rights reserved|copyright ©|©\s*\d{4}|print this|email this|"
    r"facebook\s+twitter|recommended for you|most (?:read|popular)|you may also like)",
    re.I,
)
WIRES = re.compile(
    r"\b(?:reuters|ap|afp|upi|yonhap|xinhua|sputnik|tass|ria|efe|dpa|ansa|kyodo|jiji|ani|pti|ians|"
    r"bernama|anadolu|aa|irna|kuna|wam|spa|mena|kcna|cna|pna|apa|bbc|cnn|bloomberg|news|press|wire|agency)\b",
    re.I,
)
#: What ftfy may change in plain ASCII text (HTML entities, CR, terminal escapes, controls).
ASCII_FIXABLE = re.compile(r"[&\r\x00-\x08\x0b-\x1f\x7f]")
URL = re.compile(r"https?://\S+|www\.\S+")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.U)


@dataclass
class _Para:
    start: int
    end: int
    text: str


def repair_encoding(text: str) -> tuple[str, tuple[str, ...]]:
    """Fix mojibake with ftfy, keeping curly quotes; report what was repaired.

    >>> repair_encoding("CafÃ© au lait")
    ('Café au lait', ('mojibake',))
    """
    if text.isascii() and not ASCII_FIXABLE.search(text):
        return text, ()  # nothing ftfy could change: no mojibake, entity or control char
    repairs: list[str] = []
    fixed = ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=True, normalization="NFC")
    if fixed != text:
        repairs.append("mojibake")
    if "\ufffd" in fixed:
        repairs.append("replacement-char")
    return fixed, tuple(repairs)


def _paragraphs(text: str) -> list[_Para]:
    """Split into paragraphs: non-empty lines, with hard-wrapped lines joined."""
    paras: list[_Para] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        start, end = pos, pos + len(body)
        pos += len(line)
        if not body.strip():
            paras.append(_Para(start, start, ""))  # blank line marker
            continue
        prev = paras[-1] if paras else None
        if (
            prev is not None
            and prev.text
            and not re.search(r"[.!?:;\"”’)\]]\s*$", prev.text)
            and re.match(r"\s*[a-z]", body)
            and len(prev.text) > 40
        ):
            prev.end = end
            prev.text = text[prev.start : end]
            continue
        paras.append(_Para(start, end, body))
    return [p for p in paras if p.text.strip()]


@lru_cache(maxsize=256)  # a paragraph is tested for a spam tail, for spam, then normalized
def _tokens(text: str) -> tuple[str, ...]:
    if text.isascii():  # lower-casing ASCII first finds the same words, lower-cased
        return tuple(WORD.findall(text.lower()))
    # not the whole text: "İ" lower-cases to two characters, the second no letter
    return tuple(w.lower() for w in WORD.findall(text))


def spam_score(text: str) -> float:
    """Share of words inside repeated word n-grams (2 to 4 words). 0 = prose, 1 = pure spam.

    >>> spam_score("cheap shoes outlet cheap shoes outlet cheap shoes outlet cheap shoes") > 0.8
    True
    >>> spam_score("The minister met his counterpart in Seoul on Monday to discuss trade.") < 0.2
    True
    """
    toks = _tokens(text)
    if len(toks) < 8:
        return 0.0
    covered = [False] * len(toks)
    for n in (2, 3, 4):
        grams = list(zip(*(toks[k:] for k in range(n)), strict=False))
        hot = {g for g, c in Counter(grams).items() if c >= 3}
        if not hot:
            break  # an (n+1)-gram seen three times holds an n-gram seen three times
        for i, g in enumerate(grams):
            if g in hot:
                covered[i : i + n] = [True] * n
    return sum(covered) / len(toks)


def _is_spam(text: str) -> bool:
    toks = _tokens(text)
    if len(toks) < 8:
        return False
    if len(set(toks)) / len(toks) > 0.75 and not URL.search(text):
        return False  # varied prose: no repeated runs to find
    urls = len(URL.findall(text))
    if urls >= 3 and urls * 4 >= len(toks):
        return True
    if spam_score(text) >= 0.6:
        return True
    # keyword stuffing without sentences: low lexical diversity, no sentence punctuation
    diversity = len(set(toks)) / len(toks)
    return len(toks) >= 20 and diversity < 0.35 and text.count(".") <= 1


def _spam_tail(text: str) -> int | None:
    """Offset where a spam run starts inside a paragraph whose head is prose, or None."""
    toks = _tokens(text)
    if len(toks) < 24:
        return None
    # fast exit: spam repeats itself; prose rarely repeats a word pair three times at its end
    last = toks[-40:]
    pairs = Counter(zip(last, last[1:], strict=False))
    if not pairs or pairs.most_common(1)[0][1] < 3:
        return None
    start: int | None = None
    bounds = [m.end() for m in re.finditer(r"[.!?)\]”\"]\s+", text)]
    for b in reversed(bounds):  # grow the tail backwards while it stays spam
        tail = text[b:]
        if len(_tokens(tail)) >= 12 and _is_spam(tail):
            start = b
        elif start is not None:
            break
    if start is None or _is_spam(text[:start]) or not _tokens(text[:start]):
        return None
    return start


def _norm(text: str) -> str:
    return " ".join(_tokens(text))


CAPTION = re.compile(
    r"^\s*(?:this (?:photo|picture|image|file photo|handout)|\(?photo\b|\(?file photo|"
    r"[^.]{0,200}\((?:yonhap|reuters|ap|afp|getty images|epa|xinhua)(?: photo)?\)\s*$)",
    re.I,
)


#: a line that opens a block of links to other stories: "MOST READ", "Related stories",
#: "More from BBC News", "Top stories", "You may also like", CNN's "JUST WATCHED"
SECTION_MARKER = re.compile(
    r"^\W*(?:most (?:read|popular|viewed|shared)|related(?: (?:stories|articles|news|coverage|content|topics|links))?|"
    r"more (?:from|on this story|stories|news|videos|top stories)\b.*|top stories|trending(?: now)?|"
    r"you (?:may|might) also like|recommended(?: for you)?|read (?:more|next|also)|see also|"
    r"just watched|must watch|latest (?:news|stories|headlines)|editor'?s picks|popular now)\W*$",
    re.I,
)
#: the end of a video block ("Replay More Videos ...")
VIDEO_TAIL = re.compile(r"^\W*replay\b.*\bmore videos\b", re.I)


def _headline_like(text: str) -> bool:
    """A line that reads as another story's headline: short, no full stop at its end."""
    t = BULLET.sub("", text).strip() if BULLET.match(text) else text.strip()
    words = t.split()
    return 0 < len(words) <= 16 and not t.endswith((".", "!", "?", ";", ":", '"', "\u201d"))


def _marked_lists(paras: list[_Para]) -> list[tuple[int, int]]:
    """Index ranges [i, j) of a section marker and the headline-like lines after it (a
    list of other stories), and of a video block through its "Replay More Videos" line."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(paras):
        text = paras[i].text.strip()
        if len(text.split()) <= 6 and not text.endswith(".") and SECTION_MARKER.match(text):
            j = i + 1
            while j < len(paras) and (
                _headline_like(paras[j].text) or VIDEO_TAIL.match(paras[j].text)
            ):
                j += 1
            runs.append((i, j))
            i = j
        elif VIDEO_TAIL.match(text):
            runs.append((i, i + 1))
            i += 1
        else:
            i += 1
    return runs


def _headline_runs(paras: list[_Para]) -> list[tuple[int, int]]:
    """Index ranges [i, j) of runs of three or more short bulleted lines (headline lists)."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(paras):
        j = i
        while j < len(paras) and BULLET.match(paras[j].text) and len(paras[j].text) <= 160:
            j += 1
        if j - i >= 3:
            items = [paras[k].text for k in range(i, j)]
            # headlines do not end in a full stop; genuine bullet prose mostly does
            unpunctuated = sum(1 for t in items if not t.rstrip().endswith((".", ";", ":")))
            at_edge = i == 0 or j == len(paras)
            if unpunctuated >= 0.7 * len(items) and (at_edge or j - i >= 5):
                runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def clean_text(raw: str) -> Cleaned:
    """Clean one article's text. Never raises on any string input."""
    base, repairs = repair_encoding(raw)
    paras = _paragraphs(base)
    removed: list[RemovedSpan] = []
    keep: list[tuple[int, int]] = []  # kept (start, end) per paragraph, in order

    def cut(start: int, end: int, reason: str) -> None:
        if end > start:
            removed.append(RemovedSpan(start, end, reason, base[start:end]))

    drop: dict[int, str] = {}
    for i, j in _headline_runs(paras):
        for k in range(i, j):
            drop[k] = "headline-list"
    for i, j in _marked_lists(paras):
        for k in range(i, j):
            drop.setdefault(k, "related-headlines")

    seen: dict[str, int] = {}
    kept_norms: list[str] = []
    dateline: Dateline | None = None
    for idx, p in enumerate(paras):
        start, end = p.start, p.end
        if idx in drop:
            cut(start, end, drop[idx])
            continue
        # prefixes: date header, breadcrumb, dateline (in this order, as crawlers write them)
        m = DATE_HEADER.match(base, start, end)
        if m and m.end() > start:
            cut(start, m.end(), "date-header")
            start = m.end()
        m = BREADCRUMB.match(base, start, end)
        if m and _looks_like_breadcrumb(m.group(0)):
            cut(start, m.end(), "breadcrumb")
            start = m.end()
        if len(keep) < 4:  # a dateline opens the story (after any headline list)
            m = DATELINE.match(base, start, end)
            if not (m and _looks_like_dateline(m)):
                m = FILED_DATELINE.match(base, start, end)
            if m:
                cut(start, m.end(), "dateline")
                start = m.end()
                dateline = dateline or _dateline(m)
                tags = EDITORIAL_TAGS.match(base, start, end)
                if tags:
                    cut(start, tags.end(), "editorial-tag")
                    start = tags.end()
        text = base[start:end]
        if not text.strip():
            continue
        if BOILERPLATE.match(text) and len(text) < 200:
            cut(start, end, "boilerplate")
            continue
        tail = _spam_tail(text)
        if tail is not None:
            cut(start + tail, end, "seo-spam")
            end = start + tail
            text = base[start:end]
        elif _is_spam(text):
            cut(start, end, "seo-spam")
            continue
        norm = _norm(text)
        if norm and norm in seen:
            cut(start, end, "repeated-paragraph")
            continue
        if norm:
            seen[norm] = idx
        keep.append((start, end))
        kept_norms.append(norm)

    # a short paragraph (a lead or caption) contained in a longer kept one repeats it
    final: list[tuple[int, int]] = []
    for (start, end), norm in zip(keep, kept_norms, strict=True):
        if len(norm) >= 40 and any(
            other != norm and norm in other for other in kept_norms if len(other) > len(norm)
        ):
            cut(start, end, "repeated-paragraph")
            continue
        final.append((start, end))

    text = "\n\n".join(" ".join(base[s:e].split()) for s, e in final)
    removed.sort(key=lambda s: s.start)
    return Cleaned(text, base, tuple(removed), repairs, dateline)


def _looks_like_breadcrumb(crumb: str) -> bool:
    parts = [p.strip() for p in re.split(r">|»|›|/|\|", crumb) if p.strip()]
    return len(parts) >= 2 and all(len(p.split()) <= 4 for p in parts)


def _dateline(m: re.Match[str]) -> Dateline:
    """The dateline ``DATELINE`` or ``FILED_DATELINE`` matched, as cleaning keeps it."""
    return Dateline(m.group(0), m.group("city").strip(), m.group("date1"), m.group("paren") or "")


def _looks_like_dateline(m: re.Match[str]) -> bool:
    city = m.group("city").strip()
    if not re.sub(r"[ .,/-]", "", city).isalpha():
        return False
    letters = [c for c in city if c.isalpha()]
    upper_city = sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    paren = m.group("paren")
    has_date = bool(re.search(r"\d", paren)) or bool(m.group("date1"))
    wire = bool(WIRES.search(paren))
    return upper_city and len(letters) >= 3 and (has_date or wire)


_CREDIT_END = re.compile(r"\((?P<name>[A-Z][A-Za-z.&' ]{1,40}?)(?: Photo)?\)\s*$")


def outlet_credit(text: str, dateline: Dateline | None = None) -> str | None:
    """The outlet credited in the text when no metadata names it: a trailing ``(Yonhap)``
    or the agency in the wire dateline cleaning found (``Cleaned.dateline``).

    >>> outlet_credit("Moon met Putin. (Yonhap)")
    'Yonhap'
    >>> c = clean_text("SEOUL (Pakistan Point News / Sputnik - 21st September, 2020) Talks.")
    >>> outlet_credit(c.base, c.dateline)
    'Pakistan Point News / Sputnik'
    """
    stripped = text.rstrip()
    m = _CREDIT_END.search(stripped[-80:])
    if m:
        return m.group("name").strip()
    if dateline is not None:
        agency = re.split(r"\s+[-\u2013\u2014]\s+|,\s*\d", dateline.paren)[0].strip()
        if agency and not re.search(r"\d", agency):
            return agency
    return None
