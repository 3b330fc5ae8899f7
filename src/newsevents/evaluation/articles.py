"""Score coding on whole real articles against the article gold, through ``ingest``.

The gold (``../shared/gold/articles/gold.jsonl``, coded by ``ARTICLE_PROTOCOL.md``) names
corpus articles by id and holds every factual event of each: its root, acceptable other
roots, the two countries, the date and the sentences that report it (``quotes``).
``evaluate_articles`` writes the gold's corpus articles to a JSONL feed, ingests it into a
fresh DuckDB store as a user would (reading, cleaning, dating, coding) and compares the
stored events with the gold, by the protocol's matching rule:

- a predicted event is **right (lenient)** when a gold event of its article has its root
  (or an alternative root) and its country pair, in either order (a domestic pair is the
  one country; an unplaced side is a value of its own); **strict** also needs its sentence
  to contain the start of one of the gold event's quotes (or the quote the sentence's);
- precision counts stored events that are neither negated nor hypothetical; recall counts
  gold events found at least once (all, and the article's ``core`` events);
- date accuracy: over strictly found gold events that have a date, the share whose first
  matching prediction carries that day (and within a day);
- the **loss split** puts every strictly false event in one class: its sentence reports
  no gold event (``no_event_sentence``), reports one but with another root
  (``wrong_root``), or reports one with its root and another country pair
  (``wrong_pair``; ``unplaced_side`` when one of its sides has no country);
- missed gold events are split the same way: no event coded in any of its sentences,
  coded with another root, or with the root and another pair.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsevents.evaluation.gold import (
    GoldArticle,
    GoldEvent,
    Split,
    default_corpora,
    gold_file,
    line_of,
    load_article_gold,
    quoted_in,
    write_feed,
)
from newsevents.records import RECOVERED_PATTERN
from newsevents.settings import MIN_CONFIDENCE
from newsevents.text.dates import SURENESS, date_sureness

if TYPE_CHECKING:
    from newsevents.coding.coder import RulesHook
    from newsevents.coding.events import Coded
    from newsevents.coding.texts import Text

LOSS_CLASSES = ("no_event_sentence", "wrong_root", "wrong_pair")
MISS_CLASSES = ("sentence_not_coded", "coded_other_root", "coded_other_pair")
#: confidence thresholds of the precision-recall curve
THRESHOLDS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
HIGH_CONFIDENCE = 0.8
CALIBRATION_BINS = 10


@dataclass(frozen=True)
class Predicted:
    article: str
    sentence: str
    root: str
    cameo: str
    source: str | None
    target: str | None
    when: date | None
    confidence: float
    trigger: str | None
    source_name: str | None = None
    target_name: str | None = None
    date_how: str | None = None
    #: recovered by the sentence model where the rules found no side (``decide.recover``)
    recovered: bool = False

    @property
    def pair(self) -> frozenset[str | None]:
        return frozenset((self.source, self.target))


@dataclass
class Measure:
    """Precision over predicted events, recall over gold events (a gold event found by
    several predictions counts once)."""

    right: int = 0
    predicted: int = 0
    found: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "right": self.right,
            "predicted": self.predicted,
            "found": self.found,
            "gold": self.gold,
        }


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


@dataclass
class ArticleReport:
    split: str
    n_articles: int
    n_not_stored: int = 0
    strict: Measure = field(default_factory=Measure)
    lenient: Measure = field(default_factory=Measure)
    strict_core: Measure = field(default_factory=Measure)
    lenient_core: Measure = field(default_factory=Measure)
    date_matched: int = 0
    date_right: int = 0
    date_within_day: int = 0
    #: by how sure the date is (``text.dates.date_sureness``): [dated matches, right]
    date_by_sureness: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    loss: Counter[str] = field(default_factory=Counter)
    unplaced_side: int = 0
    misses: Counter[str] = field(default_factory=Counter)
    gold_sentences: int = 0
    gold_sentences_coded: int = 0
    events_in_non_political: int = 0
    per_root: dict[str, Measure] = field(default_factory=lambda: defaultdict(Measure))
    false_events: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    #: (confidence, strictly right, leniently right) of every predicted event
    scored: list[tuple[float, bool, bool]] = field(default_factory=list)
    #: whether each of ``scored`` was recovered by the sentence model (``Predicted.recovered``)
    recovered: list[bool] = field(default_factory=list)
    #: whether each factual event the rules coded and the sentence model dropped (rejected,
    #: or re-rooted onto a root the sentence already has for its pair) is strictly right:
    #: rated 0 in the Brier skill the floors hold (``confidence.pooled``)
    dropped: list[bool] = field(default_factory=list)
    #: every gold event's highest confidence among the predictions that find it, strictly
    #: and leniently (None: not found): a threshold finds it when it is at most that
    gold_best: list[tuple[float | None, float | None]] = field(default_factory=list)

    @property
    def date_accuracy(self) -> float:
        return self.date_right / self.date_matched if self.date_matched else 0.0

    def as_dict(self, lists: bool = False) -> dict[str, Any]:
        n = self.strict.predicted
        d: dict[str, Any] = {
            "kind": "articles",
            "split": self.split,
            "articles": self.n_articles,
            "articles_not_stored": self.n_not_stored,
            "strict": self.strict.as_dict(),
            "lenient": self.lenient.as_dict(),
            "strict_core_recall": round(self.strict_core.recall, 3),
            "lenient_core_recall": round(self.lenient_core.recall, 3),
            "date_accuracy": round(self.date_accuracy, 3),
            "date_within_a_day": _ratio(self.date_within_day, self.date_matched),
            "dated_matches": self.date_matched,
            "dates_by_sureness": {level: self._dates_at(level) for level in SURENESS},
            "loss": {
                "right": _ratio(self.strict.right, n),
                **{k: _ratio(self.loss[k], n) for k in LOSS_CLASSES},
                "unplaced_side": _ratio(self.unplaced_side, n),
                "counts": {
                    "right": self.strict.right,
                    **{k: self.loss[k] for k in LOSS_CLASSES},
                    "unplaced_side": self.unplaced_side,
                },
            },
            "missed": {k: self.misses[k] for k in MISS_CLASSES},
            "gold_event_sentences_coded": _ratio(self.gold_sentences_coded, self.gold_sentences),
            "events_in_non_political_articles": self.events_in_non_political,
            "per_root": {k: v.as_dict() for k, v in sorted(self.per_root.items())},
            "confidence": self._confidence(),
        }
        if lists:
            d["false_events"] = self.false_events
            d["missed_events"] = self.missed
        return d

    def at_threshold(self, t: float) -> tuple[Measure, Measure]:
        """Strict and lenient figures counting only the events of confidence at least ``t``."""
        kept = [(ok, lenient) for c, ok, lenient in self.scored if c >= t]
        n_gold = len(self.gold_best)
        strict = Measure(
            right=sum(ok for ok, _ in kept),
            predicted=len(kept),
            gold=n_gold,
            found=sum(1 for b, _ in self.gold_best if b is not None and b >= t),
        )
        lenient = Measure(
            right=sum(lz for _, lz in kept),
            predicted=len(kept),
            gold=n_gold,
            found=sum(1 for _, b in self.gold_best if b is not None and b >= t),
        )
        return strict, lenient

    def _dates_at(self, level: str) -> dict[str, Any]:
        matched, right = self.date_by_sureness.get(level, (0, 0))
        return {"matched": matched, "right": right, "accuracy": _ratio(right, matched)}

    def _confidence(self) -> dict[str, Any]:
        """How far an event's confidence says it is right: the figures at the default
        threshold (``settings.MIN_CONFIDENCE``), the precision-recall curve over thresholds,
        the expected calibration error and the events of confidence at least 0.8."""
        p = [c for c, _, _ in self.scored]
        high = [ok for c, ok, _ in self.scored if c >= HIGH_CONFIDENCE]
        ece = calibration_error([(c, ok) for c, ok, _ in self.scored])
        brier = brier_score([(c, ok) for c, ok, _ in self.scored])
        curve = [
            {
                "threshold": t,
                "strict_precision": round(s.precision, 3),
                "strict_recall": round(s.recall, 3),
                "lenient_precision": round(lz.precision, 3),
                "lenient_recall": round(lz.recall, 3),
                "events": s.predicted,
            }
            for t, (s, lz) in (
                (t, self.at_threshold(t)) for t in sorted({*THRESHOLDS, MIN_CONFIDENCE})
            )
        ]
        default = next((c for c in curve if c["threshold"] == MIN_CONFIDENCE), None)
        pairs = list(zip(self.scored, self.recovered, strict=True))
        by_rules = [(c, ok) for (c, ok, _), r in pairs if not r]
        by_model = [(c, ok) for (c, ok, _), r in pairs if r]
        pool = by_rules + [(0.0, ok) for ok in self.dropped]
        return {
            "threshold": MIN_CONFIDENCE,
            "at_threshold": default,
            "ece": round(ece, 3),
            "brier": round(brier, 4),
            # the events the rules code apart from those the sentence model recovers: a
            # recovered event's confidence lies mostly between 0.2 and 0.5, where even a
            # perfectly calibrated one adds about p(1 - p) to the mean (``decide.recover``)
            "brier_rules": round(brier_score(by_rules), 4),
            "brier_skill_rules": round(brier_skill(by_rules), 4),
            "right_share_rules": _ratio(sum(ok for _, ok in by_rules), len(by_rules)),
            # the floors hold this one: every factual event the rules coded, those the
            # sentence model dropped rated 0 (see ``brier_skill``)
            "pooled": {
                "events": len(pool),
                "dropped": len(self.dropped),
                "dropped_right": sum(self.dropped),
                "right_share": _ratio(sum(ok for _, ok in pool), len(pool)),
                "brier_skill": round(brier_skill(pool), 4),
            },
            "recovered": {
                "events": len(by_model),
                "strict_precision": _ratio(sum(ok for _, ok in by_model), len(by_model)),
                "brier": round(brier_score(by_model), 4),
            },
            "high_confidence_events": len(high),
            "high_confidence_share": _ratio(len(high), len(p)),
            "high_confidence_precision": _ratio(sum(high), len(high)),
            "curve": curve,
            "reliability": [
                {k: round(v, 4) if isinstance(v, float) else v for k, v in b.items()}
                for b in reliability([(c, ok) for c, ok, _ in self.scored])
            ],
        }


def reliability(
    scored: Sequence[tuple[float, bool]], bins: int = CALIBRATION_BINS
) -> list[dict[str, float]]:
    """Each confidence bin of equal width that holds events: its range, how many, their mean
    confidence and the share of them that is right (a reliability diagram's points)."""
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in scored if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inside:
            out.append(
                {
                    "low": lo,
                    "high": hi,
                    "events": len(inside),
                    "confidence": sum(c for c, _ in inside) / len(inside),
                    "right": sum(ok for _, ok in inside) / len(inside),
                }
            )
    return out


def calibration_error(scored: Sequence[tuple[float, bool]], bins: int = CALIBRATION_BINS) -> float:
    """The expected calibration error of ``(confidence, right)`` pairs: the gap between mean
    confidence and the share right in each bin, weighted by the bin's events."""
    n = max(1, len(scored))
    return sum(
        abs(b["confidence"] - b["right"]) * b["events"] / n for b in reliability(scored, bins)
    )


def brier_score(scored: Sequence[tuple[float, bool]]) -> float:
    """The mean squared gap between each event's confidence and 1 (right) or 0 (wrong): a
    proper score of confidence as P(right), calibration and sharpness together. Unlike the
    binned calibration error it moves by at most 1 / the events when one event changes (on
    the test part, resampling its 571 events moves the calibration error between 0.031 and
    0.074, nine times in ten, so the Brier score is the figure the floors hold)."""
    return sum((c - ok) ** 2 for c, ok in scored) / max(1, len(scored))


def brier_skill(scored: Sequence[tuple[float, bool]]) -> float:
    """The Brier skill score of ``(confidence, right)`` pairs: 1 - Brier / p(1 - p), where p
    is the share of them that is right, the Brier score of giving every one of them that
    share. 0 is no better than the share, 1 is every event told right from wrong. Unlike the
    Brier score itself it does not move with which events are coded, only with how well
    confidence rates them: dropping a wrong event rated 0.1 raises the Brier score of the rest
    (0.01 is under the mean) though the coder got better, and replacing wrong events with
    right ones rated near their base rate raises it too (on the train part out of fold, a
    change that dropped 40 wrong and 6 right events raised the Brier score of the rules'
    events from 0.1735 to 0.1753 and left this at 0.222)."""
    n = len(scored)
    right = sum(ok for _, ok in scored) / max(1, n)
    spread = right * (1 - right)
    return 1 - brier_score(scored) / spread if spread else 0.0


def _hits(art: GoldArticle, p: Predicted) -> tuple[list[GoldEvent], list[GoldEvent]]:
    """The gold events of ``art`` a prediction matches leniently (root and pair), and of
    those, strictly (its sentence quoted too)."""
    lenient = [g for g in art.events if p.root in g.roots and g.pair == p.pair]
    return lenient, [g for g in lenient if quoted_in(g.quotes, p.sentence)]


def _loss(p: Predicted, events: Sequence[GoldEvent]) -> str:
    here = [g for g in events if quoted_in(g.quotes, p.sentence)]
    if not here:
        return "no_event_sentence"
    if not any(p.root in g.roots for g in here):
        return "wrong_root"
    return "wrong_pair"


def _miss(g: GoldEvent, preds: Sequence[Predicted]) -> str:
    here = [p for p in preds if quoted_in(g.quotes, p.sentence)]
    if not here:
        return "sentence_not_coded"
    if not any(p.root in g.roots for p in here):
        return "coded_other_root"
    return "coded_other_pair"


def _false_row(art: GoldArticle, p: Predicted, loss: str, lenient: bool) -> dict[str, Any]:
    return {
        "kind": "false",
        "article": art.article,
        "loss": loss,
        "cameo": p.cameo,
        "source": p.source,
        "target": p.target,
        "source_name": p.source_name,
        "target_name": p.target_name,
        "date": p.when.isoformat() if p.when else None,
        "trigger": p.trigger,
        "confidence": p.confidence,
        "lenient_match": lenient,
        "sentence": p.sentence,
    }


def _missed_row(art: GoldArticle, g: GoldEvent, why: str, lenient: bool) -> dict[str, Any]:
    return {
        "kind": "missed",
        "article": art.article,
        "n": g.n,
        "why": why,
        "root": g.root,
        "alt_roots": sorted(g.roots - {g.root}),
        "source": g.source,
        "target": g.target,
        "date": g.when.isoformat() if g.when else None,
        "core": g.core,
        "found_lenient": lenient,
        "what": g.what,
        "quote": g.quotes[0] if g.quotes else "",
    }


def _score_article(
    rep: ArticleReport,
    art: GoldArticle,
    events: Sequence[Predicted],
    dropped: Sequence[Predicted] = (),
) -> None:
    rep.dropped.extend(bool(_hits(art, p)[1]) for p in dropped)
    if not art.political:
        rep.events_in_non_political += len(events)
    strict_by: dict[int, list[Predicted]] = defaultdict(list)
    lenient_found: set[int] = set()
    for p in events:
        lenient, strict = _hits(art, p)
        for m, hit in (
            (rep.lenient, lenient),
            (rep.strict, strict),
            (rep.per_root[p.root], strict),
        ):
            m.predicted += 1
            m.right += bool(hit)
        rep.scored.append((p.confidence, bool(strict), bool(lenient)))
        rep.recovered.append(p.recovered)
        lenient_found.update(g.n for g in lenient)
        for g in strict:
            strict_by[g.n].append(p)
        if not strict:
            loss = _loss(p, art.events)
            rep.loss[loss] += 1
            if loss == "wrong_pair" and (p.source is None or p.target is None):
                rep.unplaced_side += 1
            rep.false_events.append(_false_row(art, p, loss, bool(lenient)))
    coded_sentences = [p.sentence for p in events]
    for g in art.events:
        found = g.n in strict_by
        lenient_best = max(
            (p.confidence for p in events if p.root in g.roots and g.pair == p.pair), default=None
        )
        rep.gold_best.append(
            (max((p.confidence for p in strict_by.get(g.n, ())), default=None), lenient_best)
        )
        for m in (rep.strict, rep.lenient, rep.per_root[g.root]):
            m.gold += 1
        rep.strict.found += found
        rep.lenient.found += g.n in lenient_found
        rep.per_root[g.root].found += found
        if g.core:
            rep.strict_core.gold += 1
            rep.lenient_core.gold += 1
            rep.strict_core.found += found
            rep.lenient_core.found += g.n in lenient_found
        for q in g.quotes:
            rep.gold_sentences += 1
            rep.gold_sentences_coded += any(quoted_in((q,), s) for s in coded_sentences)
        if found and g.when is not None:
            first = strict_by[g.n][0]
            rep.date_matched += 1
            rep.date_right += first.when == g.when
            rep.date_within_day += first.when is not None and abs((first.when - g.when).days) <= 1
            tally = rep.date_by_sureness[date_sureness(first.date_how)]
            tally[0] += 1
            tally[1] += first.when == g.when
        if not found:
            why = _miss(g, events)
            rep.misses[why] += 1
            rep.missed.append(_missed_row(art, g, why, g.n in lenient_found))


def score(
    gold: Sequence[GoldArticle],
    preds: dict[str, list[Predicted]],
    split: str = "all",
    not_stored: int = 0,
    dropped: dict[str, list[Predicted]] | None = None,
) -> ArticleReport:
    """Compare predicted events with the gold, article by article (``dropped``: the rules'
    factual events the sentence model dropped, of each article, rated in the pooled skill
    only)."""
    rep = ArticleReport(split, len(gold), not_stored)
    for art in gold:
        _score_article(rep, art, preds.get(art.article, []), (dropped or {}).get(art.article, []))
    return rep


@dataclass
class Predictions:
    """What ``predict_through_ingest`` read back: the stored factual events of each gold
    article, the rules' factual events the sentence model dropped (rejected, or re-rooted
    onto a root its sentence already has for the pair), and how many articles were not
    stored."""

    events: dict[str, list[Predicted]]
    dropped: dict[str, list[Predicted]]
    not_stored: int


#: a rules' event before the model: (article id, sentence, code, source, target), the pair
#: as it would be stored (``EventView.final_source``)
RuleEvent = tuple[str, str, str, str | None, str | None]


def _rules_hook(coder: Any, into: list[RuleEvent]) -> RulesHook:
    """A rules hook (``ArticleCoder.on_rules``) that notes the rules' factual events of every
    coded sentence, with the pair each would be stored with."""
    from newsevents.learning.features import EventView

    def hook(t: Text, i: int, kept: list[Coded]) -> None:
        s, e = t.sentences[i]
        sentence = t.text[s:e]
        for c in kept:
            if not c.negated and not c.hypothetical:
                v = EventView.of(c, coder.kb, sentence)
                into.append((t.article_id, sentence, c.code, v.final_source, v.final_target))

    return hook


def _dropped(rules: Sequence[RuleEvent], stored: Sequence[Predicted], aid: str) -> list[Predicted]:
    """The rules' events of one article (``rules``, in the order coded) that no stored event
    of the rules keeps: in each sentence and pair, as many as the rules coded beyond those
    stored. A root some stored event of the pair has is kept first, then the earlier events
    (a re-rooted event keeps its pair, not its root; of two re-rooted onto one root, the
    sentence model keeps the first, ``decide.settle``)."""
    kept: Counter[tuple[str, frozenset[str | None]]] = Counter(
        (p.sentence, p.pair) for p in stored if not p.recovered
    )
    roots = {(p.sentence, p.pair, p.root) for p in stored if not p.recovered}
    out: list[Predicted] = []
    for rule in sorted(rules, key=lambda r: (r[1], frozenset((r[3], r[4])), r[2][:2]) not in roots):
        _a, sentence, code, src, tgt = rule
        key = (sentence, frozenset((src, tgt)))
        if kept[key] > 0:
            kept[key] -= 1
            continue
        out.append(Predicted(aid, sentence, code[:2], code, src, tgt, None, 0.0, None))
    return out


EVENTS_SQL = """
SELECT a.origin, e.sentence, e.cameo, e.source_country, e.target_country, e.event_date,
       e.confidence, e.trigger, e.source_name, e.target_name, e.date_how, e.pattern
FROM events e JOIN articles a USING (article_id)
WHERE NOT e.negated AND NOT e.hypothetical
ORDER BY a.origin, e.span_start, e.event_id
"""


def predict_through_ingest(
    gold: Sequence[GoldArticle],
    corpora: Path,
    coder: Any,
    workdir: Path,
) -> Predictions:
    """Ingest the gold's articles into a fresh store in ``workdir``, as a user would, and read
    back the factual events of each, and the rules' factual events the sentence model
    dropped; also how many articles were not stored (discarded or duplicates), whose events
    are then all missed. ``coder`` codes in this process (its rules hook sees the rules'
    events)."""
    from newsevents.jobs.ingest import ingest
    from newsevents.storage.store import Store

    feed = workdir / "article-gold.jsonl"
    order = write_feed(gold, corpora, feed)
    out: dict[str, list[Predicted]] = defaultdict(list)
    rules: list[RuleEvent] = []
    before = coder.on_rules
    coder.on_rules = _rules_hook(coder, rules)
    try:
        with Store(str(workdir / "article-gold.duckdb")) as store:
            ingest([str(feed)], store, coder=coder)
            ids = dict(store.con.execute("SELECT article_id, origin FROM articles").fetchall())
            for (
                origin,
                sentence,
                cameo,
                src,
                tgt,
                when,
                conf,
                trigger,
                src_name,
                tgt_name,
                how,
                pattern,
            ) in store.con.execute(EVENTS_SQL).fetchall():
                aid = order[line_of(origin) - 1]
                out[aid].append(
                    Predicted(
                        article=aid,
                        sentence=sentence or "",
                        root=str(cameo)[:2],
                        cameo=str(cameo),
                        source=src,
                        target=tgt,
                        when=when,
                        confidence=float(conf or 0),
                        trigger=trigger,
                        source_name=src_name,
                        target_name=tgt_name,
                        date_how=how,
                        recovered=str(pattern or "").startswith(RECOVERED_PATTERN),
                    )
                )
    finally:
        coder.on_rules = before
    by_article: dict[str, list[RuleEvent]] = defaultdict(list)
    for r in rules:
        if r[0] in ids:
            by_article[order[line_of(ids[r[0]]) - 1]].append(r)
    dropped = {aid: _dropped(rs, out.get(aid, []), aid) for aid, rs in by_article.items()}
    return Predictions(out, dropped, len(order) - len(ids))


def evaluate_articles(
    gold_path: Path,
    coder: Any,
    corpora: Path | None = None,
    split: Split = "test",
) -> ArticleReport:
    """Score ``coder`` on the article gold at ``gold_path`` (``split``: train, test or all),
    through ``ingest``."""
    gold = load_article_gold(gold_path, split)
    if not gold:
        raise ValueError(f"no coded articles in {gold_file(gold_path)} (split {split})")
    corpora = corpora or default_corpora(gold_path)
    with tempfile.TemporaryDirectory(prefix="newsevents-eval-") as tmp:
        found = predict_through_ingest(gold, corpora, coder, Path(tmp))
    return score(gold, found.events, split, found.not_stored, found.dropped)


def write_errors(report: ArticleReport, path: Path) -> int:
    """Write the false and the missed events, with their sentences, as JSON lines to read;
    returns how many lines were written."""
    rows = report.false_events + report.missed
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    return len(rows)
