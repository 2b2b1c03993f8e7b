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


@dataclass
class NameIndex:
    """Names by their first word: whole-word, proclitic-aware lookup in one pass over tokens.

    Same contract as `matcher.PhraseMatcher` (a match excludes its proclitic; a name in
    "ال" also matches fused with ل, "لليمن"), but an article costs one dict lookup per
    word and proclitic reading instead of walking every substring hit of 10k names: the
    gazetteer has many two- and three-letter names that hit inside most words.
    For a fused ل the match starts after the ل ("يمن"), as the gold rules ask.
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

    def __contains__(self, phrase: str) -> bool:
        return " ".join(WORD.findall(fold(phrase))) in self.values

    def __len__(self) -> int:
        return len(self.values)

    def iter(self, norm: str, tokens: list[tuple[int, int, str]] | None = None) -> Iterator[Match]:
        """Every occurrence (nested ones too); `tokens` = word tokens (start, end, word).

        Words of a name are separated by spaces or a dash ("طريق حمص - دمشق")."""
        if tokens is None:
            tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(norm)]
        first, n = self.first, len(tokens)
        # the readings of each distinct word that start a name: C-level set work first,
        # Python only for the few words that hit
        readings: dict[str, list[tuple[int, list[tuple[tuple[str, ...], str, bool]]]]] = {}
        for w in {t[2] for t in tokens}:
            r = []
            if w in first:
                r.append((0, first[w]))
            if len(w) > 2 and w[0] in "وفبلك":
                if w[1:] in first:
                    r.append((1, first[w[1:]]))
                if len(w) > 3 and w[0] in "وف" and w[1] in "بلك" and w[2:] in first:
                    r.append((2, first[w[2:]]))
            if r:
                readings[w] = r
        for i in [i for i, t in enumerate(tokens) if t[2] in readings]:
            s, _e, w = tokens[i]
            for k, hits in readings[w]:
                prefix = w[:k]
                nxt = tokens[i + 1][2] if i + 1 < n else ""
                for tail, key, lam in hits:
                    if lam and not prefix.endswith("ل"):
                        continue
                    j = i + 1 + len(tail)
                    if tail and (tail[0] != nxt or j > n or not self._tail_ok(norm, tokens, i, tail)):
                        continue
                    yield Match(s + k + lam, tokens[j - 1][1], key, self.values[key], prefix)

    @staticmethod
    def _tail_ok(norm: str, tokens: list[tuple[int, int, str]], i: int, tail: tuple[str, ...]) -> bool:
        for t, word in enumerate(tail, 1):
            if tokens[i + t][2] != word or norm[tokens[i + t - 1][1]:tokens[i + t][0]].strip(" -\u2013") != "":
                return False
        return True


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
    print(write_cache(), file=sys.stderr)
