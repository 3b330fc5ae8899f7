"""The words the event coder reads: which dependents make a verb's frame, the prepositions
of targets and places, speech, future, negating and asking verbs, the heads that carry an
event or name a document or a weapon, and the CAMEO roots each rule applies to.

Kept apart from ``coding.events`` (which reads them) so that the coder's logic and its
vocabulary can be read, and changed, each on its own.
"""

from __future__ import annotations

from newsevents.coding.cameo import Pattern
from newsevents.coding.nlp import IRREGULAR

FRAME_DEPS = {
    "dobj",
    "obj",
    "prt",
    "prep",
    "pobj",
    "xcomp",
    "acomp",
    "attr",
    "dative",
    "oprd",
    "compound",
    "amod",
    "agent",
    "pcomp",
    "nmod",
    "advmod",
    "ccomp",
}
TARGET_PREPS = (
    "with",
    "to",
    "on",
    "against",
    "for",
    "toward",
    "towards",
    "at",
    "from",
    "into",
    "upon",
    "over",
    "between",
    "among",
    "of",
)
PLACE_PREPS = ("in", "at", "inside")
#: verbs of a traveller reaching a place: "from" names where they left, not whom they visit
ARRIVALS = frozenset({"arrive", "land", "fly", "come", "head", "travel"})
#: Roots whose act two co-subjects do to each other ("A and B met / clashed / signed a deal /
#: issued a joint statement"); "A and B condemned the attack" is not A against B.
RECIPROCAL_ROOTS = ("01", "03", "04", "05", "06", "08", "19")
#: Roots of verbs that judge an act named as their object (condemn, deny, reject): the act is
#: not the judge's own.
JUDGING_ROOTS = ("11", "12")
SPEECH_VERBS = {
    "say",
    "tell",
    "state",
    "add",
    "announce",
    "note",
    "claim",
    "report",
    "quote",
    "declare",
    "write",
    "insist",
    "assert",
    "explain",
    "reiterate",
    "confirm",
    "indicate",
    "emphasize",
    "emphasise",
    "stress",
    "remark",
    "mention",
    "reply",
    "respond",
    "argue",
    "suggest",
    "warn",
    "predict",
    "acknowledge",
    "tweet",
}


