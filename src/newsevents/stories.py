"""Build and store stories from the events in a store (the merge stage over DuckDB).

``update_stories`` reads the event mentions that happened between two placed actors, one
dyad at a time (so memory follows the largest dyad, not the corpus), merges them into
stories (``merge.py``), replaces the ``stories`` and ``story_members``
tables and infers the publication date of undated articles that joined a dated story.
It is order-independent, so ingesting A then B gives the same stories as A and B together.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from .cameo import Lexicon, default_lexicon
from .merge import ArticleInfo, Mention, Story, coverage_groups, inferred_dates, merge_into_stories
from .store import Store

MENTIONS_SQL = """
SELECT e.event_id, e.article_id, a.source AS outlet,
       CASE WHEN a.published_how = 'inferred' THEN NULL ELSE a.published END AS published,
       e.event_date, e.source_country, e.target_country, e.source_name, e.target_name,
       e.cameo, e.location, e.sentence, e.confidence, e.date_how, e.source_person, e.target_person,
       a.published_how
FROM events e JOIN articles a USING (article_id)
WHERE NOT e.negated AND NOT e.hypothetical
  AND e.source_country IS NOT NULL AND e.target_country IS NOT NULL
  AND (e.source_country <> e.target_country
       OR coalesce(e.source_sector, '') <> coalesce(e.target_sector, ''))
  AND e.date_how NOT IN ('ongoing', 'year-only')
  AND e.confidence >= 0.5
"""


def _mention(r: dict) -> Mention:
    return Mention(
        event_id=r["event_id"], article_id=r["article_id"], outlet=r["outlet"],
        published=r["published"], date=r["event_date"],
        source=r["source_country"], target=r["target_country"],
        source_person=r["source_person"], target_person=r["target_person"],
        cameo=r["cameo"], location=r["location"], sentence=r["sentence"],
        confidence=r["confidence"] or 0.0,
    )


def mention_blocks(store: Store, chunk: int = 2000) -> Iterator[tuple[list[Mention], dict[str, str], set[str]]]:
    """The mentions of one dyad at a time, with their articles' texts and the undated ones
    among them: the merge never holds more than one dyad's mentions and texts."""
    cur = store.con.cursor()
    try:
        cur.execute(MENTIONS_SQL + " ORDER BY least(e.source_country, e.target_country), "
                    "greatest(e.source_country, e.target_country), e.event_id")
        names = [d[0] for d in cur.description]
        block: list[Mention] = []
        undated: set[str] = set()
        while rows := cur.fetchmany(chunk):
            for row in rows:
                r = dict(zip(names, row, strict=True))
                m = _mention(r)
                if block and m.dyad != block[-1].dyad:
                    yield block, _texts(store, block), undated
                    block, undated = [], set()
                block.append(m)
                if r["published_how"] in ("none", "inferred"):
                    undated.add(m.article_id)
        if block:
            yield block, _texts(store, block), undated
    finally:
        cur.close()


def _texts(store: Store, mentions: list[Mention]) -> dict[str, str]:
    ids = sorted({m.article_id for m in mentions})
    rows = store.query(
        "SELECT article_id, clean_text FROM articles WHERE article_id IN (SELECT unnest(?))", [ids])
    return {r["article_id"]: r["clean_text"] for r in rows}


def update_stories(store: Store, lexicon: Lexicon | None = None) -> list[Story]:
    """Merge every mention into stories, one dyad at a time, and store them."""
    stories: list[Story] = []
    undated: set[str] = set()
    for block, texts, block_undated in mention_blocks(store):
        stories += merge_into_stories(block, texts)
        undated |= block_undated
    stories.sort(key=lambda s: (s.date or date.max, s.dyad, s.story_id))
    lex = lexicon or default_lexicon()
    quad = {}
    for s in stories:
        info = lex.code(s.cameo_root)
        quad[s.story_id] = (info.plover, info.quad_class, info.goldstein)
    store.replace_stories(stories, inferred_dates(stories, undated), quad)
    store.replace_coverage(article_coverage(store, stories))
    return stories


def _coverage_rows(store: Store, chunk: int = 1000) -> Iterator[ArticleInfo]:
    """Articles streamed from the store a chunk at a time (never the whole corpus's text),
    undated first, then by date and id. Only the keys are sorted; the texts are fetched by
    id a chunk at a time (sorting the texts too made DuckDB hold the corpus's text)."""
    cur = store.con.cursor()
    try:
        cur.execute(
            "SELECT article_id, CASE WHEN published_how = 'inferred' THEN NULL ELSE published END AS day "
            "FROM articles WHERE language IN ('en', 'und') "
            "ORDER BY day NULLS FIRST, article_id"  # the order coverage_groups streams in
        )
        while keys := cur.fetchmany(chunk):
            texts = dict(store.con.execute(
                "SELECT article_id, clean_text FROM articles WHERE article_id IN (SELECT unnest(?))",
                [[k[0] for k in keys]]).fetchall())
            for article_id, published in keys:
                yield ArticleInfo(article_id, published, texts[article_id])
    finally:
        cur.close()


def article_coverage(store: Store, stories: list[Story]) -> dict[str, str]:
    """Article → coverage group: articles linked by a shared story or by content and date."""
    groups = coverage_groups(_coverage_rows(store))
    parent = dict(groups)

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for s in stories:
        ids = [a for a in s.article_ids if a in parent]
        for a in ids[1:]:
            ra, rb = find(ids[0]), find(a)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {a: find(a) for a in parent}
