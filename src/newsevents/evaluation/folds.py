"""The article gold's train part scored out of fold: each article coded by a sentence model
and event scorer that never saw it.

``newsevents eval --split train`` codes the train articles with the shipped model, which was
fitted on them: its figures there are in-sample (a speech-act rule tried on the train part
coded three times as many events there as out of fold). To tune on the train part honestly,
``evaluate_out_of_fold`` splits its articles into the training folds (``learning.train``),
fits a model on the other folds and the hand-labelled sentences, and codes each fold's
articles through ``ingest`` with it; the events of all folds are scored together.

Every fold's model takes the settings (threshold, re-rooting, recovery) that ``make train``
chooses on the whole train part, out of fold too: when each fold chose its own from four
fifths of the articles, a change of the rules by one event could flip a fold's choice (its
recovery threshold from 0.65 to 0.7, say) and move the figures by five events or more, so
they could not tell a better rule from a flipped setting.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from newsevents.evaluation.articles import ArticleReport, Predicted, predict_through_ingest, score
from newsevents.evaluation.gold import default_corpora, load_article_gold


def evaluate_out_of_fold(
    gold_path: Path, corpora: Path | None = None, limit: int | None = None
) -> ArticleReport:
    """Score the gold's train part (its first ``limit`` articles, when given) out of fold
    (see the module's text; needs scikit-learn)."""
    from newsevents.coding.coder import ArticleCoder
    from newsevents.learning.dataset import extra_rows, labelled_sentences
    from newsevents.learning.train import FOLDS, fold_of, train

    gold = load_article_gold(gold_path, "train")[:limit]
    if not gold:
        raise ValueError(f"no train articles in the article gold at {gold_path}")
    corpora = corpora or default_corpora(gold_path)
    coder = ArticleCoder(learned=False)  # the rules' own output is what each model learns over
    preds: dict[str, list[Predicted]] = {}
    dropped: dict[str, list[Predicted]] = {}
    not_stored = 0
    try:
        rows = labelled_sentences(gold_path, coder, "train", corpora, limit) + extra_rows(coder)
        settings = train(rows)
        with tempfile.TemporaryDirectory(prefix="newsevents-folds-") as tmp:
            for k in range(FOLDS):
                held = [a for a in gold if fold_of(a.article) == k]
                if not held:
                    continue
                coder.model = train(
                    [r for r in rows if r.split == "extra" or fold_of(r.article) != k],
                    fixed=settings,
                )
                work = Path(tmp) / f"fold-{k}"
                work.mkdir()
                found = predict_through_ingest(held, corpora, coder, work)
                preds.update(found.events)
                dropped.update(found.dropped)
                not_stored += found.not_stored
    finally:
        coder.close()
    return score(gold, preds, "train, out of fold", not_stored, dropped)
