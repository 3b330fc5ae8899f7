"""The article gold's report as text: the summary lines ``newsevents eval`` prints and the
rows of its tables, from ``ArticleReport.as_dict()``."""

from __future__ import annotations

from typing import Any


def summary_lines(d: dict[str, Any], split: str) -> list[str]:
    """The figures of the report ``d`` (``ArticleReport.as_dict``) of the ``split`` part, one
    line each: counts, strict and lenient figures, dates, the loss split, the misses and the
    events at the stories' confidence threshold."""
    lines = [
        f"{d['articles']} articles ({split}), {d['strict']['gold']} gold events, "
        f"{d['strict']['predicted']} coded; {d['articles_not_stored']} articles not stored"
    ]
    for kind in ("strict", "lenient"):
        m = d[kind]
        lines.append(
            f"{kind:8} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  "
            f"core R {d[kind + '_core_recall']:.3f}"
        )
    sure = ", ".join(
        f"{level} {v['accuracy']:.2f} of {v['matched']}"
        for level, v in d["dates_by_sureness"].items()
    )
    lines.append(
        f"dates: {d['date_accuracy']:.3f} right, {d['date_within_a_day']:.3f} within a day "
        f"({d['dated_matches']} found events with a gold date); by how sure: {sure}"
    )
    loss = d["loss"]
    lines.append(
        f"coded events: right {loss['right']:.2f} | no-event sentence "
        f"{loss['no_event_sentence']:.2f} | wrong root {loss['wrong_root']:.2f} | wrong pair "
        f"{loss['wrong_pair']:.2f} (unplaced side {loss['unplaced_side']:.2f})"
    )
    mi = d["missed"]
    lines.append(
        f"missed gold events: sentence not coded {mi['sentence_not_coded']} | other root "
        f"{mi['coded_other_root']} | other pair {mi['coded_other_pair']}; gold event sentences "
        f"coded {d['gold_event_sentences_coded']:.2f}"
    )
    lines.append(
        f"events in articles with no political event: {d['events_in_non_political_articles']}"
    )
    c = d["confidence"]
    if c["at_threshold"]:
        t = c["at_threshold"]
        lines.append(
            f"at confidence >= {c['threshold']:.2f} (stories count these): {t['events']} "
            f"events, strict P {t['strict_precision']:.3f} R {t['strict_recall']:.3f}, lenient "
            f"P {t['lenient_precision']:.3f} R {t['lenient_recall']:.3f}; calibration error "
            f"{c['ece']:.3f}, Brier score {c['brier']:.4f}; confidence >= 0.8: "
            f"{c['high_confidence_events']} events "
            f"({c['high_confidence_share']:.2f}), {c['high_confidence_precision']:.2f} right"
        )
    r = c.get("recovered")
    if r and r["events"]:
        lines.append(
            f"recovered by the sentence model (the rules found no side): {r['events']} events, "
            f"strict P {r['strict_precision']:.3f}, Brier score {r['brier']:.4f}; the rules' "
            f"events: Brier score {c['brier_rules']:.4f}, skill {c['brier_skill_rules']:.3f} "
            f"over their share right ({c['right_share_rules']:.3f})"
        )
    pool = c.get("pooled")
    if pool and pool["events"]:
        lines.append(
            f"every factual event the rules coded ({pool['events']}; {pool['dropped']} dropped by "
            f"the sentence model, {pool['dropped_right']} of them right, rated 0): Brier skill "
            f"{pool['brier_skill']:.3f} over their share right ({pool['right_share']:.3f})"
        )
    return lines


def per_root_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per CAMEO root of the report ``d``: strict precision, recall and counts."""
    keys = ("precision", "recall", "right", "predicted", "found", "gold")
    return [{"root": k, **{x: v[x] for x in keys}} for k, v in d["per_root"].items()]


def false_rows(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The columns of the false events worth a table."""
    return [
        {k: e[k] for k in ("article", "loss", "cameo", "source", "target", "sentence")}
        for e in events
    ]


def missed_rows(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The columns of the missed gold events worth a table."""
    return [
        {k: e[k] for k in ("article", "why", "root", "source", "target", "what")} for e in events
    ]
