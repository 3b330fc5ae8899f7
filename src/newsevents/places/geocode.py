"""A place name in an article → the GeoNames place it names (``geocode``).

The name alone is seldom enough ("Paris", "San Jose", "WASHINGTON"); the choice is made as a
reader makes it, in this order:

1. a **country name** ("Mexico", "the United States", "Britain", with the knowledge base's other
   names) is the country; a dateline names a city, so "SINGAPORE, March 25" is the city;
2. a **qualifier** the text puts after the name settles it: "SACRAMENTO, Calif.", "Perry, Ga.",
   "SAN JOSE (COSTA RICA)", "HANOVER, West Germany";
3. otherwise every place of that name is scored: its population (log), its country named in the
   article (the knowledge base's names and demonyms), its state or province named in the article,
   being a national capital ("WASHINGTON" is the District), being in the dateline's country. A
   city and the division named after it that holds it are one choice, the city ("LIMA",
   "BUENOS AIRES"), unless the text says "state" or "province".

``how`` records which of these decided.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from newsevents.coding.kb import KnowledgeBase, default_kb
from newsevents.places.gazetteer import Gazetteer, fold, gazetteer
from newsevents.records import Place

#: words before a name that point into it ("EASTERN EL SALVADOR", "West Berlin")
_DIRECTIONS = (
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
)
#: words after a name that say it is a division ("New York State", "Lima department")
_DIVISION_WORDS = ("state", "province", "department", "region", "governorate", "prefecture")


@lru_cache(maxsize=1 << 14)
def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


@dataclass(frozen=True)
class Geocoded:
    place: Place
    how: str  # "country name", "qualifier", "article's division", "article's country", "capital", "population"


@dataclass
class PlaceContext:
    """What an article says that places its names: its text (title included) and its
    dateline's country, if any."""

    text: str
    dateline_country: str | None = None
    kb: KnowledgeBase = field(default_factory=default_kb)
    #: the dateline's town, geocoded (``dateline_context``)
    dateline: Geocoded | None = None
    _countries: dict[str, bool] = field(default_factory=dict)
    _divisions: dict[str, bool] = field(default_factory=dict)

    @cached_property
    def folded(self) -> str:
        return f" {_words(self.text)} "

    def _says(self, names: list[str]) -> bool:
        return any(f" {_words(n)} " in self.folded for n in names if n)

    def names_country(self, iso3: str) -> bool:
        if iso3 not in self._countries:
            rec = self.kb.countries.get(iso3) or {}
            names = [rec.get("name"), *(rec.get("names") or []), *(rec.get("demonyms") or [])]
            self._countries[iso3] = self._says([n for n in names if n and len(n) > 3])
        return self._countries[iso3]

    def names_division(self, g: Gazetteer, code: str) -> bool:
        if code not in self._divisions:
            self._divisions[code] = self._says(
                [n for n in g.adm1_names.get(code, []) if len(n) > 3]
            )
        return self._divisions[code]


def _country_named(g: Gazetteer, kb: KnowledgeBase, name: str) -> Place | None:
    for e in kb.lookup(name):
        if e.kind == "country" and e.code:
            p = g.country(e.code)
            if p is not None:
                return p
    return next((p for p in g.named(name) if p.feature == "country"), None)


def qualifier_of(g: Gazetteer, kb: KnowledgeBase, text: str) -> tuple[str | None, str | None]:
    """(country, division) a qualifier names: "Calif." → (USA, US.CA), "COSTA RICA" → (CRI,
    None), "West Germany" → (DEU, None); (None, None) when it names neither."""
    text = text.strip(" ,()")
    if not text:
        return None, None
    key = fold(text)
    if key in g.abbreviations:
        return "USA", g.abbreviations[key]
    words = key.split()
    # the name itself, then what a direction points into ("West Germany")
    names = [key, " ".join(words[1:])] if len(words) > 1 and words[0] in _DIRECTIONS else [key]
    for name in names:
        country = _country_named(g, kb, name)
        if country is not None:
            return country.country, None
        divisions = [p for p in g.named(name) if p.feature == "adm1"]
        if divisions:
            best = max(divisions, key=lambda p: p.population)
            return best.country, best.adm1
    return None, None


def _score(p: Place, key: str, g: Gazetteer, ctx: PlaceContext | None) -> tuple[float, str]:
    score, how = math.log10(p.population + 10), "population"
    if fold(p.name) == key:
        score += 2  # its own name, not one of the alternate names GeoNames lists
    if p.geonameid in g.capitals:
        score, how = score + 2, "capital"
    if ctx is not None:
        if ctx.names_country(p.country):
            score, how = score + 3, "article's country"
        if (
            p.feature == "city"
            and p.adm1
            and key not in {fold(n) for n in g.adm1_names.get(p.adm1, [])}
            and ctx.names_division(g, p.adm1)
        ):
            # "Perry" in a story that names Georgia (not "Maryland" because it names itself)
            score, how = score + 4, "article's division"
        if ctx.dateline_country == p.country:
            score += 2
    return score, how


