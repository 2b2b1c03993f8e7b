"""Clitic-aware whole-word phrase matching over normalised text (Aho-Corasick).

Places and actors are both lexicon phrases that appear glued to Arabic proclitics:
"وبريف", "لمدينة", "بحلب", "للجيش" (ل + الجيش with the alef dropped).  One automaton per
lexicon finds every key in one pass; this module then keeps the occurrences that sit on
word boundaries, possibly behind a proclitic, and reports how much of the match is clitic
so the mention can leave it out (gold and users expect "ريف حمص", not "بريف حمص").
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import ahocorasick

from .normalise import fold

# proclitic sequences allowed before a word: conjunction, then preposition
_PROCLITIC = re.compile(r"[وف]?[بلك]?")


class Match(NamedTuple):
    """An occurrence of a key in normalised text; `nstart` excludes any proclitic.

    A NamedTuple, not a dataclass: matchers create thousands per document."""

    nstart: int
    nend: int
    key: str
    values: tuple[Any, ...]
    clitic: str = ""


class PhraseMatcher:
    """Collects (phrase → value) pairs, then finds them as whole words with proclitics.

    Phrases are folded with `fold`, so lexicon spellings with hamzas or diacritics match.
    A phrase starting with "ال" also matches after "ل" with its alef dropped ("للجيش").
    """

    def __init__(self) -> None:
        self._values: dict[str, list[Any]] = {}
        self._auto: Any = None

    def add(self, phrase: str, value: Any) -> None:
        key = " ".join(fold(phrase).split())
        if not key:
            return
        self._values.setdefault(key, []).append(value)
        self._auto = None

    def add_many(self, pairs: Iterable[tuple[str, Any]]) -> None:
        for phrase, value in pairs:
            self.add(phrase, value)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, phrase: str) -> bool:
        return " ".join(fold(phrase).split()) in self._values

    def _build(self) -> Any:
        auto = ahocorasick.Automaton()
        for key, vals in self._values.items():
            auto.add_word(key, (key, False, tuple(vals)))
        for key, vals in self._values.items():
            if key.startswith("ال") and len(key) > 3:
                lkey = "ل" + key[2:]  # "للجيش": ل + (ا)لجيش
                if lkey not in self._values:
                    auto.add_word(lkey, (key, True, tuple(vals)))
        if len(auto) == 0:
            auto.add_word("\x00", ("\x00", False, ()))
        auto.make_automaton()
        return auto

    def iter(self, norm: str) -> Iterator[Match]:
        """Every whole-word occurrence, including overlapping and nested ones."""
        if self._auto is None:
            self._auto = self._build()
        n = len(norm)
        # hot loop: str.isalpha tells letters on normalised text (no diacritics left)
        for end_idx, (key, lam_form, vals) in self._auto.iter(norm):
            end = end_idx + 1
            if end < n and norm[end].isalpha() and norm[end_idx].isalpha():
                continue
            start = end - (len(key) - 1 if lam_form else len(key))
            if start == 0 or not norm[start - 1].isalpha():
                if lam_form:
                    continue  # "لجيش" alone is not "الجيش"
                yield Match(start, end, key, vals, "")
                continue
            # letters glued to the front must form a proclitic (at most three: "وبال" is
            # already folded into the key's own "ال")
            j = start - 1
            while j > 0 and start - j < 4 and norm[j - 1].isalpha():
                j -= 1
            if j > 0 and norm[j - 1].isalpha():
                continue
            prefix = norm[j:start]
            if lam_form:
                # "للجيش": the prefix must end in the preposition ل (maybe after و/ف)
                if prefix.endswith("ل") and _PROCLITIC.fullmatch(prefix):
                    yield Match(start, end, key, vals, prefix)
                continue
            if key[0].isalpha() and _PROCLITIC.fullmatch(prefix):
                yield Match(start, end, key, vals, prefix)

    def find(self, norm: str) -> list[Match]:
        """Longest matches first, without overlaps, in text order."""
        return longest_first(self.iter(norm))


def longest_first(matches: Iterable[Match]) -> list[Match]:
    """Keep the longest of overlapping matches (earlier start breaks ties)."""
    ms = sorted(matches, key=lambda m: (m.nstart - m.nend, m.nstart))
    if not ms:
        return []
    taken = bytearray(max(m.nend for m in ms))  # 1 where a chosen match sits
    chosen: list[Match] = []
    for m in ms:
        if taken.find(1, m.nstart, m.nend) != -1:
            continue
        chosen.append(m)
        taken[m.nstart:m.nend] = b"\x01" * (m.nend - m.nstart)
    chosen.sort(key=lambda m: m.nstart)
    return chosen
