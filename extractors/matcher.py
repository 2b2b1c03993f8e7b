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


# what the automaton reports for a word: the key, whether the word is its lam form, values
Entry = tuple[str, bool, tuple[Any, ...]]


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
        self._shared: tuple[SharedScan, int] | None = None  # see `share_scan`

    def add(self, phrase: str, value: Any) -> None:
        key = " ".join(fold(phrase).split())
        if not key:
            return
        self._values.setdefault(key, []).append(value)
        self._auto = None
        self._shared = None  # the shared automaton no longer holds every key

    def add_many(self, pairs: Iterable[tuple[str, Any]]) -> None:
        for phrase, value in pairs:
            self.add(phrase, value)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, phrase: str) -> bool:
        return " ".join(fold(phrase).split()) in self._values

    def entries(self) -> Iterator[tuple[str, Entry]]:
        """The automaton's words and what each reports: (key, lam form?, values)."""
        for key, vals in self._values.items():
            yield key, (key, False, tuple(vals))
        for key, vals in self._values.items():
            if key.startswith("ال") and len(key) > 3:
                lkey = "ل" + key[2:]  # "للجيش": ل + (ا)لجيش
                if lkey not in self._values:
                    yield lkey, (key, True, tuple(vals))

    def _build(self) -> Any:
        auto = ahocorasick.Automaton()
        for word, entry in self.entries():
            auto.add_word(word, entry)
        if len(auto) == 0:
            auto.add_word("\x00", ("\x00", False, ()))
        auto.make_automaton()
        return auto

    def _raw(self, norm: str) -> Iterable[tuple[int, Entry]]:
        """Every substring occurrence of a key: (index of its last character, entry)."""
        if self._shared is not None:
            shared, member = self._shared
            return shared.hits(member, norm)
        if self._auto is None:
            self._auto = self._build()
        return self._auto.iter(norm)

    def iter(self, norm: str) -> Iterator[Match]:
        """Every whole-word occurrence, including overlapping and nested ones."""
        n = len(norm)
        # hot loop: str.isalpha tells letters on normalised text (no diacritics left)
        for end_idx, (key, lam_form, vals) in self._raw(norm):
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


class SharedScan:
    """One Aho-Corasick pass over a text for several matchers (see `share_scan`).

    Why: scanning a 2,000-character article costs ~0.05 ms per automaton, about what all
    the Python filtering of its hits costs; the dates, actors and casualties stages scan
    the same `doc.norm`, so one pass over a merged automaton serves all three.  Each
    matcher still gets exactly its own hits in its own order: at each end position an
    automaton reports the keys ending there longest first, whatever other keys it holds.
    """

    def __init__(self, matchers: list[PhraseMatcher]) -> None:
        self.size = len(matchers)
        merged: dict[str, list[tuple[int, Entry]]] = {}
        for k, m in enumerate(matchers):
            for word, entry in m.entries():
                merged.setdefault(word, []).append((k, entry))
        auto = ahocorasick.Automaton()
        for word, owners in merged.items():
            auto.add_word(word, tuple(owners))
        if len(auto) == 0:
            auto.add_word("\x00", ())
        auto.make_automaton()
        self._auto = auto
        self._text: str | None = None  # the text last scanned, and its hits per member
        self._hits: list[list[tuple[int, Entry]]] = []

    def hits(self, member: int, norm: str) -> list[tuple[int, Entry]]:
        """Member `member`'s raw hits in `norm`, from one scan per text for all members."""
        if norm is not self._text:
            per: list[list[tuple[int, Entry]]] = [[] for _ in range(self.size)]
            for end_idx, owners in self._auto.iter(norm):
                for k, entry in owners:
                    per[k].append((end_idx, entry))
            self._hits = per
            self._text = norm
        return self._hits[member]


def share_scan(matchers: Iterable[PhraseMatcher]) -> None:
    """Let `matchers` share one automaton pass per text (they must not change afterwards:
    `add` detaches a matcher again)."""
    ms = list(dict.fromkeys(matchers))
    if len(ms) < 2:
        return
    shared = SharedScan(ms)
    for k, m in enumerate(ms):
        m._shared = (shared, k)


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
