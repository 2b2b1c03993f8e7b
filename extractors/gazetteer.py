"""The gazetteer: every place rasd knows, indexed by the folded form of each of its names.

People edit YAML (`lexicons/places/*.yaml`: generated files from OCHA, GeoNames and CLDR,
plus the hand-curated `landmarks.yaml`), but parsing 2 MB of YAML takes a second, so rasd
loads a pickle compiled from those files (`gazetteer.pickle`, rebuilt by
`python scripts/build_gazetteer.py --cache-only` or `python -m rasd.extractors.gazetteer`).
The pickle records a digest of the YAML it came from: a stale cache is ignored and the
gazetteer is compiled from YAML in memory instead, so an edit is never silently lost.
"""
from __future__ import annotations

import hashlib
import pickle
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress
from operator import add, not_
from pathlib import Path
from typing import Any, NamedTuple

from rasd.lexicons import LEXICON_DIR, LexiconError, read_yaml, user_sections

from .matcher import Match
from .normalise import fold

PLACES_DIR = LEXICON_DIR / "places"
CACHE = PLACES_DIR / "gazetteer.pickle"
# generated first, hand-curated last: landmarks extend and correct generated entries
SOURCES = ("countries", "syria", "iraq", "geonames", "landmarks")
CACHE_VERSION = 5
# a name is a sequence of words; spaces or a dash may separate them ("طريق حمص - دمشق")
WORD = re.compile(r"[^\W_]+")
_SPLIT = re.compile(r"([^\W_]+)")


class Tokens:
    """The words of a normalised text (maximal runs of letters and digits), with offsets.

    Built for speed, as every article is split into ~400 words and few of them matter:
    `str.split(" ")` (C) cuts at single spaces (line breaks read as spaces), and only the
    ~1 chunk in 7 that is not a single word ("حلب,", "(سانا)", "" between two spaces) is
    split further, once per process per distinct chunk.  Every separator is kept at its
    length, so offsets are running sums of word and separator lengths (`accumulate`, in
    C).  A regex over the whole text costs as much as all of this, and locating words
    with `str.find` afterwards (as before) a third more.
    `seps[k]` is the text between word k and word k + 1 with line breaks written as
    spaces (`gap` gives it exactly).
    """

    __slots__ = ("norm", "words", "seps", "n", "_start")

    def __init__(self, norm: str) -> None:
        self.norm = norm
        chunks = (norm.replace("\n", " ") if "\n" in norm else norm).split(" ")
        words: list[str] = []
        seps: list[str] = []
        tail: str | None = None  # what follows the last word so far (None: no word yet)
        prev = 0
        size = len(chunks)
        odd = list(compress(range(size), map(not_, map(str.isalnum, chunks))))  # all in C
        odd.append(size)
        for b in odd:
            if b > prev:  # chunks[prev:b] are single words, one space apart
                if tail is not None:
                    seps.append(tail + " ")
                words += chunks[prev:b]
                seps += [" "] * (b - prev - 1)
                tail = ""
            if b == size:
                break
            chunk = chunks[b]
            lead, inner, between, trail = _PIECES.get(chunk) or _pieces(chunk)
            if inner:
                if tail is not None:
                    seps.append(f"{tail} {lead}")
                words += inner
                seps += between
                tail = trail
            elif tail is not None:
                tail = f"{tail} {lead}"
            prev = b + 1
        self.words = words
        self.seps = seps
        self.n = len(words)
        # separators are as long as the text between words: each word starts where the one
        # before it and its separator end (sums in C); nothing but non-word characters
        # comes before the first word, so its text is found there first
        self._start = list(accumulate(map(add, map(len, words), map(len, seps)), initial=norm.find(words[0]))) \
            if words else []

    def start(self, i: int) -> int:
        return self._start[i]

    def end(self, i: int) -> int:
        return self._start[i] + len(self.words[i])

    def gap(self, i: int) -> str:
        """The exact text between word i and word i + 1."""
        return self.norm[self._start[i] + len(self.words[i]):self._start[i + 1]]

    def spaced(self, i: int) -> bool:
        """Words i and i + 1 are separated by whitespace only (no punctuation)."""
        return self.seps[i].isspace()