def geocode(
    mention: str,
    ctx: PlaceContext | None = None,
    qualifier: str = "",
    dateline: bool = False,
    g: Gazetteer | None = None,
) -> Geocoded | None:
    """The place ``mention`` names in an article (``ctx``), or None when no place of the
    gazetteer has that name. ``qualifier``: the words the text puts right after it ("Calif.",
    "COSTA RICA"); ``dateline``: the mention is a dateline's place."""
    g = g or gazetteer()
    kb = ctx.kb if ctx is not None else default_kb()
    name = re.sub(r"['’]s?$", "", mention.strip())
    words = fold(name).split()
    division_only = bool(words) and words[-1] in _DIVISION_WORDS and len(words) > 1
    if division_only:
        name = " ".join(words[:-1])
    in_country, in_division = qualifier_of(g, kb, qualifier)
    country = None if division_only else _country_named(g, kb, name)
    candidates = g.named(name)
    if not candidates and country is None and len(words) > 1 and words[0] in _DIRECTIONS:
        # "EASTERN EL SALVADOR", "West Berlin": the place pointed into
        return geocode(" ".join(words[1:]), ctx, qualifier, dateline, g)
    if (
        country is not None
        and fold(country.name) != fold(name)
        and any(p.feature == "adm1" and fold(p.name) == fold(name) for p in candidates)
    ):
        country = (
            None  # "England", "Scotland": a division of its own name, not another name of its state
        )
    if country is not None:
        same = [p for p in candidates if p.feature == "city" and p.country == country.country]
        if dateline and same:
            return Geocoded(max(same, key=lambda p: p.population), "country name")
        if not dateline:
            return Geocoded(country, "country name")
    candidates = [p for p in candidates if p.feature != "country"]
    if division_only:
        candidates = [p for p in candidates if p.feature == "adm1"]
    if in_country or in_division:
        fitting = [
            p
            for p in candidates
            if p.country == in_country and (not in_division or p.adm1 == in_division)
        ]
        if fitting:
            return Geocoded(
                max(fitting, key=lambda p: (p.feature == "city", p.population)), "qualifier"
            )
        # "MEDFORD, N.J.": a town the gazetteer lacks, in a division (or country) it holds (a
        # dateline's qualifier; after a name in a sentence it may be the next of a list)
        around = g.division(in_division) if in_division else g.country(in_country or "")
        if around is not None and (dateline or not candidates):
            return Geocoded(around, "qualifier: the division, the town is not in the gazetteer")
    # a city and the division of its very name that holds it: the city ("LIMA", "ZURICH"); a
    # dateline's "NEW YORK" is the city (New York City), "in New York" is left to the scores
    key = fold(name)
    own = {(p.country, p.adm1) for p in candidates if p.feature == "city" and fold(p.name) == key}
    if not division_only:
        candidates = [
            p for p in candidates if p.feature != "adm1" or (p.country, p.adm1) not in own
        ]
    if dateline and any(p.feature == "city" for p in candidates):
        candidates = [p for p in candidates if p.feature == "city"]  # a dateline names a town
    if not candidates:
        return Geocoded(country, "country name") if country is not None else None
    (_, how), best = max(((_score(p, key, g, ctx), p) for p in candidates), key=lambda sp: sp[0][0])
    return Geocoded(best, how)


def geocode_in(text: str, mention: str, ctx: PlaceContext | None = None) -> Geocoded | None:
    """``geocode`` a name where ``text`` (a sentence or an article) has it, with the qualifier
    the text puts right after it ("in Perry, Ga.")."""
    i = text.find(mention)
    return geocode(mention, ctx, qualifier_after(text, i + len(mention)) if i >= 0 else "")


_QUALIFIER = re.compile(r"\s*(?:,\s*|\(\s*)([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})")


def qualifier_after(text: str, end: int) -> str:
    """The words that qualify a place name ending at ``end``: "Ga." in "Perry, Ga., where",
    "COSTA RICA" in "SAN JOSE (COSTA RICA)"; "" when none follow."""
    m = _QUALIFIER.match(text, end)
    return m.group(1) if m else ""


def dateline_parts(dateline: str) -> tuple[str, str]:
    """A dateline's place and its qualifier: "SACRAMENTO, Calif., March 24" → ("SACRAMENTO",
    "Calif."), "SAN JOSE (COSTA RICA), 12 SEP 89 (AFP)" → ("SAN JOSE", "COSTA RICA");
    the qualifier is "" when the next part is the date."""
    head = re.split(r"\s*[,(/]|\s+-\s|\s+--", dateline, maxsplit=1)[0].strip()
    rest = dateline[len(head) :]
    m = _QUALIFIER.match(rest)
    qual = m.group(1) if m and not re.search(r"\d", m.group(1)) else ""
    if qual and re.fullmatch(r"(?:[A-Z][a-z]{2,8}\.?)", qual) and qual.rstrip(".") in _MONTHS:
        qual = ""
    return head, qual


_MONTHS = {
    "Jan",
    "Feb",
    "Mar",
    "March",
    "Apr",
    "April",
    "May",
    "June",
    "Jun",
    "July",
    "Jul",
    "Aug",
    "August",
    "Sep",
    "Sept",
    "September",
    "Oct",
    "October",
    "Nov",
    "November",
    "Dec",
    "December",
    "January",
    "February",
}


def dateline_context(
    text: str, dateline: str | None, kb: KnowledgeBase | None = None
) -> PlaceContext:
    """The context of an article's place names: its text and its dateline's country."""
    ctx = PlaceContext(text, kb=kb or default_kb())
    if dateline:
        head, qual = dateline_parts(dateline)
        ctx.dateline = geocode(head, ctx, qual, dateline=True) if head else None
        ctx.dateline_country = ctx.dateline.place.country if ctx.dateline else None
    return ctx
