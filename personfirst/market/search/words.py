"""The words people search with: stop words, synonyms and phrases.

A query becomes a list of *concepts*; each concept is a list of
alternatives, and each alternative a phrase of one or more words:

    "carer day centre" -> [[["carer"], ["carers"], ["caring"], ...],
                           [["day", "centre"], ["day", "service"], ...]]

Both databases stem each word (Porter's English stemmer on SQLite, the
'english' configuration on PostgreSQL), so "volunteer" finds
"volunteering"; synonyms cover what stemming cannot ("carer" and "caring"
have different stems, "day centre" and "day service" are different words).
"""

from __future__ import annotations

import re

# Groups of words and phrases that mean the same to the people searching.
SYNONYMS: list[tuple[str, ...]] = [
    # Not "caring" on its own: it stems to "care", which nearly every entry says.
    ("carer", "carers", "caring for", "caregiver", "care giver", "unpaid carer"),
    ("day centre", "day center", "day service", "day services", "day care", "day opportunities"),
    ("home care", "homecare", "domiciliary care", "care at home", "help at home", "home help"),
    ("respite", "short break", "short breaks", "respite care"),
    ("befriending", "befriender", "companionship", "friendship", "friends", "lonely", "loneliness"),
    ("personal assistant", "personal assistants", "pa"),
    ("transport", "travel", "lifts", "driving", "bus"),
    ("meals", "meal", "food", "lunch", "dinner", "cooking"),
    ("advice", "information", "guidance", "signposting"),
    ("advocacy", "advocate", "speak up"),
    ("dementia", "alzheimers", "alzheimer's", "memory loss", "memory"),
    ("exercise", "fitness", "keep fit", "walking", "sport"),
    ("job", "jobs", "work", "employment", "paid work"),
    ("money", "benefits", "finance", "budgeting", "debt"),
    ("direct payment", "direct payments", "personal budget", "personal budgets"),
    ("garden", "gardening", "allotment"),
    ("shopping", "shop", "shops"),
    ("wheelchair", "mobility", "walking aid"),
    ("deaf", "hearing loss", "hard of hearing"),
    ("blind", "sight loss", "visual impairment", "partially sighted"),
    ("mental health", "wellbeing", "anxiety", "depression"),
    ("learning disability", "learning disabilities"),
    ("older people", "elderly", "older person", "pensioners"),
    ("weekend", "weekends", "saturday", "saturdays", "sunday", "sundays"),
]

STOP_WORDS = frozenset(
    {
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "for",
        "from",
        "get",
        "go",
        "going",
        "had",
        "has",
        "have",
        "he",
        "her",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "like",
        "me",
        "more",
        "most",
        "my",
        "near",
        "no",
        "not",
        "of",
        "off",
        "on",
        "or",
        "our",
        "out",
        "over",
        "she",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "too",
        "up",
        "us",
        "very",
        "want",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
        "see",
    }
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LONGEST = 3


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


_INDEX: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
for _group in SYNONYMS:
    _phrases = [_phrase(item) for item in _group]
    for _item in _phrases:
        _INDEX.setdefault(_item, [])
        for _other in _phrases:
            if _other not in _INDEX[_item]:
                _INDEX[_item].append(_other)


def words(text: str) -> list[str]:
    return _WORD.findall((text or "").lower().replace("’", "'"))


def concepts(text: str, *, limit: int = 12) -> list[list[tuple[str, ...]]]:
    """The query's concepts, synonyms expanded, stop words left out
    (unless the query is nothing but stop words)."""
    tokens = words(text)
    found: list[list[tuple[str, ...]]] = []
    position = 0
    while position < len(tokens) and len(found) < limit:
        for size in range(min(_LONGEST, len(tokens) - position), 0, -1):
            candidate = tuple(tokens[position : position + size])
            if candidate in _INDEX:
                found.append(list(_INDEX[candidate]))
                position += size
                break
        else:
            word = tokens[position]
            if word not in STOP_WORDS and len(word) > 1:
                found.append([(word.replace("'", ""),)])
            position += 1
    if not found:
        found = [[(word.replace("'", ""),)] for word in tokens if len(word) > 1][:limit]
    return found


def fts5_query(groups: list[list[tuple[str, ...]]], *, every: bool) -> str:
    """An FTS5 MATCH expression: alternatives joined by OR, concepts by AND
    (``every``) or OR. Every phrase is quoted, so no word is read as syntax."""
    parts = []
    for group in groups:
        alternatives = " OR ".join('"' + " ".join(phrase).replace('"', "") + '"' for phrase in group)
        parts.append(f"({alternatives})")
    return (" AND " if every else " OR ").join(parts)


def tsquery_sql(groups: list[list[tuple[str, ...]]], *, every: bool) -> tuple[str, list[str]]:
    """A PostgreSQL tsquery expression with its parameters."""
    sql_groups, params = [], []
    for group in groups:
        alternatives = []
        for phrase in group:
            alternatives.append("phraseto_tsquery('english', %s)")
            params.append(" ".join(phrase))
        sql_groups.append("(" + " || ".join(alternatives) + ")")
    return (" && " if every else " || ").join(sql_groups), params


# --- Grid squares as words (SQLite) ----------------------------------------------
#
# FTS5 scores (bm25) every document a query matches, and words people use
# match thousands. So that a search near a place scores only the documents
# near it, each document also holds, in its ``squares`` column, a word for
# each 10 km and 50 km square of the grid its places are in ("a62x30",
# "b12x6"); a search within a radius adds the squares the radius touches.
SQUARES = (("a", 10_000), ("b", 50_000))


def squares_of(points) -> str:
    words_ = {f"{letter}{e // size}x{n // size}" for e, n in points for letter, size in SQUARES}
    return " ".join(sorted(words_))


def squares_near(easting: int, northing: int, radius: int) -> list[str] | None:
    """The squares a circle touches, at the smallest size that needs at most 3 by 3 of them; None if too big."""
    for letter, size in SQUARES:
        if radius <= size:
            xs = range((easting - radius) // size, (easting + radius) // size + 1)
            ys = range((northing - radius) // size, (northing + radius) // size + 1)
            return [f"{letter}{x}x{y}" for x in xs for y in ys]
    return None
