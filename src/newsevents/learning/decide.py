"""The sentence model's say over the rules' events of one sentence.

After the patterns have coded a sentence of an article (``MIN_ARTICLE_SENTENCES``), the
model scores it (``SentenceModel.score``):

- when P(the sentence reports an event) is below the model's ``threshold``, the sentence's
  factual events are rejected: background, commentary and plans the patterns took for acts;
- when the model gives an event's root less than ``reroot_below`` and another root at least
  ``reroot_min``, the event takes that root (its base code, "040"): the pattern found an act
  between the two actors, the wording of the whole sentence says which kind.

In a sentence left with no rule event but candidates the rules rejected for want of a side
("no source", "no target"), where P(event) reaches ``recover_at``, one candidate is
recovered as an act of the article's home country on both sides, with the root the model
finds likeliest (``recover``; ``SentenceCoder.recoverable`` says which candidates qualify).
A placed speaker's words ("Russian Foreign Minister Sergei Lavrov said ...") are one more
candidate there, the speaker's statement (``SentenceCoder.statements``), taken only where
the model finds a root of words likeliest (``STATEMENT_ROOTS``).

Then every factual event left takes as its confidence the event scorer's P(the event is
right) (``learning.scorer``), in texts where the model decides, rated once the whole
article is coded (``decide`` and ``recover`` say which events are to be rated, ``ToRate``;
the coder rates an article's events together with ``rate``, each read with the article's
other events): the scorer learned from articles too, and on the PLV single sentences, where the most confident event is the
sentence's answer, P(right) chose worse than the rules' confidence (macro-F1 0.758 to
0.732). Negated and hypothetical events pass untouched, with the rules' confidence (they are
counted nowhere anyway). Each decision is written to the candidate list ``explain`` shows
and to the event's notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from newsevents.coding.events import Coded
from newsevents.coding.kb import KnowledgeBase
from newsevents.learning.features import Candidate, EventView, SentenceView
from newsevents.learning.model import Scores, SentenceModel
from newsevents.learning.scorer import EventKey, EventScorer, event_features, in_article


@dataclass(frozen=True)
class ToRate:
    """An event the scorer is to rate once its article is coded (``rate``): where it stands
    in the list of the article's events, its features (the article's not yet filled in),
    its key among the article's events, and whether the model decides its confidence (in
    a text too short for the model, the rules' confidence stands)."""

    position: int
    x: np.ndarray
    key: EventKey
    decides: bool


def view_of(
    text: str,
    index: int,
    n_sentences: int,
    audit: list[dict[str, Any]],
    kept: list[Coded],
    kb: KnowledgeBase | None = None,
    spare: Sequence[Coded] = (),
) -> SentenceView:
    """The sentence ``text`` as the rules left it (``kb``: to give each event the pair it is
    stored with; ``spare``: the candidates the rules found no side for, as home-country
    acts, ``SentenceCoder.recoverable``)."""
    return SentenceView(
        text=text,
        index=index,
        n_sentences=n_sentences,
        candidates=tuple(Candidate.of(c) for c in audit),
        events=tuple(EventView.of(c, kb, text) for c in kept),
        recoverable=tuple(EventView.of(c, kb, text) for c in spare),
    )


#: sentences a text needs for the model to have its say: it learned from whole articles (a
#: sentence's place and its article's length are among its features); a lone sentence or
#: two is coded by the rules alone (on the PLV sentences re-rooting lowered macro-F1 from
#: 0.756 to 0.744). The coder's home-country context starts at the same length.
MIN_ARTICLE_SENTENCES = 3


def applies(view: SentenceView) -> bool:
    return view.n_sentences >= MIN_ARTICLE_SENTENCES


#: roots whose author may stay unplaced when the act is aimed at a placed side: violence,
#: coercion and protest happen somewhere ("shot dead by unidentified attackers")
PLACED_BY_TARGET = frozenset({"14", "17", "18", "19", "20"})


