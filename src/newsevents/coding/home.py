"""The country an article is about, from its dateline and the countries it names.

An actor the text names without a country ("Shadow attorney general Dominic Grieve", "PCS
leader Mark Serwotka", "the guerrillas", "police") is, in a story about one country, that
country's. ``HomeCountry`` finds that country once per article, before any sentence is
coded: every country, capital, demonym, institution and office holder of the knowledge base
named in the whole text (title included) is counted, the dateline city's country counting twice; the article's home
is the country named most, when it holds at least ``SHARE`` of the mentions, no other is
named as often, and it is named at least ``MIN_MENTIONS`` times (or is the dateline's). An article about several countries
alike has no home, and its unplaced actors stay unplaced.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from newsevents.coding.kb import KnowledgeBase, fold
from newsevents.places.geocode import dateline_parts

#: the longest name, in words, looked up ("Democratic Republic of the Congo" is 5)
MAX_WORDS = 5
#: the share of country mentions the home must hold
SHARE = 0.5
#: how often the home must be named when no dateline names it
MIN_MENTIONS = 2
#: the knowledge base's entries that place a mention in a country: a country's names, its
#: capitals and demonyms, and its institutions ("Labour", "the Senate") and office holders
PLACING_KINDS = ("country", "capital", "demonym", "institution", "person")
#: how much a dateline city's country counts, as mentions
DATELINE_WEIGHT = 2

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*\.?")


def _bare(word: str) -> str:
    """A word without its possessive or a closing full stop ("britain's" → "britain")."""
    word = word.rstrip(".")
    return word[:-2] if word.endswith("'s") else word


@dataclass(frozen=True)
class Home:
    country: str | None
    mentions: int
    share: float
    dateline: str | None  # the dateline's country, when it names one


class HomeCountry:
    """Finds an article's home country with the knowledge base's place names."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.names: dict[str, str] = {}
        for name, entry in kb.all_surface_names():
            if entry.kind in PLACING_KINDS and entry.code and len(entry.code) == 3:
                # a name shared by several countries ("Georgia" as a US state aside) places nothing
                if self.names.get(name, entry.code) != entry.code:
                    self.names[name] = ""
                else:
                    self.names[name] = entry.code
        # a longer place that holds a country's name places nothing and hides it ("New Jersey"
        # is no Jersey, "New Mexico" no Mexico: the knowledge base's ``shadowed_by``)
        self.shadows = {fold(n) for n in kb.shadows}
        self.longest = min(
            MAX_WORDS, max((len(n.split()) for n in (*self.names, *self.shadows)), default=1)
        )

    def mentions(self, text: str) -> Counter[str]:
        """How often each country is named in ``text`` (longest names first, no overlaps)."""
        words = [_bare(fold(m.group())) for m in _WORD.finditer(text)]
        counts: Counter[str] = Counter()
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                name = " ".join(words[i : i + n])
                code = self.names.get(name)
                if code or name in self.shadows:
                    if code:
                        counts[code] += 1
                    i += n
                    break
            else:
                i += 1
        return counts

    def dateline_country(self, dateline: str | None) -> str | None:
        # "SEATTLE/WASHINGTON (Reuters) -": the first place of several that is known;
        # "Rio de Janeiro (Brazil), 22 Dec 88 --": else the country that qualifies it
        for part in (dateline or "").split("/"):
            for name in dateline_parts(part):
                place = self.names.get(fold(" ".join(name.split()))) if name else None
                if place:
                    return place
        return None

    def __call__(self, text: str, dateline: str | None = None, title: str | None = None) -> Home:
        counts = self.mentions(f"{title}\n{text}" if title else text)
        place = self.dateline_country(dateline)
        if place:
            counts[place] += DATELINE_WEIGHT
        total = sum(counts.values())
        if not total:
            return Home(None, 0, 0.0, place)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] != place, kv[0]))
        code, n = ranked[0]
        share = n / total
        tied = len(ranked) > 1 and ranked[1][1] == n and code != place
        ok = share >= SHARE and not tied and (n >= MIN_MENTIONS or code == place)
        return Home(code if ok else None, n, round(share, 3), place)
