"""An article's home country, and the actors it places: people and groups the text names
without a country belong to the country the article is about."""

from __future__ import annotations

from datetime import date

import pytest

from newsevents.coding.coder import ArticleCoder
from newsevents.coding.home import HomeCountry
from newsevents.coding.kb import default_kb
from newsevents.coding.texts import Text


@pytest.fixture(scope="module")
def home() -> HomeCountry:
    return HomeCountry(default_kb())


def test_the_country_named_most_is_home(home: HomeCountry) -> None:
    h = home(
        "Britain's parliament met. The British government said London would act. Paris agreed."
    )
    assert h.country == "GBR" and h.mentions == 3 and h.share == 0.75


def test_institutions_and_office_holders_count(home: HomeCountry) -> None:
    # no country is named, but its institutions are
    h = home("Republicans in the Senate and Congress clashed over the budget.")
    assert h.country == "USA" and h.mentions == 3  # Republicans, the Senate, Congress


def test_a_place_that_holds_a_country_s_name_places_nothing(home: HomeCountry) -> None:
    # "New Jersey" is no Jersey: an article about New Jersey politics was Jersey's, and its
    # unplaced actors ("the lieutenant governor") were coded JEY
    text = (
        "New Jersey Gov. Chris Christie faced questions. The New Jersey legislature and the "
        "mayor of Jersey City spoke. The New Jersey Republican State Committee received "
        "subpoenas."
    )
    assert home(text).country is None and "JEY" not in home.mentions(text)
    assert home.mentions("New Mexico and Mexico. The island of Jersey.") == {"MEX": 1, "JEY": 1}


def test_the_dateline_counts_and_can_decide(home: HomeCountry) -> None:
    assert home.dateline_country("SAN SALVADOR, 3 JAN 90 --") == "SLV"
    assert home.dateline_country("WASHINGTON (Reuters) - ") == "USA"
    assert home.dateline_country("Springfield (AP) -") is None
    # filed from two cities; a city qualified by its country
    assert home.dateline_country("WEST PALM BEACH, Fla./WASHINGTON (Reuters) - ") == "USA"
    assert home.dateline_country("Rio de Janeiro (Brazil), 22 Dec 88 (Rede Globo) -- ") == "BRA"
    assert home.dateline_country("Springfield (Reuters) - ") is None
    h = home("The guerrillas attacked a post overnight.", dateline="SAN SALVADOR, 3 JAN 90 --")
    assert h.country == "SLV" and h.dateline == "SLV"


def test_no_home_when_countries_share_the_story(home: HomeCountry) -> None:
    assert (
        home("Japan and China talked. Japan and China agreed. Tokyo and Beijing signed.").country
        is None
    )
    assert home("Japan spoke.").country is None  # named once, no dateline: not enough
    assert home("Nothing here names a place.").country is None


def test_a_name_shared_by_two_countries_places_nothing(home: HomeCountry) -> None:
    shared = [n for n, code in home.names.items() if code == ""]
    assert all(home.names[n] == "" for n in shared)
    assert home.mentions("Britain Britain")["GBR"] == 2


@pytest.fixture(scope="module")
def coder() -> ArticleCoder:
    c = ArticleCoder()
    yield c
    c.close()


ARTICLE = (
    "Britain's government unveiled its budget on Monday. The British finance minister said the plan "
    "would cut taxes. Union leader Jane Holloway criticised the government on Tuesday over the cuts. "
    "Britain's opposition also attacked the plan in parliament."
)


def _events(coder: ArticleCoder, text: str) -> list:
    return [
        e
        for e in coder.code_texts([Text("a1", text, date(2005, 3, 16))])
        if not e.negated and not e.hypothetical
    ]


def test_a_named_person_in_a_role_takes_the_home_country(coder: ArticleCoder) -> None:
    events = _events(coder, ARTICLE)
    union = [e for e in events if "Holloway" in e.source.name]
    assert union, [(e.source, e.target, e.cameo) for e in events]
    assert union[0].source.country == "GBR" and union[0].cameo.startswith("11")
    assert union[0].target.country == "GBR"


def test_a_lone_sentence_has_no_home(coder: ArticleCoder) -> None:
    # the same sentence alone says nothing about which country the union leader is in
    # (aimed at an organization, so that no domestic reading places her either)
    events = _events(coder, "Union leader Jane Holloway criticised the European Union on Tuesday.")
    assert all(e.source.country is None for e in events if "Holloway" in e.source.name)


STORY = (
    "WASHINGTON (Reuters) - The U.S. Senate voted on Tuesday on the budget. Senator Jane Holloway "
    "denounced the investigations on Wednesday. The Senate majority leader resigned on Sunday. "
    "Two Senate aides were arrested on Monday, the U.S. government said. Congress met again."
)


def test_in_a_story_about_one_country_its_affairs_stay_in_it(coder: ArticleCoder) -> None:
    events = _events(coder, STORY)
    by_trigger = {e.trigger: e for e in events}
    # a thing attacked or denounced is the home country's, not an actor of no country
    denounced = by_trigger["denounced"]
    assert (denounced.source.country, denounced.target.country) == ("USA", "USA")
    assert denounced.cameo.startswith("11")
    # a day is never an actor: the resignation has no named target
    resigned = by_trigger["resigned"]
    assert resigned.target.name == "" and resigned.target.country == "USA"
    # nobody named for the arrest: the authorities of the country it happens in
    arrested = by_trigger["arrested"]
    assert arrested.source.name == "the authorities" and arrested.source.country == "USA"
    assert all(
        "Sunday" not in (e.target.name or "") and "Monday" not in (e.target.name or "")
        for e in events
    )
