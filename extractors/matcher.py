"""Clitic-aware whole-word phrase matching over normalised text (Aho-Corasick).

Places and actors are both lexicon phrases that appear glued to Arabic proclitics:
"وبريف", "لمدينة", "بحلب", "للجيش" (ل + الجيش with the alef dropped).  One automaton per
lexicon finds every key in one pass; this module then keeps the occurrences that sit on
word boundaries, possibly behind a proclitic, and reports how much of the match is clitic
so the mention can leave it out (gold and users expect "ريف حمص", not "بريف حمص").
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import ahocorasick

from .normalise import fold

# proclitic sequences allowed before a word: conjunction, then preposition ([وف]?[بلك]?)
_PROCLITICS = frozenset(c + p for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك"))


# what the automaton reports for a word: the key, whether the word is its lam form, values
Entry = tuple[str, bool, tuple[Any, ...]]
# a merged automaton's payload for a word: its length, whether it ends in a letter, and
# for each matcher holding it (matcher index, key, lam form?, values, key starts with a letter)
_Owner = tuple[int, str, bool, tuple[Any, ...], bool]
_Payload = tuple[int, bool, tuple[_Owner, ...]]


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
        # the scan this matcher's hits come from: shared with other matchers (`share_scan`)
        # or its own, built on first use
        self._shared: tuple[SharedScan, int] | None = None

    def add(self, phrase: str, value: Any) -> None:
        key = " ".join(fold(phrase).split())
        if not key:
            return
        self._values.setdefault(key, []).append(value)
        self._shared = None  # the automaton no longer holds every key

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

    def iter(self, norm: str) -> Iterator[Match]:
        """Every whole-word occurrence, including overlapping and nested ones."""
        if self._shared is None:  # not sharing a scan: one of its own (built once)
            self._shared = (SharedScan([self]), 0)
        shared, member = self._shared
        return iter(shared.matches(member, norm))

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
    The whole-word test is made once per hit for every matcher holding the word, and a
    matcher's `Match`es are built in the same pass (a list, not a generator: a third
    cheaper per hit).
    """

    def __init__(self, matchers: list[PhraseMatcher]) -> None:
        self.size = len(matchers)
        merged: dict[str, list[_Owner]] = {}
        for k, m in enumerate(matchers):
            for word, (key, lam, vals) in m.entries():
                merged.setdefault(word, []).append((k, key, lam, vals, key[:1].isalpha()))
        auto = ahocorasick.Automaton()
        for word, owners in merged.items():
            auto.add_word(word, (len(word), word[-1].isalpha(), tuple(owners)))
        if len(auto) == 0:
            auto.add_word("\x00", (1, False, ()))
        auto.make_automaton()
        self._auto = auto
        self._text: str | None = None  # the text last scanned, and its matches per member
        self._matches: list[list[Match]] = []

    def matches(self, member: int, norm: str) -> list[Match]:
        """Member `member`'s whole-word matches in `norm` (nested ones too, in the order
        the automaton reports them), from one scan per text for all members."""
        if norm is not self._text:
            self._matches = self._scan(norm)
            self._text = norm
        return self._matches[member]

    def _scan(self, norm: str) -> list[list[Match]]:
        per: list[list[Match]] = [[] for _ in range(self.size)]
        n = len(norm)
        new = tuple.__new__  # `Match(...)` without the Python-level __new__: ~60 per article
        payload: _Payload
        for end_idx, payload in self._auto.iter(norm):
            size, edge, owners = payload
            end = end_idx + 1
            # hot loop: str.isalpha tells letters on normalised text (no diacritics left)
            if edge and end < n and norm[end].isalpha():
                continue
            start = end - size
            if start == 0 or not norm[start - 1].isalpha():
                prefix = ""
            else:
                # letters glued to the front must form a proclitic (at most three: "وبال"
                # is already folded into the key's own "ال")
                j = start - 1
                while j > 0 and start - j < 4 and norm[j - 1].isalpha():
                    j -= 1
                if j > 0 and norm[j - 1].isalpha():
                    continue
                prefix = norm[j:start]
                if prefix not in _PROCLITICS:
                    continue
            for k, key, lam_form, vals, letter in owners:
                if lam_form:
                    # "للجيش": the prefix must end in the preposition ل (maybe after و/ف);
                    # "لجيش" alone is not "الجيش"
                    if prefix.endswith("ل"):
                        per[k].append(new(Match, (start, end, key, vals, prefix)))
                elif letter or not prefix:
                    per[k].append(new(Match, (start, end, key, vals, prefix)))
        return per


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