_PIECES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], str]] = {}


def _pieces(chunk: str) -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
    """A space-free chunk that is not one word ("حلب,", "2024-05-27", "-", ""): the
    separator before its first word, its words, the separators between them, the
    separator after the last (a chunk without words is all lead).  Remembered: news
    repeat these chunks ("سوريا,", "الماضي.")."""
    p = _PIECES.get(chunk)
    if p is None:
        parts = _SPLIT.split(chunk)
        p = (parts[0], tuple(parts[1::2]), tuple(parts[2:-1:2]), parts[-1] if len(parts) > 1 else "")
        if len(_PIECES) > 20_000:
            _PIECES.clear()
        _PIECES[chunk] = p
    return p


# a name occurrence: first word, last word + 1, start (after the proclitic), end, key,
# place indices, proclitic
Hit = tuple[int, int, int, int, str, tuple[int, ...], str]
# a reading of a word: offset of the name in it, proclitic, the name's other words, key, values
_Reading = tuple[int, str, tuple[str, ...], str, tuple[int, ...]]
# a word's readings arranged for lookup: those that fit whatever word follows (one-word
# names), and by the word that follows, those that may fit there (one-word names and the
# longer names whose second word it is), each in the readings' own order
Plan = tuple[tuple[_Reading, ...], dict[str, tuple[_Reading, ...]]]
_MEMO_LIMIT = 200_000


def _plan(readings: tuple[_Reading, ...]) -> Plan | None:
    """Arrange a word's readings for `NameIndex.hits` (None when it has none).

    Why: a common first word ("علي", "بن", "مدينة") starts hundreds of names, and testing
    each against the next word cost more than all other work on that word."""
    if not readings:
        return None
    groups: dict[str, list[_Reading]] = {r[2][0]: [] for r in readings if r[2]}
    for r in readings:  # one pass, keeping the readings' order in every group
        if r[2]:
            groups[r[2][0]].append(r)
        else:
            for group in groups.values():
                group.append(r)
    return tuple(r for r in readings if not r[2]), {w: tuple(g) for w, g in groups.items()}