def _past(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


#: the forms of the speech verbs a report's saying takes, where a speaker's statement may be
#: (``SentenceCoder.statements``, ``Prefilter.says``): the past tense, "says", "tells"; not
#: every form of the lemmas, whose nouns ("the United States", "a report") are everywhere
SAID_FORMS = frozenset(
    {_past(v) for v in SPEECH_VERBS if v not in ("say", "tell", "write")}
    | {"said", "says", "told", "tells", "wrote", "writes"}
)


#: subjects of "be to": the clause says what the thing is, not an act someone is to do
#: ("the aim is to make", "his job was to protect")
PLAN_NOUNS = frozenset(
    {
        "aim",
        "goal",
        "plan",
        "idea",
        "task",
        "job",
        "purpose",
        "priority",
        "mission",
        "intention",
        "objective",
        "point",
        "hope",
        "challenge",
        "problem",
        "answer",
        "solution",
        "way",
        "step",
        "move",
        "strategy",
        "policy",
        "role",
        "duty",
        "option",
        "choice",
        "decision",
        "intent",
        "target",
        "ambition",
        "dream",
        "wish",
        "desire",
        "focus",
        "message",
        "advice",
        "order",
        "instruction",
        "request",
        "demand",
        "proposal",
        "alternative",
        "rule",
        "practice",
        "tradition",
        "custom",
        "worry",
        "fear",
        "concern",
        "risk",
        "danger",
        "reason",
        "result",
        "effect",
        "outcome",
        "first",
        "next",
        "last",
        "this",
        "that",
        "it",
        "what",
        "which",
    }
)


FUTURE_HEADS = {
    "plan",
    "intend",
    "aim",
    "hope",
    "prepare",
    "want",
    "wish",
    "expect",
    "seek",
    "try",
    "agree",
    "promise",
    "pledge",
    "vow",
    "decide",
    "offer",
    "propose",
    "consider",
    "schedule",
    "set",
    "due",
    "ready",
    "willing",
    "look",
    "commit",
    "resolve",
    "be",
    "go",
}
NEGATING_HEADS = {
    "refuse",
    "fail",
    "decline",
    "reject",
    "deny",
    "avoid",
    "stop",
    "cease",
    "halt",
    "oppose",
    "resist",
    "forgo",
    "cancel",
    "postpone",
    "suspend",
    "delay",
}
# negating heads that are a decision against the act, whatever the act ("refused to end the
# strike", "declined to meet"); "fail", "stop" and the like are not
REFUSING_HEADS = {"refuse", "decline", "reject"}
HYPOTHETICAL_AUX = {"could", "might", "may", "should", "can", "must"}
# A future act of a cooperative root is an intent (03x); of a violent root a threat (13x).
INTENT_OF_ROOT = {
    "04": "036",
    "05": "032",
    "06": "031",
    "07": "033",
    "08": "035",
    "03": None,
    "02": None,
    "01": None,
    "09": None,
}
# verbs whose negation is a decision ("did not agree", "refused to sign"), not a non-event
DECISION_VERBS = {
    "agree",
    "accept",
    "approve",
    "sign",
    "endorse",
    "support",
    "recognize",
    "recognise",
    "allow",
    "permit",
    "welcome",
    "release",
    "free",
    "invite",
    "apologize",
    "apologise",
    "back",
    "grant",
    "lift",
    "ease",
    "consent",
    "ratify",
    "join",
    "meet",
    "cooperate",
    "reach",
}
WEAPON_HEADS = {
    "missile",
    "rocket",
    "bomb",
    "bombing",
    "shell",
    "shelling",
    "drone",
    "strike",
    "airstrike",
    "attack",
    "raid",
    "jet",
    "warplane",
    "aircraft",
    "artillery",
    "fire",
    "warship",
    "tank",
    "mortar",
    "explosion",
    "blast",
    "bomber",
    "gunfire",
    "force",
    "troop",
    "soldier",
    "army",
}
#: roots whose verbs take what they are about as object ("discussed trade"): no event of its own
TOPIC_ROOTS = {"01", "04"}
#: verbs whose clause is asked for, not done ("demanded that …", "proposed that …")
ASKING_VERBS = {
    "demand",
    "urge",
    "ask",
    "request",
    "propose",
    "suggest",
    "recommend",
    "want",
    "wish",
    "hope",
    "require",
}
#: requests whose target may be the subject of the clause asked for ("demanded that Y resign")
CLAUSE_TARGET_ROOTS = {"02", "10"}
#: what an actor says things through: "a statement condemning…", "a report accusing…"
DOCUMENTS = {
    "statement",
    "report",
    "resolution",
    "letter",
    "communique",
    "declaration",
    "message",
    "motion",
    "decree",
    "petition",
    "video",
    "tweet",
    "post",
    "editorial",
    "note",
    "memo",
    "memorandum",
    "notice",
    "order",
    "ruling",
    "verdict",
    "document",
}
#: nouns an event noun can modify and still name the event: "an aid package", "a rescue mission"
EVENT_CARRIERS = {
    "package",
    "effort",
    "efforts",
    "mission",
    "operation",
    "campaign",
    "convoy",
    "shipment",
    "delivery",
    "programme",
    "program",
    "plan",
    "process",
    "bid",
    "initiative",
    "flight",
    "drive",
    "push",
    "round",
    "attempt",
    "offer",
    "order",
    "measure",
    "move",
    "step",
    "action",
    "activity",
    "exercise",
    "agreement",
    "accord",
    "pact",
    "deal",
    "treaty",
    "talk",
    "talks",
    "meeting",
    "summit",
}
#: "loyal to", "linked to", "affiliated with": the subject acts for the actor named after it
AFFILIATED = {
    **dict.fromkeys(
        (
            "loyal",
            "link",
            "linked",
            "affiliate",
            "affiliated",
            "ally",
            "allied",
            "align",
            "aligned",
            "tie",
            "tied",
        ),
        ("to", "with"),
    ),
    **dict.fromkeys(("work", "act", "fight", "spy"), ("for",)),  # "hackers working for X"
}
CALL_SOMEONE = Pattern("041", ("call",), "verb", "call (a person)")
CALL_VERBS = frozenset({"call", "phone", "ring"})
BACKGROUND_PREPS = {"after", "before", "following", "since", "amid", "despite", "over", "during"}
# ("fighter" alone is a combatant: "Taliban fighters"; "fighter jets" has the head "jet")
AERIAL = {"aircraft", "warplane", "jet", "plane", "helicopter", "drone", "bomber", "airstrike"}
# crowds whose violence CAMEO codes as a violent protest (145), not as an armed attack
CROWDS = {"protester", "demonstrator", "rioter", "crowd", "mob", "marcher"}
#: counts that stand for a crowd as the subject of a protest: "thousands rallied in Tokyo",
#: "tens of thousands held vigils across Australia", "a few hundred demonstrated"
CROWD_COUNTS = {"thousand", "hundred", "dozen", "million", "ten", "score"}
PATTERN_PREPS = {
    "with",
    "to",
    "on",
    "for",
    "from",
    "against",
    "in",
    "into",
    "at",
    "upon",
    "over",
    "by",
}
PLACE_ROOTS = {"14", "17", "18", "19", "20"}
REJECT_OF_ROOT = {"03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124"}
THREAT_OF_ROOT = {"15": "138", "16": "131", "17": "137", "18": "138", "19": "138", "20": "138"}
# "found" → find, "struck" → strike: the small model sometimes keeps the inflected form
IRREGULAR_BASE = {
    form: base
    for base, forms in IRREGULAR.items()
    for form in forms
    if base not in ("be", "have", "do")
}
SUFFIXES = (
    "ations",
    "ation",
    "ating",
    "ated",
    "ates",
    "ate",
    "ions",
    "ion",
    "ings",
    "ing",
    "ed",
    "es",
    "e",
    "s",
)

#: the roots of words (statements to threats): a stance of theirs can last for years
WORDS_ROOTS = frozenset({"01", "02", "03", "04", "05", "10", "11", "12", "13"})


# -- noun phrases and actors (coding.actors) ----------------------------------------------

# dependency labels that stay inside a noun phrase's core (not its clauses or preps)
NP_DEPS = {
    "compound",
    "amod",
    "poss",
    "flat",
    "appos",
    "nmod",
    "det",
    "case",
    "nummod",
    "punct",
    "cc",
    "npadvmod",
    "quantmod",
    "predet",
}
PAIR_HEADS = {
    "side",
    "leader",
    "country",
    "nation",
    "minister",
    "president",
    "government",
    "party",
    "neighbor",
    "neighbour",
    "state",
    "diplomat",
    "counterpart",
    "envoy",
    "capital",
    "premier",
    "chief",
    "official",
    "delegation",
    "ally",
    "foe",
}
NON_ACTOR_HEADS = {
    "peninsula",
    "war",
    "sea",
    "ocean",
    "language",
    "strait",
    "region",
    "border",
    "people's",
    "won",
    "dollar",
    "ruble",
    "rouble",
    "yen",
    "yuan",
    "euro",
    "vaccine",
    "route",
    "culture",
    "history",
    "economy",
    "market",
    "territory",
    "soil",
    "issue",
    "question",
    "problem",
    "crisis",
    "situation",
    "relation",
    "tie",
    "relationship",
    "law",
    "constitution",
    "flag",
    "embassy's",
    "year",
    "time",
    "style",
    "food",
    "team",
    "airline",
    "company's",
}
