"""Export events, stories and articles: CSV, JSONL, Parquet, GDELT 2.0 and PLOVER JSON.

Events are exported from ``settings.MIN_CONFIDENCE`` up by default, as stories count them
(``--min-confidence 0``: every event, the flagged ones too).

**GDELT 2.0** (``--format gdelt``): tab-separated, no header, the 61 columns of the GDELT
2.0 event table in their order, one row per *story* (GDELT's event is a deduplicated
real-world event; ``NumMentions``/``NumSources``/``NumArticles`` come from the story).
Filled: GlobalEventID (a stable integer from our story id), Day, MonthYear, Year,
FractionDate (where the story has a date), Actor1/2Code (country + sector, e.g. ``KORGOV``),
Actor1/2Name, Actor1/2CountryCode, Actor1/2Type1Code (sector), IsRootEvent (1), EventCode,
EventBaseCode, EventRootCode, QuadClass, GoldsteinScale (of the event code, not its root's),
NumMentions, NumSources, NumArticles; the ActionGeo_* fields from the place most of the story's
events happened at (``newsevents.places``): Type (1 country, 2 US state, 3 US city, 4 world
city, 5 world state), FullName ("Houston, Texas, United States"), CountryCode (FIPS 10-4, as
GDELT), ADM1Code (FIPS country + GeoNames division code: "USTX"), Lat, Long, FeatureID (the
GeoNames id; the FIPS code for a country, as GDELT); DATEADDED (when the story's first article
was stored, YYYYMMDDHHMMSS) and SOURCEURL (its first article's URL; empty when none has one,
never a file path). Empty: KnownGroup, Ethnic, Religion, Type2/3 codes, AvgTone, the actors'
geography and every ADM2 code.

**PLOVER** (``--format plover``): one JSON object per event mention with the PLOVER
manual's fields (Data Fields chapter): ``id``, ``date``, ``actor`` and ``recipient`` (lists
of entity objects ``{code, sector, entity_text}``), ``event``, ``mode`` and ``context``
(lists), ``event_loc`` (a location object: ``extracted_place``, ``resolved_place``,
``geonameid``, ``lat``, ``lon``, ``city``, ``province``, ``country``, ``country_code``,
``feature_class``, ``feature_code``, ``resolution``), ``event_text``, ``quad_code``,
``event_scale`` (Goldstein), ``coder``, and, as the manual allows, fields of our own:
``cameo``, ``story_id``, ``url``. Only events that happened (neither negated nor
hypothetical), on a known day, with a PLOVER category (CAMEO's 01 comments have none) are
PLOVER records: the manual requires ``date`` and ``event``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from newsevents.settings import MIN_CONFIDENCE
from newsevents.storage.store import Store

GDELT_COLUMNS = [
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
]
assert len(GDELT_COLUMNS) == 61

QUERIES = {
    "events": """SELECT e.event_id, e.article_id, e.event_date, e.date_how, e.source_name,
        e.source_country, e.source_sector, e.target_name, e.target_country, e.target_sector,
        e.cameo, e.cameo_name, e.plover, e.plover_mode, e.quad_class, e.goldstein, e.location,
        e.place_id, e.place_name, e.place_country, e.place_adm1, e.place_lat, e.place_lon,
        e.place_feature, e.place_how, e.topics, e.negated, e.hypothetical, e.reported_by, e.confidence, e.sentence,
        e.span_start, e.span_end, m.story_id, a.source AS outlet, a.url
        FROM events e JOIN articles a USING (article_id)
        LEFT JOIN story_members m USING (event_id)
        ORDER BY e.event_date NULLS LAST, e.article_id, e.span_start""",
    "stories": """SELECT story_id, actor_a, actor_b, cameo_root, plover, story_date, date_how,
        location, summary, n_articles, n_sources, first_seen, outlets, quad_class, goldstein,
        (SELECT count(*) FROM story_members m WHERE m.story_id = s.story_id) AS n_mentions
        FROM stories s ORDER BY story_date NULLS LAST, story_id""",
    "articles": """SELECT article_id, origin, fmt, source, url, title, published, published_how,
        published_evidence, language, clean_text FROM articles ORDER BY published NULLS LAST, origin""",
}


def query(what: str, min_confidence: float = MIN_CONFIDENCE) -> str:
    """The SQL of an export; events only of confidence at least ``min_confidence`` (the
    events under ``settings.MIN_CONFIDENCE`` are flagged and counted nowhere: 0 for all)."""
    if what not in QUERIES:
        raise ValueError(f"unknown export {what!r}: one of {', '.join(QUERIES)}")
    if what != "events" or min_confidence <= 0:
        return QUERIES[what]
    body, order = QUERIES[what].split("ORDER BY")
    return f"{body}WHERE e.confidence >= {float(min_confidence)!r}\n        ORDER BY{order}"


def rows(store: Store, what: str, min_confidence: float = MIN_CONFIDENCE) -> list[dict[str, Any]]:
    return store.query(query(what, min_confidence))


def _plain(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    return v


def write_csv(records: list[dict[str, Any]], out: IO[str]) -> None:
    if not records:
        return
    w = csv.DictWriter(out, fieldnames=list(records[0]))
    w.writeheader()
    for r in records:
        w.writerow(
            {k: ";".join(map(str, v)) if isinstance(v, list) else _plain(v) for k, v in r.items()}
        )


def write_jsonl(records: list[dict[str, Any]], out: IO[str]) -> None:
    for r in records:
        out.write(json.dumps({k: _plain(v) for k, v in r.items()}, ensure_ascii=False) + "\n")


def write_parquet(
    store: Store, what: str, path: Path, min_confidence: float = MIN_CONFIDENCE
) -> None:
    # a file path cannot be a bound parameter in COPY; it is quoted instead
    sql = query(what, min_confidence)
    store.con.execute(f"COPY ({sql}) TO '{_sql_path(path)}' (FORMAT PARQUET)")


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _gdelt_id(story_id: str) -> int:
    return int(hashlib.sha256(story_id.encode()).hexdigest()[:12], 16)


#: the story's place: the one most of its events happened at (then the surest event's)
STORY_PLACES = """SELECT story_id, arg_max(place, n) AS place FROM (
    SELECT m.story_id, {'id': e.place_id, 'name': e.place_name, 'country': e.place_country,
           'adm1': e.place_adm1, 'lat': e.place_lat, 'lon': e.place_lon,
           'feature': e.place_feature} AS place,
           count(*) + max(e.confidence) / 10 AS n
    FROM story_members m JOIN events e USING (event_id)
    WHERE e.place_id IS NOT NULL GROUP BY ALL) GROUP BY story_id"""


def gdelt_geo(place: dict[str, Any] | None) -> dict[str, str]:
    """The ActionGeo_* fields of a place, as GDELT 2.0 fills them."""
    if not place:
        return {}
    from newsevents.places.gazetteer import country_codes, division_names

    fips, country_name = country_codes().get(place["country"], ("", place["country"]))
    us = place["country"] == "USA"
    feature = place["feature"]
    kind = {"country": 1, "adm1": 2 if us else 5, "city": 3 if us else 4}[feature]
    division = place["adm1"] or ""
    suffix = division.split(".", 1)[1] if "." in division else ""
    names = [place["name"]]
    if feature == "city" and division in division_names():
        names.append(division_names()[division])
    if feature != "country":
        names.append(country_name)
    return {
        "ActionGeo_Type": str(kind),
        "ActionGeo_FullName": ", ".join(names),
        "ActionGeo_CountryCode": fips,
        "ActionGeo_ADM1Code": fips + suffix if feature != "country" else fips,
        "ActionGeo_Lat": f"{place['lat']:.4f}" if place["lat"] is not None else "",
        "ActionGeo_Long": f"{place['lon']:.4f}" if place["lon"] is not None else "",
        "ActionGeo_FeatureID": fips if feature == "country" else str(place["id"]),
    }


def gdelt_rows(store: Store) -> Iterator[list[str]]:
    from newsevents.coding.cameo import default_lexicon

    lex = default_lexicon()
    places = {r["story_id"]: r["place"] for r in store.query(STORY_PLACES)}
    stories = store.query(
        """SELECT s.*, (SELECT count(*) FROM story_members m WHERE m.story_id = s.story_id) AS n_mentions,
           (SELECT min(a.url) FROM story_members m JOIN articles a USING (article_id)
            WHERE m.story_id = s.story_id AND (a.url LIKE 'http://%' OR a.url LIKE 'https://%')) AS url,
           (SELECT min(a.ingested_at) FROM story_members m JOIN articles a USING (article_id)
            WHERE m.story_id = s.story_id) AS added,
           (SELECT arg_max(e.cameo, e.confidence) FROM story_members m JOIN events e USING (event_id)
            WHERE m.story_id = s.story_id AND e.cameo LIKE s.cameo_root || '%') AS cameo,
           (SELECT arg_max(e.source_country || '|' || coalesce(e.source_sector, '') || '|' || e.source_name
                  || '|' || e.target_country || '|' || coalesce(e.target_sector, '') || '|' || e.target_name,
                  e.confidence)
            FROM story_members m JOIN events e USING (event_id)
            WHERE m.story_id = s.story_id AND e.cameo LIKE s.cameo_root || '%') AS actors
           FROM stories s ORDER BY story_date NULLS LAST, story_id"""
    )
    for s in stories:
        d: date | None = s["story_date"]
        a1c, a1s, a1n, a2c, a2s, a2n = (s["actors"] or "|||||").split("|", 5)
        code = s["cameo"] or s["cameo_root"]
        row = dict.fromkeys(GDELT_COLUMNS, "")
        row.update(
            {
                "GlobalEventID": str(_gdelt_id(s["story_id"])),
                "Day": d.strftime("%Y%m%d") if d else "",
                "MonthYear": d.strftime("%Y%m") if d else "",
                "Year": str(d.year) if d else "",
                "FractionDate": f"{d.year + (d.timetuple().tm_yday - 1) / 365:.4f}" if d else "",
                "Actor1Code": a1c + a1s,
                "Actor1Name": a1n.upper(),
                "Actor1CountryCode": a1c,
                "Actor1Type1Code": a1s,
                "Actor2Code": a2c + a2s,
                "Actor2Name": a2n.upper(),
                "Actor2CountryCode": a2c,
                "Actor2Type1Code": a2s,
                "IsRootEvent": "1",
                "EventCode": code,
                "EventBaseCode": code[:3],
                "EventRootCode": code[:2],
                "QuadClass": str(s["quad_class"] or ""),
                "GoldsteinScale": f"{lex.code(code).goldstein:.1f}",
                "NumMentions": str(s["n_mentions"]),
                "NumSources": str(s["n_sources"]),
                "NumArticles": str(s["n_articles"]),
                **gdelt_geo(places.get(s["story_id"])),
                "DATEADDED": s["added"].strftime("%Y%m%d%H%M%S") if s["added"] else "",
                "SOURCEURL": s["url"] or "",
            }
        )
        yield [row[c] for c in GDELT_COLUMNS]


#: the PLOVER location object's ``resolution`` of our feature types (5 is sub-city)
_RESOLUTION = {"country": 1, "adm1": 2, "city": 4}
_FEATURE = {"country": ("A", "PCLI"), "adm1": ("A", "ADM1"), "city": ("P", "PPL")}


def plover_location(e: dict[str, Any]) -> dict[str, Any] | None:
    """An event's place as the PLOVER manual's location object (Mordecai's fields)."""
    if e["place_id"] is None:
        return None
    from newsevents.places.gazetteer import country_codes, division_names

    feature = e["place_feature"]
    klass, code = _FEATURE[feature]
    return {
        "extracted_place": e["location"],
        "resolved_place": e["place_name"],
        "geonameid": e["place_id"],
        "lat": e["place_lat"],
        "lon": e["place_lon"],
        "city": e["place_name"] if feature == "city" else None,
        "province": division_names().get(e["place_adm1"] or "") if feature != "country" else None,
        "country": country_codes().get(e["place_country"], ("", None))[1],
        "country_code": e["place_country"],
        "feature_class": klass,
        "feature_code": code,
        "resolution": _RESOLUTION[feature],
        "how": e["place_how"],
    }


def plover_entity(code: str | None, sector: str | None, text: str | None) -> dict[str, Any]:
    return {"code": code, "sector": sector, "entity_text": text}


def plover_records(
    store: Store, min_confidence: float = MIN_CONFIDENCE
) -> Iterator[dict[str, Any]]:
    """PLOVER records of the events that happened on a known day and have a PLOVER category
    (the manual requires ``date`` and ``event``; CAMEO's 01 comments have none, and a negated
    or hypothetical event is none), of confidence at least ``min_confidence``."""
    for e in rows(store, "events", min_confidence):
        if not e["plover"] or e["event_date"] is None or e["negated"] or e["hypothetical"]:
            continue
        yield {
            "id": e["event_id"],
            "date": _plain(e["event_date"]),
            "actor": [plover_entity(e["source_country"], e["source_sector"], e["source_name"])],
            "recipient": [plover_entity(e["target_country"], e["target_sector"], e["target_name"])]
            if e["target_name"] is not None
            else [],
            "event": [e["plover"]],
            "mode": [e["plover_mode"]] if e["plover_mode"] else [],
            "context": list(e["topics"] or []),
            "event_loc": plover_location(e),
            "event_text": [e["sentence"]],
            "quad_code": e["quad_class"],
            "event_scale": e["goldstein"],
            "coder": "newsevents",
            "cameo": e["cameo"],
            "story_id": e["story_id"],
            "url": e["url"],
        }


def export(
    store: Store,
    what: str,
    fmt: str,
    output: Path | None,
    min_confidence: float = MIN_CONFIDENCE,
) -> int:
    """Write an export; returns the number of records written. Events are those of
    confidence at least ``min_confidence`` (by default the ones stories count; 0: all). A
    file is written whole or not at all: into a hidden ``.NAME.partial`` beside it, renamed
    over ``output`` once complete, removed on failure (a failed export never leaves an empty
    or cut file)."""
    if not 0 <= min_confidence <= 1:
        raise ValueError(f"--min-confidence must be between 0 and 1, not {min_confidence}")
    if fmt == "gdelt" and what != "stories":
        raise ValueError("--format gdelt exports stories (GDELT's deduplicated events)")
    if fmt == "plover" and what != "events":
        raise ValueError("--format plover exports events")
    if fmt not in ("csv", "jsonl", "parquet", "gdelt", "plover"):
        raise ValueError(f"unknown format {fmt!r}")
    if output is None:
        if fmt == "parquet":
            raise ValueError("--format parquet needs --output FILE")
        return _write(store, what, fmt, sys.stdout, min_confidence)
    if not output.parent.is_dir():
        raise ValueError(f"no folder {output.parent} to write {output.name} in: create it first")
    if output.is_dir():
        raise ValueError(f"{output} is a folder: give a file name")
    partial = output.with_name(f".{output.name}.partial")
    try:
        if fmt == "parquet":
            write_parquet(store, what, partial, min_confidence)
            n = len(rows(store, what, min_confidence))
        else:
            with partial.open("w", encoding="utf-8", newline="") as out:
                n = _write(store, what, fmt, out, min_confidence)
        os.replace(partial, output)
        return n
    except OSError as exc:
        raise ValueError(f"cannot write {output}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)


def _write(store: Store, what: str, fmt: str, out: IO[str], min_confidence: float) -> int:
    if fmt == "gdelt":
        n = 0
        w = csv.writer(out, delimiter="\t", lineterminator="\n")
        for r in gdelt_rows(store):
            w.writerow(r)
            n += 1
        return n
    if fmt == "plover":
        recs = list(plover_records(store, min_confidence))
        write_jsonl(recs, out)
        return len(recs)
    recs = rows(store, what, min_confidence)
    if fmt == "csv":
        write_csv(recs, out)
    else:
        write_jsonl(recs, out)
    return len(recs)