@dataclass
class NameIndex:
    """Names by their first word: whole-word, proclitic-aware lookup in one pass over tokens.

    Same contract as `matcher.PhraseMatcher` (a match excludes its proclitic; a name in
    "ال" also matches fused with ل, "لليمن"), but an article costs one dict lookup per
    word and proclitic reading instead of walking every substring hit of 10k names: the
    gazetteer has many two- and three-letter names that hit inside most words.
    For a fused ل the match starts after the ل ("يمن"), as the gold rules ask.
    The readings of each word are worked out once per process (`_memo`): news reuse the
    same few tens of thousands of words, so an article is mostly set operations in C.
    """

    values: dict[str, tuple[int, ...]] = field(default_factory=dict)
    first: dict[str, list[tuple[tuple[str, ...], str, bool]]] = field(default_factory=dict)

    def add(self, key: str, value: int) -> None:
        words = tuple(WORD.findall(key))
        if not words:
            return
        key = " ".join(words)
        if key not in self.values:
            self.first.setdefault(words[0], []).append((words[1:], key, False))
            if words[0].startswith("ال") and len(words[0]) > 3:
                self.first.setdefault("ل" + words[0][2:], []).append((words[1:], key, True))
        self.values[key] = (*self.values.get(key, ()), value)
        self.__dict__.pop("_memo", None)
        self.__dict__.pop("_hot", None)

    def __contains__(self, phrase: str) -> bool:
        return " ".join(WORD.findall(fold(phrase))) in self.values

    def __len__(self) -> int:
        return len(self.values)

    def __getstate__(self) -> dict[str, Any]:
        return {"values": self.values, "first": self.first}  # not the per-process memo

    def _readings(self, w: str) -> tuple[_Reading, ...]:
        """The names word `w` may start, bare or behind a proclitic (و ف ب ل ك, وب…)."""
        first = self.first
        found = []
        if w in first:
            found.append((0, first[w]))
        if len(w) > 2 and w[0] in "وفبلك":
            if w[1:] in first:
                found.append((1, first[w[1:]]))
            if len(w) > 3 and w[0] in "وف" and w[1] in "بلك" and w[2:] in first:
                found.append((2, first[w[2:]]))
        out: list[_Reading] = []
        for k, hits in found:
            prefix = w[:k]
            for tail, key, lam in hits:
                if lam and not prefix.endswith("ل"):
                    continue
                out.append((k + lam, prefix, tail, key, self.values[key]))
        return tuple(out)

    def scan(self, toks: Tokens, vocab: set[str] | None = None) -> list[Hit]:
        """Every occurrence (nested ones too), in text order; `vocab` = set(toks.words)
        if the caller has it.

        Words of a name are separated by spaces or a dash ("طريق حمص - دمشق")."""
        try:
            memo, hot = self._memo, self._hot  # type: ignore[has-type]
        except AttributeError:
            memo, hot = self._memo, self._hot = {}, set()
        words = toks.words
        if vocab is None:
            vocab = set(words)
        new = vocab.difference(memo)
        if new:
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
                hot.clear()
                new = vocab
            for w in new:
                r = memo[w] = self.readings(w)
                if r is not None:
                    hot.add(w)
        if vocab.isdisjoint(hot):
            return []
        return self.hits(toks, [(i, memo[w]) for i, w in enumerate(words) if w in hot])

    def readings(self, w: str) -> Plan | None:
        """The names word `w` may start, as a `Plan` for `hits`, or None if there are none
        (callers that keep their own memo use this)."""
        return _plan(self._readings(w))

    @staticmethod
    def hits(toks: Tokens, starts: list[tuple[int, Plan]]) -> list[Hit]:
        """The occurrences of names starting at the given words, whose readings are known."""
        words, n, known = toks.words, toks.n, toks._start
        out: list[Hit] = []
        last = n - 1
        for i, (alone, by_next) in starts:
            s = known[i]
            # only the readings that fit the next word: "علي" starts hundreds of names
            for off, prefix, tail, key, vals in by_next.get(words[i + 1], alone) if i < last else alone:
                if not tail:
                    out.append((i, i + 1, s + off, s + len(words[i]), key, vals, prefix))
                    continue
                j = i + 1 + len(tail)
                if j > n:
                    continue
                for t, word in enumerate(tail, i + 1):
                    if words[t] != word or toks.gap(t - 1).strip(" -\u2013"):
                        break
                else:
                    out.append((i, j, s + off, known[j - 1] + len(words[j - 1]), key, vals, prefix))
        return out

    def iter(self, norm: str) -> Iterator[Match]:
        """Every occurrence (nested ones too) as `Match`es, in text order."""
        for _i, _j, s, e, key, vals, prefix in self.scan(Tokens(norm)):
            yield Match(s, e, key, vals, prefix)


class Place(NamedTuple):
    """One gazetteer entry (SPEC §5 place fields, plus the prior and the cue flag).

    A NamedTuple, not a dataclass: ten thousand of them unpickle five times faster.
    """

    id: str
    name: str
    name_ar: str
    feature: str
    country: str | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    lat: float | None
    lon: float | None
    rank: int
    cue: bool = False


@dataclass
class Gazetteer:
    """Places, and a clitic-aware index from folded name → indices into `places`."""

    places: list[Place]
    names: NameIndex
    wordlike: frozenset[str]
    adjectival: frozenset[str]
    digest: str

    def by_id(self, ident: str) -> Place | None:
        for p in self.places:
            if p.id == ident:
                return p
        return None


def _files(extra_dirs: tuple[str, ...] = ()) -> list[Path]:
    files = [PLACES_DIR / f"{n}.yaml" for n in SOURCES]
    # user folders (--lexicons DIR): any YAML file with a top-level `places:` list
    return files + [path for path, _ in user_sections(tuple(extra_dirs), "places")]


