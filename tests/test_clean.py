"""Cleaning removes the web's noise and records every cut; golden checks on the samples."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import sample_file
from newsevents.text.clean import _tokens, clean_text, outlet_credit, repair_encoding, spam_score
from newsevents.text.encoding import decode_bytes


def _sample(samples: Path, prefix: str) -> str:
    return decode_bytes(sample_file(samples, prefix).read_bytes())[0]


def test_spam_run_after_body_is_removed() -> None:
    body = "Brazil and Argentina signed a trade deal on Tuesday, officials said."
    spam = " ".join(["cheap sunglasses outlet"] * 12)
    c = clean_text(body + "\n\n" + spam)
    assert c.text == body
    assert [s.reason for s in c.removed] == ["seo-spam"]


def test_spam_glued_to_last_paragraph_is_cut() -> None:
    body = "The ministers met in Hanoi and agreed to boost maritime cooperation, the ministry said."
    spam = " ".join(["replica watches sale"] * 10)
    c = clean_text(body + " " + spam)
    assert c.text == body
    assert c.removed[0].reason == "seo-spam"


def test_headline_list_on_top_is_removed() -> None:
    heads = "\n".join(f"- Unrelated headline number {i} about sport" for i in range(6))
    c = clean_text(heads + "\nIndia and China hold border talks\nIndia and China held talks.")
    assert c.text.startswith("India and China hold border talks")
    assert sum(s.reason == "headline-list" for s in c.removed) == 6


def test_bullets_that_are_sentences_are_kept() -> None:
    text = "The accord covers:\n- trade in grain.\n- fisheries.\n- customs rules."
    assert clean_text(text).removed == ()


def test_repeated_caption_kept_once_and_boilerplate_dropped() -> None:
    cap = "This photo, taken on July 17, 2021, shows the ministers in Warsaw. (Reuters)"
    c = clean_text(f"Poland and Ukraine met.\n{cap}\n{cap}\nShare this: Facebook Twitter Email")
    assert c.text.count("This photo") == 1
    assert sorted(s.reason for s in c.removed) == ["boilerplate", "repeated-paragraph"]


def test_mojibake_is_repaired_and_raw_offsets_hold() -> None:
    c = clean_text("CafÃ© diplomacy in GenÃ¨ve.")
    assert c.text == "Café diplomacy in Genève." and "mojibake" in c.repairs


def test_removed_spans_point_into_the_base_text() -> None:
    raw = " date 2021-02-12 Home > News > Korea > Talks held\n\nBody of the article here."
    c = clean_text(raw)
    for s in c.removed:
        assert c.base[s.start : s.end] == s.text
    assert c.text.startswith("Talks held")


def test_spam_score_separates_prose_and_spam() -> None:
    assert spam_score("nike air max outlet " * 6) > 0.9
    assert spam_score("Seoul and Moscow agreed to develop friendly relations further.") == 0.0


def test_outlet_credit() -> None:
    assert outlet_credit("Body text here. (Yonhap)") == "Yonhap"
    assert outlet_credit("No credit at all here.") is None


@pytest.mark.parametrize(
    ("raw", "city", "paren", "first"),
    [
        # translated agency copy (FBIS): the filed day and a double dash, then editor's tags
        (
            "SAN SALVADOR, 3 JAN 90 -- [REPORT] [ARMED FORCES PRESS COMMITTEE, COPREFA] [TEXT] "
            "THE ARCE BATTALION COMMAND HAS REPORTED AN ATTACK.",
            "SAN SALVADOR",
            "",
            "THE ARCE",
        ),
        (
            "Lima, 5 Oct 88 (EL COMERCIO) -- [Excerpt] Two Army members died.",
            "Lima",
            "EL COMERCIO",
            "Two",
        ),
        ("ROME (ITALY), 11 JAN 90 -- [TEXT] Q. What now?", "ROME (ITALY)", "", "Q."),
        # a wire story filed from two cities
        ("SEATTLE/WASHINGTON (Reuters) - Trump spoke.", "SEATTLE/WASHINGTON", "Reuters", "Trump"),
        (
            "WEST PALM BEACH, Fla./WASHINGTON (Reuters) - The White House said so.",
            "WEST PALM BEACH, Fla./WASHINGTON",
            "Reuters",
            "The White",
        ),
    ],
)
def test_datelines_and_editors_tags_are_cut_with_their_reasons(
    raw: str, city: str, paren: str, first: str
) -> None:
    c = clean_text(raw)
    assert c.dateline is not None and (c.dateline.city, c.dateline.paren) == (city, paren)
    assert c.text.startswith(first)
    reasons = [s.reason for s in c.removed]
    assert reasons[0] == "dateline" and set(reasons) <= {"dateline", "editorial-tag"}
    assert ("[" in raw) == ("editorial-tag" in reasons)
    assert "".join(s.text for s in c.removed) + c.text == raw


def test_no_dateline_in_prose_or_without_a_month() -> None:
    for raw in ("Smith, 5 May -- said no.", "the end, 5 May 89 -- ok", "Smith said [sic] no."):
        c = clean_text(raw)
        assert c.dateline is None and c.text == raw and not c.removed


# -- golden tests on the real samples -----------------------------------------------------


def test_002_spam_and_caption(samples_dir: Path) -> None:
    c = clean_text(_sample(samples_dir, "002"))
    low = c.text.lower()
    assert "pas cher" not in low and "outlet" not in low and "moose" not in low
    assert c.text.count("This photo, taken on Feb. 9, 2021") == 1
    assert "Home" not in c.text.split("\n")[0]
    # the body is intact up to its last real sentence
    assert (
        "They stressed close cooperation for the complete denuclearization of the peninsula."
        in c.text
    )
    assert {"seo-spam", "breadcrumb", "repeated-paragraph"} <= {s.reason for s in c.removed}


def test_004_headline_list_removed(samples_dir: Path) -> None:
    c = clean_text(_sample(samples_dir, "004"))
    assert c.text.startswith("S. Korea, Russia agree to closely cooperate")
    for gone in (
        "California Assembly",
        "cigarette warnings",
        "Zika",
        "Walking Dead",
        "Guatemala",
        "LPGA",
        "World Cup",
        "Olympics",
        "cottage industry",
        "deter North Korea",
    ):
        assert gone not in c.text
    assert sum(s.reason == "headline-list" for s in c.removed) == 10
    assert c.text.rstrip().endswith("his office said.")


def test_003_title_repeat_and_broken_character(samples_dir: Path) -> None:
    c = clean_text(_sample(samples_dir, "003"))
    assert c.text.lower().count("seoul stresses importance of russia") == 1
    assert "replacement-char" in c.repairs
    assert "SEOUL (Pakistan Point News" not in c.text


def _spam_score_by_definition(text: str) -> float:
    """Share of words inside a 2- to 4-word sequence that occurs three times or more."""
    toks = _tokens(text)
    if len(toks) < 8:
        return 0.0
    covered = [False] * len(toks)
    for n in (2, 3, 4):
        grams = Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))
        for i in range(len(toks) - n + 1):
            if grams[tuple(toks[i : i + n])] >= 3:
                covered[i : i + n] = [True] * n
    return sum(covered) / len(toks)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "cheap",
                "shoes",
                "outlet",
                "the",
                "minister",
                "met",
                "in",
                "Seoul",
                "talks",
                ".",
                "and",
            ]
        ),
        max_size=60,
    )
)
def test_spam_score_is_its_definition(words: list[str]) -> None:
    text = " ".join(words)
    assert spam_score(text) == _spam_score_by_definition(text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=300)
    | st.text(alphabet="abc &amp;lt;\r\n\x1b[0m\x00\x0c\x7fÃ©", max_size=60)
)
def test_repair_encoding_skips_only_what_ftfy_would_leave(text: str) -> None:
    """Plain ASCII text without entities, CR or control characters skips ftfy: the result is
    what ftfy gives."""
    fixed = ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=True, normalization="NFC")
    assert repair_encoding(text)[0] == fixed
    assert ("mojibake" in repair_encoding(text)[1]) == (fixed != text)


def test_a_marked_list_of_other_stories_is_cut_with_its_reason() -> None:
    raw = (
        "Japan and Australia held talks in Tokyo on Monday.\n\nMOST READ\n\nRussia attacked Ukraine\n\n"
        "China sanctions US firms\n\nIran threatens Israel\n\nThe talks were the first since 2019."
    )
    c = clean_text(raw)
    assert (
        c.text
        == "Japan and Australia held talks in Tokyo on Monday.\n\nThe talks were the first since 2019."
    )
    cut = [s for s in c.removed if s.reason == "related-headlines"]
    assert [raw[s.start : s.end] for s in cut] == [
        "MOST READ",
        "Russia attacked Ukraine",
        "China sanctions US firms",
        "Iran threatens Israel",
    ]


def test_a_video_block_is_cut() -> None:
    c = clean_text(
        "Tokyo and Canberra held talks.\nJUST WATCHED\nRussia shells Kyiv\n"
        "Replay More Videos ...\nMUST WATCH\nThe two sides agreed to meet again."
    )
    assert c.text == "Tokyo and Canberra held talks.\n\nThe two sides agreed to meet again."
    assert {s.reason for s in c.removed} == {"related-headlines"}


def test_a_marker_word_inside_prose_is_kept() -> None:
    text = "Related talks were held in Seoul.\n\nMore from the minister came later in the day."
    assert clean_text(text).text == text
