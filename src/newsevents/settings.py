"""Settings a user may want to know or change, in one place: the registry ``SETTINGS``.

Each setting has a name, a default, the environment variable that overrides it (if any) and
a line of help. Code reads a setting with ``value(name)``; ``newsevents settings`` lists
them with their values now; the README's table lists them all (``tests/test_settings.py``
checks that, and that the package reads no ``NEWSEVENTS_*`` variable the registry does not
name). Only settings that hold across stages live here; a stage's own tuning stays beside
its code.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

#: The least confidence for an event to count in stories and timelines (and so in the
#: GDELT export of stories) and to be listed by default (``/events``, ``/events.csv``):
#: events under it are stored and flagged "low confidence" and make no story (one may join a
#: story other articles made, as one more source: ``stories.merge.ATTACH_MIN_CONFIDENCE``),
#: so the timelines never count one. An event's
#: confidence is the event scorer's P(it is right) (``learning.scorer``). Where the
#: scorer's out-of-fold F0.5 on the article gold's train part peaks (precision weighed
#: twice: a user trusts what a timeline shows; recall of the gold events, as ``eval``
#: counts it): 0.35, where 0.53 of the events kept are right, 0.71 of the right ones are
#: kept and F0.5 is 0.412 (0.410 at 0.3, 0.399 at 0.4; ``newsevents train`` prints the
#: curve; a test checks the shipped model peaks there and keeps to
#: ``learning.train.MIN_KEPT_PRECISION``).
#: It was 0.3 until the sentence model recovered events the rules found no side for; the
#: scorer's F0.5 peaked at 0.35 before that too (0.563 against 0.549 at 0.3).
#: ``newsevents eval`` reports precision and recall at it, the precision-recall curve over
#: confidences and how well calibrated they are. Fixed, not read from the environment:
#: stories, exports and the pages must agree on it (``export --min-confidence`` and the
#: ``/events`` filter choose another for one listing).
MIN_CONFIDENCE = 0.35


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | float
    env: str | None  # the environment variable that overrides the default
    help: str

    def value(self) -> str | float:
        """The setting now: the environment's value (typed as the default), else the default."""
        raw = os.environ.get(self.env) if self.env else None
        if raw is None or raw == "":
            return self.default
        return type(self.default)(raw)


def _cache_default() -> str:
    return os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "newsevents"
    )


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "newsevents.duckdb", "NEWSEVENTS_DB",
            "The store every command reads and writes unless --db names another."),
    Setting("min_confidence", MIN_CONFIDENCE, None,
            "The least confidence, P(the event is right), for an event to count in stories, "
            "timelines and exports; events under it are kept and flagged."),
    Setting("corpora", "", "NEWSEVENTS_CORPORA",
            "The folder of the corpus files the article gold names (eval, sentences, train; "
            "default: corpora/ beside the gold's folder)."),
    Setting("cache", _cache_default(), "NEWSEVENTS_CACHE",
            "Where the built gazetteer is kept between runs ($XDG_CACHE_HOME/newsevents or "
            "~/.cache/newsevents)."),
    Setting("outlines", os.path.join(sys.prefix, "share", "newsevents", "countries-110m.json"),
            "NEWSEVENTS_OUTLINES",
            "The world-atlas country outlines the map draws (make install fetches them)."),
    Setting("duckdb_memory", "64MB", "NEWSEVENTS_DUCKDB_MEMORY",
            "DuckDB's memory limit for ingest and batch runs (its page cache fills up to it)."),
    Setting("serve_memory", "1GB", "NEWSEVENTS_SERVE_MEMORY",
            "DuckDB's memory limit for a store opened to serve reads (shared by concurrent "
            "requests)."),
    Setting("speedups", "on", "NEWSEVENTS_SPEEDUPS",
            "off: spaCy's own pipeline, without this package's faster layers and components "
            "(the same annotations, slower; to rule them out when a parse looks wrong)."),
    Setting("debug", "", "NEWSEVENTS_DEBUG",
            "Any value: an unforeseen failure prints its traceback instead of one line."),
)  # fmt: skip

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> Setting:
    return _BY_NAME[name]


def value(name: str) -> str | float:
    """The setting ``name`` now (the environment overriding its default)."""
    return _BY_NAME[name].value()