def digest(files: list[Path] | None = None) -> str:
    """Digest of every YAML file the gazetteer is compiled from (cache validity)."""
    h = hashlib.sha1(str(CACHE_VERSION).encode())
    for f in [*(files or _files()), PLACES_DIR / "wordlike.yaml"]:
        h.update(f.name.encode())
        if f.exists():
            h.update(f.read_bytes())
    return h.hexdigest()


def _merge(files: list[Path]) -> list[dict[str, Any]]:
    """Read entries; an entry whose id exists and has no `feature` extends that entry."""
    entries: dict[str, dict[str, Any]] = {}
    for f in files:
        data = read_yaml(f) or {}
        for i, e in enumerate(data.get("places") or []):
            if not isinstance(e, dict) or "id" not in e:
                raise LexiconError(f"{f}:0: places[{i}] needs an id")
            ident = str(e["id"])
            if ident in entries and "feature" not in e:
                base = entries[ident]
                base["alt"] = list(base.get("alt") or []) + list(e.get("alt") or [])
                base.update({k: v for k, v in e.items() if k not in ("alt", "id")})
            elif "feature" not in e:
                raise LexiconError(f"{f}:0: {ident}: extends no known place (or lacks a feature)")
            else:
                entries[ident] = dict(e)
    return list(entries.values())


def compile_gazetteer(extra_dirs: tuple[str, ...] = ()) -> Gazetteer:
    """Build the gazetteer from YAML (slow path: used to write the cache, or when stale)."""
    files = _files(extra_dirs)
    places: list[Place] = []
    names = NameIndex()
    for e in _merge(files):
        p = Place(
            id=str(e["id"]), name=str(e.get("name") or e["ar"]), name_ar=str(e["ar"]),
            feature=str(e["feature"]), country=e.get("country"), admin1=e.get("admin1"),
            admin2=e.get("admin2"), admin3=e.get("admin3"),
            lat=float(e["lat"]) if e.get("lat") is not None else None,
            lon=float(e["lon"]) if e.get("lon") is not None else None,
            rank=int(e.get("rank", 60)), cue=bool(e.get("cue", False)),
        )
        idx = len(places)
        places.append(p)
        seen = set()
        for name in [p.name_ar, *(e.get("alt") or [])]:
            key = " ".join(fold(str(name)).split())
            if key and key not in seen:
                seen.add(key)
                names.add(key, idx)
    wl = PLACES_DIR / "wordlike.yaml"
    lists = (read_yaml(wl) or {}) if wl.exists() else {}

    def folded(name: str) -> frozenset[str]:
        return frozenset(" ".join(fold(str(w)).split()) for w in lists.get(name) or [])

    return Gazetteer(places, names, folded("wordlike"), folded("adjectival"), digest(files))


def write_cache(path: Path = CACHE) -> str:
    """Compile the built-in YAML and write the pickle rasd loads at start-up."""
    gaz = compile_gazetteer()
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return f"{path.name}: {len(gaz.places)} places, {len(gaz.names)} names, digest {gaz.digest[:12]}"


@lru_cache(maxsize=4)
def load(extra_dirs: tuple[str, ...] = ()) -> Gazetteer:
    """The gazetteer for this process: the pickle when it matches the YAML, else compiled."""
    if not extra_dirs and CACHE.exists():
        try:
            with CACHE.open("rb") as fh:
                gaz = pickle.load(fh)
            if isinstance(gaz, Gazetteer) and gaz.digest == digest():
                return gaz
        except Exception:  # an unreadable cache only costs time
            pass
    return compile_gazetteer(extra_dirs)


if __name__ == "__main__":  # python -m rasd.extractors.gazetteer
    # through the imported module: run as __main__, pickle would record this module's
    # classes as "__main__.Gazetteer", which no other process can load
    from rasd.extractors import gazetteer as _module

    print(_module.write_cache(), file=sys.stderr)
