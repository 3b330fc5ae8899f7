"""Publication dates and event dates relative to them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import sample_file
from newsevents.text.clean import clean_text
from newsevents.text.dates import event_date, parse_absolute, publication_date, resolve_weekday
from newsevents.text.encoding import decode_bytes


@pytest.mark.parametrize(
    ("meta", "text", "value", "how"),
    [
        ("2021-02-12", "Body", date(2021, 2, 12), "metadata"),
        ("Tue, 09 Oct 2023 08:30:00 GMT", "Body", date(2023, 10, 9), "metadata"),
        (None, " date 2020-09-28 Moon met Putin.", date(2020, 9, 28), "header"),
        (None, "SEOUL (Agency - 21st September, 2020) Talks.", date(2020, 9, 21), "dateline"),
        (None, "HANOI (Mekong Press - May 20, 2024) Talks.", date(2024, 5, 20), "dateline"),
        (None, "SAN SALVADOR, 3 JAN 90 (ACAN-EFE) -- Text.", date(1990, 1, 3), "dateline"),
        (None, "SAN SALVADOR, 3 JAN 90 -- [TEXT] Text.", date(1990, 1, 3), "dateline"),
        (None, "Lima, 5 Oct 88 (EL COMERCIO) -- [Excerpt] Text.", date(1988, 10, 5), "dateline"),
        (None, "Ties were set up in 1990 and the war ended in 1950-53.", None, "none"),
        (None, "The anniversary falls on September 30.", None, "none"),
        ("not a date", "Body", None, "none"),
        # metadata checked against the text: a crawl date weeks after the story is doubted,
        # a header or dateline that dates the text otherwise wins, a close one is trusted
        ("2018-01-05", "Moon met Putin on November 3, 2017.", date(2018, 1, 5), "doubted"),
        ("2017-11-06", "Moon met Putin on November 3, 2017.", date(2017, 11, 6), "metadata"),
        (
            "2018-01-05",
            "The summit of 3 November 2017 set talks for March 1, 2018.",
            date(2018, 1, 5),
            "metadata",
        ),
        ("2018-01-05", " date 2017-11-04 Moon met Putin.", date(2017, 11, 4), "header"),
        (
            "2020-11-30",
            "SEOUL (Agency - 21st September, 2020) Talks.",
            date(2020, 9, 21),
            "dateline",
        ),
        (
            "2020-09-22",
            "SEOUL (Agency - 21st September, 2020) Talks.",
            date(2020, 9, 22),
            "metadata",
        ),
        # a year-less wire date is the wire's day of the metadata's year: a crawl date weeks
        # later gives way; a day's difference is a time zone
        (
            "2017-12-04",
            "WASHINGTON, Nov 3 (Reuters) - Trump met Xi.",
            date(2017, 11, 3),
            "dateline",
        ),
        (
            "2017-11-04",
            "WASHINGTON, Nov 3 (Reuters) - Trump met Xi.",
            date(2017, 11, 4),
            "metadata",
        ),
        ("2018-01-10", "SEOUL, Dec. 28 (Yonhap) -- Talks.", date(2017, 12, 28), "dateline"),
        # history in a lead years before the metadata is no sign of a crawl date
        ("2021-09-11", "The FBI marked the Sept. 11, 2001 attacks.", date(2021, 9, 11), "metadata"),
    ],
)
def test_publication_date(meta, text, value, how) -> None:
    cleaned = clean_text(text)  # cleaning finds the dateline, once
    pub = publication_date(meta, cleaned.base, cleaned.dateline)
    assert (pub.value, pub.how) == (value, how)


def test_weekdays_resolve_against_publication_date() -> None:
    pub = date(2020, 9, 28)  # a Monday
    assert resolve_weekday("monday", pub) == pub
    assert resolve_weekday("sunday", pub) == date(2020, 9, 27)
    assert resolve_weekday("tuesday", pub) == date(2020, 9, 22)
    assert resolve_weekday("monday", pub, qualifier="last") == date(2020, 9, 21)
    assert resolve_weekday("thursday", pub, future=True) == date(2020, 10, 1)
    assert resolve_weekday("monday", pub, qualifier="next") == date(2020, 10, 5)


def test_event_dates() -> None:
    pub = date(2021, 2, 12)  # a Friday
    assert event_date("They held phone talks Friday.", pub) == (pub, "weekday")
    assert event_date("Earlier in the day, Chung held talks.", pub) == (pub, "relative")
    assert event_date("He met the envoy yesterday.", pub) == (date(2021, 2, 11), "relative")
    assert event_date("The photo was taken on Feb. 9, 2021.", pub) == (date(2021, 2, 9), "absolute")
    assert event_date("Ties date to September 30.", pub) == (date(2020, 9, 30), "month-day")
    assert event_date("They will meet on September 30.", pub, future=True) == (
        date(2021, 9, 30),
        "month-day",
    )
    assert event_date("Seoul and Moscow signed a deal.", pub) == (pub, "published")
    assert event_date("They agreed Wednesday to cooperate.", None) == (None, "none")


def test_parse_absolute_needs_day_month_and_year() -> None:
    assert parse_absolute("in 2016") is None
    assert parse_absolute("on Sept. 21, 2020 and later") == date(2020, 9, 21)


def test_sample_publication_dates(samples_dir: Path, expected: dict) -> None:
    for prefix, want in expected["articles"].items():
        cleaned = clean_text(decode_bytes(sample_file(samples_dir, prefix).read_bytes())[0])
        pub = publication_date(None, cleaned.base, cleaned.dateline)
        got = pub.value.isoformat() if pub.value else None
        assert (got, pub.how) == (want["published"], want["published_how"]), prefix


def test_a_date_after_a_past_verb_is_that_verb_s_even_for_a_future_act() -> None:
    pub = date(2017, 12, 13)  # a Wednesday
    # the proposal was on Tuesday; what it proposes is still to come
    assert event_date("Republicans proposed on Tuesday to delay the tax.", pub, future=True) == (
        date(2017, 12, 12),
        "weekday",
    )
    assert event_date("McConnell said Tuesday he would meet Moore.", pub, future=True) == (
        date(2017, 12, 12),
        "weekday",
    )
    assert event_date("He said on Dec. 11 that talks would resume.", pub, future=True) == (
        date(2017, 12, 11),
        "month-day",
    )
    # an act announced for a weekday with no past verb before it is still ahead
    assert event_date("The ministers will meet on Friday.", pub, future=True) == (
        date(2017, 12, 15),
        "weekday",
    )


def test_a_day_the_sentence_names_wins_over_today() -> None:
    pub = date(1989, 12, 11)
    assert event_date(
        "From 2300 on 10 December until 0200 today, the guerrillas attacked posts.", pub
    ) == (date(1989, 12, 10), "month-day")
    assert event_date("The minister said today that talks would go on.", pub) == (pub, "relative")


def test_a_future_weekday_of_the_publication_day_is_that_day() -> None:
    pub = date(2017, 11, 27)  # a Monday
    assert event_date("Warren will meet English on Monday afternoon.", pub, future=True) == (
        pub,
        "weekday",
    )
    assert resolve_weekday("monday", pub, qualifier="next") == date(2017, 12, 4)


def test_last_night_and_a_far_day_of_the_month() -> None:
    # "last night" is yesterday's; a day of the month most of a year away gives way to it
    assert event_date("Its leaders declined to comment last night.", date(1989, 12, 4)) == (
        date(1989, 12, 3),
        "relative",
    )
    assert event_date(
        "Who will be mayor on 2 January is in their hands, but they declined to comment "
        "last night.",
        date(1989, 12, 4),
    ) == (date(1989, 12, 3), "relative")
    # a near one still stands
    assert event_date("The talks ended on 30 November.", date(1989, 12, 4)) == (
        date(1989, 11, 30),
        "month-day",
    )


def test_date_sureness_levels() -> None:
    from typing import get_args

    from newsevents.text.dates import DATE_SURENESS, SURENESS, DateHow, date_sureness

    assert set(DATE_SURENESS.values()) <= set(SURENESS) and set(DATE_SURENESS) == set(
        get_args(DateHow)
    )
    assert date_sureness("absolute") == "stated" and date_sureness("weekday-before") == "resolved"
    assert date_sureness("published") == "assumed" and date_sureness("article-before") == "assumed"
    assert date_sureness(None) == "unknown" and date_sureness("something-new") == "unknown"


def test_a_doubted_publication_date_dates_no_event_the_text_does_not() -> None:
    """An event the text dates keeps its day; one dated only relative to a publication date
    the text contradicts gets none (it is not moved to the page's crawl date)."""
    from newsevents.coding.coder import ArticleCoder
    from newsevents.coding.texts import text_of
    from newsevents.records import RawDocument
    from newsevents.text.article import build_article

    body = (
        "South Korea and Russia held talks in Seoul on November 3, 2017. "
        "On Monday, Russia criticized Japan over the disputed islands."
    )
    article = build_article(RawDocument("x.json", body, "json", published="2018-01-05"))
    assert article.published_how == "doubted" and article.published == date(2018, 1, 5)
    assert "days after the latest date the text states" in article.published_evidence
    events = list(ArticleCoder(learned=False).code_texts([text_of(article)]))
    talks = [e for e in events if e.cameo.startswith("04")]
    criticism = [e for e in events if e.cameo.startswith("11")]
    assert talks and {e.date for e in talks} == {date(2017, 11, 3)}
    assert criticism and {e.date for e in criticism} == {None}