def authorless(e: EventView, code: str) -> bool:
    """Whether an event of an article, coded ``code``, has an author placed nowhere, even
    after ``coding.record.domestic`` (not an international NGO, which the protocol leaves
    unplaced), for an act that is no violence, coercion or protest at a placed side: no one
    to count it for ("a prosecutor working with Mueller's team", "the material it was
    provided"). Of 177 such events the rules coded on the gold's train part, 6 were right."""
    return (
        e.final_source is None
        and e.source_how != "igo"
        and (e.final_target is None or code[:2] not in PLACED_BY_TARGET)
    )


def verdict(model: SentenceModel, s: Scores, code: str) -> str | None:
    """What the model makes of a factual event coded ``code`` in a sentence it scored ``s``:
    None (rejected), or the code it keeps (the same, or another root's base code)."""
    if s.p_event < model.threshold:
        return None
    best = max(s.roots, key=s.roots.__getitem__) if s.roots else code[:2]
    if (
        best != code[:2]
        and s.p_root(code) < model.reroot_below
        and s.roots[best] >= model.reroot_min
    ):
        return f"{best}0"
    return code


Pair = tuple[str | None, str | None]


def settle(model: SentenceModel, s: Scores, events: list[tuple[str, Pair]]) -> list[str | None]:
    """The code each factual event ``(code, (source, target))`` of a sentence ends with, or
    None when the model rejects it. An event re-rooted onto a root the rules gave the same
    pair is dropped: the rules' own event (its pattern, its confidence) stands."""
    codes = [verdict(model, s, code) for code, _pair in events]
    ruled = {
        (pair, code[:2]) for (code, pair), now in zip(events, codes, strict=True) if now == code
    }
    seen: set[tuple[Pair, str]] = set()
    out: list[str | None] = []
    for (_code, pair), now in zip(events, codes, strict=True):
        key = (pair, now[:2]) if now else None
        if now is None or key in seen or (now != _code and key in ruled):
            out.append(None)
            continue
        seen.add(key)
        out.append(now)
    return out


def decide(
    model: SentenceModel,
    view: SentenceView,
    kept: list[Coded],
    audit: list[dict[str, Any]] | None = None,
) -> tuple[list[Coded], Scores, list[ToRate]]:
    """The events of the sentence ``view`` the model lets stand (some with another root),
    and those of them the event scorer is to rate once the article is coded (``rate``).
    ``view.events`` are ``kept``'s, in order."""
    factual = [c for c in kept if not c.negated and not c.hypothetical]
    pending: list[ToRate] = []
    if not factual:
        return kept, Scores(p_event=1.0), pending
    s = model.score(view)
    decides = applies(view)
    pairs = [(c.code, (c.source.country, c.target.country)) for c in factual]
    settled = settle(model, s, pairs) if decides else [code for code, _ in pairs]
    final = {id(c): now for c, now in zip(factual, settled, strict=True)}
    out: list[Coded] = []
    for c, seen in zip(kept, view.events, strict=True):
        if id(c) not in final:  # negated or hypothetical: counted nowhere anyway
            out.append(c)
            continue
        now = final[id(c)]
        if now is not None and decides and authorless(seen, now):
            _audit(audit, c, now, "rejected", "an author the text places nowhere")
            continue
        if now is None:
            if s.p_event < model.threshold:
                why = f"the sentence model: P(this sentence reports an event) {s.p_event:.2f}, under {model.threshold:.2f}"
            else:
                why = (
                    "the sentence model's root for it is one the sentence already has for this pair"
                )
            _audit(audit, c, c.code, "rejected", why)
            continue
        if now != c.code:
            note = f"root {now[:2]} by the sentence model (P {s.p_root(now):.2f}; the pattern's {c.code[:2]}: {s.p_root(c.code):.2f})"
            c = replace(c, code=now, notes=[*c.notes, note])
            _audit(audit, c, now, "accepted", note)
        if model.scorer is not None and (decides or audit is not None):
            x = event_features(seen, now, view, s)
            pending.append(ToRate(len(out), x, EventKey.of(seen, now, view.index), decides))
        out.append(c)
    return out, s, pending


#: the roots a speaker's statement may be recovered as (``SentenceCoder.statements``): acts
#: of words; "X said Y attacked Z" is Y's attack, not X's
STATEMENT_ROOTS = frozenset({"01"})


