"""Stage `normalise`: fold the text for matching while keeping a map back to the original.

Every later stage matches on `doc.norm` (diacritics and tatweel removed; alef, alef maksura,
teh marbuta and hamza seats folded; Arabic-Indic/Persian digits as ASCII; Arabic punctuation
as ASCII; Latin lower-cased).  Folding only ever deletes a character or replaces it by one
character, so a span in the normalised text maps back to exactly one span of the original:
that is what lets every mention keep `text == original[start:end]`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rasd.lexicons import builtin

from .document import Document
from .pipeline import stage


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[int, str | None], frozenset[str], re.Pattern[str]]:
    fold: dict[str, str] = builtin("charmap")["fold"]
    table: dict[int, str | None] = {ord(k): (v if v else None) for k, v in fold.items()}
    for c in range(ord("A"), ord("Z") + 1):
        table[c] = chr(c + 32)
    deleted = frozenset(k for k, v in fold.items() if not v)
    deleted_re = re.compile("[" + re.escape("".join(sorted(deleted))) + "]")
    return table, deleted, deleted_re


@lru_cache(maxsize=1)
def _replacements() -> tuple[tuple[str, str], ...] | None:
    """The fold table as (character, replacement) pairs for `str.replace`, or None if
    replacing one character after another could differ from `str.translate` (a
    replacement holding a character that is itself folded differently).

    Why: `str.translate` with a dict looks every character up and raises a KeyError
    inside C for each unchanged one -- most of an Arabic text; ~100 `str.replace` calls,
    skipped for the characters the text lacks, cost a fifth of that."""
    table = _tables()[0]
    pairs = tuple((chr(k), v or "") for k, v in table.items())
    for _, v in pairs:
        if any(table.get(ord(c), c) != c for c in v):
            return None
    return pairs


def fold(text: str) -> str:
    """The matching form of `text` (what lexicon entries and `doc.norm` are compared in)."""
    return text.translate(_tables()[0])


def normalise(text: str) -> tuple[str, list[int] | None]:
    """Return (normalised text, deletion map); the map is None when nothing was deleted.

    News text rarely carries diacritics, so instead of one offset per character we keep,
    for each deleted character, the normalised position it sat before: original index of
    normalised position i = i + (number of deletions at positions <= i).
    """
    table, _, deleted_re = _tables()
    pairs = _replacements()
    if pairs is None:
        norm = text.translate(table)
    else:
        norm = text
        for c, v in pairs:
            if c in norm:
                norm = norm.replace(c, v)
    if len(norm) == len(text):
        return norm, None
    return norm, [m.start() - r for r, m in enumerate(deleted_re.finditer(text))]


@stage("normalise", requires=(), assigns=("norm",))
class Normaliser:
    """Fill `doc.norm` and its offset map; run once, before anything that matches text."""

    def __init__(self, lexicon_dirs: tuple[str, ...] = ()) -> None:
        _replacements()

    def __call__(self, doc: Document) -> None:
        doc.norm, doc.offmap = normalise(doc.text)