def recovered_code(
    s: Scores, codes: Sequence[str], statements: Sequence[bool] = ()
) -> tuple[int, str] | None:
    """Which of a sentence's candidate codes ``codes`` recovery takes when the model scored
    the sentence ``s``, and the code it ends with: the first candidate of the patterns
    whose root is the model's likeliest, with its own code; else, for a root of words
    (``STATEMENT_ROOTS``), the first speaker's statement (``statements`` flags them), with
    that root's base code; else the first candidate of the patterns, with that base code."""
    if not codes or not s.roots:
        return None
    said = [k < len(statements) and statements[k] for k in range(len(codes))]
    best = max(s.roots, key=s.roots.__getitem__)
    for k, code in enumerate(codes):
        if code[:2] == best and not said[k]:
            return k, code
    if best in STATEMENT_ROOTS and any(said):
        return said.index(True), f"{best}0"
    if not all(said):
        return said.index(False), f"{best}0"
    return None


def pick(model: SentenceModel, s: Scores, spare: Sequence[EventView]) -> tuple[int, str] | None:
    """Which of the candidates ``spare`` of a sentence without rule events (scored ``s``)
    the model recovers, and the code it takes (``recovered_code``); none under
    ``model.recover_at``."""
    if model.recover_at is None or s.p_event < model.recover_at:
        return None
    return recovered_code(s, [e.code for e in spare], [e.source_how == "statement" for e in spare])


def recover(
    model: SentenceModel,
    view: SentenceView,
    spare: Sequence[Coded],
    audit: list[dict[str, Any]] | None = None,
) -> tuple[list[Coded], list[ToRate]]:
    """The event the model recovers in the sentence ``view``, which has no rule event but
    candidates the rules found no side for (``spare``, as acts of the article's home
    country on both sides; ``view.recoverable`` are their views): where the model is sure
    the sentence reports an act, the rules' failure to find who did it is more often an
    unplaced domestic actor than no event. It is to be rated by the event scorer, like the
    rules' events, once the article is coded (without a scorer, none is recovered: a
    recovered event has no rules' confidence to keep)."""
    if model.recover_at is None or model.scorer is None or not spare or not applies(view):
        return [], []
    s = model.score(view)
    picked = pick(model, s, view.recoverable)
    if picked is None:
        return [], []
    k, code = picked
    note = (
        f"recovered by the sentence model: P(event) {s.p_event:.2f} (from {model.recover_at:.2f}), "
        f"root {code[:2]} (P {s.p_root(code):.2f}); "
        + (
            "the speaker's statement"
            if spare[k].source_how == "statement"
            else "the rules found no side, both are the article's home country"
        )
    )
    c = replace(spare[k], code=code, notes=[*spare[k].notes, note])
    _audit(audit, c, code, "accepted", note)
    e = view.recoverable[k]
    x = event_features(e, code, view, s)
    return [c], [ToRate(0, x, EventKey.of(e, code, view.index), True)]


def rate(
    scorer: EventScorer,
    events: list[Coded],
    pending: Sequence[ToRate],
    n_sentences: int,
) -> list[Coded]:
    """``events`` (one article's) with the scorer's P(right) as the confidence of each one
    ``pending`` names, read with the article's other events (``scorer.in_article``), where
    the model decides, and a note of the score and the features that moved it most."""
    if not pending:
        return events
    x = in_article(np.stack([p.x for p in pending]), [p.key for p in pending], n_sentences)
    out = list(events)
    for p, row in zip(pending, x, strict=True):
        c = out[p.position]
        score = round(scorer.p_right(row), 3)
        moved = ", ".join(
            f"{name}={v:g} {push:+.2f}" for name, v, push in scorer.contributions(row)
        )
        said = "confidence" if p.decides else "in an article, its confidence would be"
        note = f"{said} {score:.2f} = P(right) by the event scorer; moved most by {moved}"
        out[p.position] = replace(
            c, confidence=score if p.decides else c.confidence, notes=[*c.notes, note]
        )
    return out


def _audit(
    audit: list[dict[str, Any]] | None, c: Coded, code: str, decision: str, reason: str
) -> None:
    if audit is not None:
        m = c.match
        audit.append(
            {
                "trigger": m.trigger.text,
                "kind": m.kind,
                "pattern": m.pattern.text,
                "code": code,
                "decision": decision,
                "reason": reason,
            }
        )
