"""Stage `places`: find place names, parse the spatial phrase around them, resolve each.

Three steps, each small:

1. *Spot.*  Gazetteer names are found with the clitic-aware matcher (longest first); a head
   word that may introduce an unknown name ("مديرية الملاجم", "حي الفرسان") adds a place the
   gazetteer lacks.  Names inside actor or organisation names ("قوات سوريا الديمقراطية")
   are dropped.
2. *Parse* the phrase as grammar, not as gazetteer entries: [near] [compass] [head|region]
   NAME [compass adjectives] — "قرب بلدة X", "شمال غرب درعا", "ريف إدلب الجنوبي",
   "الريف الشمالي لمحافظة حلب".  The phrase gives `feature`, `modifier` and
   `geo_precision`; the span covers head and compass words but not clitics or near-words.
   Names that are also ordinary words (wordlike.yaml, ranked from a news corpus) need a cue:
   a head, region or compass word, or a neighbouring village in the same sentence.
3. *Resolve* shared names (عفرين، نوى، البيضاء…) by scoring each candidate: its prior (rank:
   capitals, population), the article's dominant country and governorates, and the places
   named in the same sentence.  A close call lowers `confidence`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat
from operator import is_
from typing import Any, NamedTuple

from rasd.lexicons import builtin

from . import gazetteer
from .document import Document
from .gazetteer import Gazetteer, Hit, NameIndex, Place, Tokens
from .mentions import PlaceMention
from .normalise import fold
from .pipeline import stage

_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]{2,}$")

# SPEC geo_precision by feature: 1 a named town or site, 2 part of a region, 3 a region
_PRECISION = {"governorate": 3, "district": 3, "region": 3, "country": 3, "river": 3, "sea": 3,
              "continent": 3, "strait": 3, "subdistrict": 2, "area": 2, "road": 2, "mountain": 2}
_OUTER = ("الريف", "البادية", "الاطراف", "الضواحي")  # "الريف الشمالي لمحافظة حلب"


@dataclass(frozen=True)
class Head:
    feature: str
    prefer: tuple[str, ...]
    open: bool
    precision: int
    own_name: bool = False


_PROCLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")
Forms = dict[str, tuple[str, int]]


def _forms(table: dict[str, Any] | frozenset[str]) -> Forms:
    """Every proclitic form of a table's words → (bare word, clitic length): one dict
    lookup per word instead of trying each clitic reading."""
    forms: Forms = {}
    for w in table:
        for c in reversed(_PROCLITICS):
            forms[c + w] = (w, len(c))
    for w in table:
        forms[w] = (w, 0)
    return forms


@dataclass
class Grammar:
    heads: dict[str, Head]
    regions: dict[str, tuple[str, str]]
    directions: dict[str, str]
    adjectives: dict[str, str]
    near: dict[str, str]
    chain: frozenset[str]
    suffixes: frozenset[str]
    name_prefixes: frozenset[str]
    not_names: frozenset[str]
    generic: frozenset[str]
    function_words: frozenset[str]
    adjectival: frozenset[str]
    not_places: NameIndex
    head_forms: Forms = field(default_factory=dict)
    region_forms: Forms = field(default_factory=dict)
    direction_forms: Forms = field(default_factory=dict)
    near_forms: Forms = field(default_factory=dict)
    chain_forms: Forms = field(default_factory=dict)

    cues: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.head_forms = _forms(self.heads)
        self.region_forms = _forms(self.regions)
        self.direction_forms = _forms(self.directions)
        self.near_forms = _forms(self.near)
        self.chain_forms = _forms(self.chain)
        # a word before a name that may start a phrase with it
        self.cues = frozenset(self.head_forms) | frozenset(self.region_forms) | frozenset(self.direction_forms) \
            | frozenset(self.near_forms) | {"من"}


class Spot:
    """A place phrase before resolution (offsets in the normalised text; `ti`/`tl` are
    the name's first and last word).  Slotted: an article makes dozens."""

    __slots__ = ("nstart", "nend", "name_start", "name_end", "ti", "tl", "cands", "key", "head",
                 "region", "compass", "near", "cued", "wordlike", "unknown", "best", "confidence",
                 "sent", "votes")

    def __init__(self, nstart: int, nend: int, ti: int, tl: int, cands: tuple[Place, ...] | list[Place],
                 key: str, wordlike: bool = False, unknown: bool = False) -> None:
        self.nstart = self.name_start = nstart
        self.nend = self.name_end = nend
        self.ti, self.tl = ti, tl
        self.cands = cands
        self.key = key
        self.head: Head | None = None
        self.region: tuple[str, str] | None = None
        self.compass: list[str] = []
        self.near: str | None = None
        self.cued = False
        self.wordlike = wordlike
        self.unknown = unknown
        self.best: Place | None = None
        self.confidence = 1.0
        self.sent = 0
        self.votes: _Votes | None = None


_MEMO_LIMIT = 200_000  # words whose readings are remembered (news vocabulary is ~100k)
_NO_VOTES: dict[tuple[str, str], int] = {}


class _Votes(NamedTuple):
    """What a name's candidates say about the article, worked out once per name and head:
    the country and governorate they agree on (votes for the whole article), the one
    governorate they name (a vote for their sentence); and whether every candidate is
    well known (rank >= 50) and none needs a cue, so that `_resolve` can skip filtering
    candidates it would keep anyway (most names have one)."""

    cands: tuple[Place, ...] | list[Place]
    country: str | None
    admin1: tuple[str, str] | None
    local: tuple[str, str] | None
    ranked: bool
    cueless: bool

    @classmethod
    def of(cls, cands: tuple[Place, ...] | list[Place], prefer: tuple[str, ...]) -> _Votes:
        if prefer:
            pref = [p for p in cands if p.feature in prefer]
            if pref:
                cands = pref
        country = admin1 = None
        countries = {p.country for p in cands}
        if len(countries) == 1:
            country = next(iter(countries))
            admins = {p.admin1 for p in cands}
            if len(admins) == 1 and country and None not in admins:
                admin1 = (country, next(iter(admins)))
        pairs = {(p.country, p.admin1) for p in cands if p.admin1}
        local = next(iter(pairs)) if len(pairs) == 1 else None
        return cls(cands, country or None, admin1, local,  # type: ignore[arg-type]
                   all(p.rank >= 50 for p in cands), not any(p.cue for p in cands))


@lru_cache(maxsize=1)
def _grammar() -> Grammar:
    g = builtin("places/grammar")
    stop = builtin("places/head_stopwords")
    heads: dict[str, Head] = {}
    for h in g["heads"]:
        spec = Head(h["feature"], tuple(h.get("prefer") or ()), bool(h.get("open")), int(h.get("precision", 1)),
                    bool(h.get("own_name")))
        for w in h["words"]:
            heads[fold(w)] = spec
    not_places = NameIndex()
    for phrase in g.get("not_places") or []:
        not_places.add(" ".join(fold(phrase).split()), 0)
    not_names = {fold(w) for w in g.get("not_names") or []}
    function_words = frozenset(not_names)
    not_names |= {fold(w) for w in stop.get("after_head") or []} | {fold(w) for w in stop.get("common") or []}
    generic = {fold(w) for w in g.get("generic") or []}
    generic |= {"ال" + w for w in heads} | {"ال" + fold(w) for w in g["regions"]}
    return Grammar(
        heads=heads,
        regions={fold(k): (v["feature"], v["modifier"]) for k, v in g["regions"].items()},
        directions={fold(k): v for k, v in g["directions"].items()},
        adjectives={fold(k): v for k, v in g["adjectives"].items()},
        near={fold(k): v for k, v in g["near"].items()},
        chain=frozenset(fold(w) for w in g.get("chain") or ()),
        suffixes=frozenset(fold(w) for w in g.get("suffixes") or ()),
        name_prefixes=frozenset(fold(w) for w in g.get("name_prefixes") or ()),
        not_names=frozenset(not_names),
        generic=frozenset(generic),
        function_words=function_words,
        adjectival=frozenset(fold(w) for w in g.get("adjectival") or ()),
        not_places=not_places,
    )


@stage("places", requires=("segment",), assigns=("places",))
class PlaceStage:
    """Append a `PlaceMention` for every place phrase of the article to `doc.places`."""

    def __init__(self, lexicon_dirs: tuple[str, ...] = ()) -> None:
        self.gaz: Gazetteer = gazetteer.load(tuple(lexicon_dirs))
        self.g = _grammar()
        # per name: its candidate places, and whether it is also an ordinary word, a
        # generic word ("المدينة"), an adjective ("السعودية")
        self._keys: dict[str, tuple[tuple[Place, ...], bool, bool, bool]] = {}
        self._votes: dict[tuple[str, tuple[str, ...]], _Votes] = {}
        # words seen, 1 if they may start something (a dict of ints: the garbage collector
        # need not scan it), and what the hot ones may start: a gazetteer name, a
        # not-place phrase, a head word
        self._seen: dict[str, int] = {}
        self._memo: dict[str, tuple[Any, Any, bool]] = {}
        # the first words of names and not-place phrases, and every form of a head word
        self._starts = frozenset(self.gaz.names.first) | frozenset(self.g.not_places.first) | frozenset(self.g.head_forms)

    # -- 1. spot --------------------------------------------------------------------------
    def _spots(self, toks: Tokens, dates: list[tuple[int, int]]) -> list[Spot]:
        gaz, g = self.gaz, self.g
        words = toks.words
        # what each word may start (a gazetteer name, a not-place phrase, a head word),
        # worked out once per process: an article costs a few passes in C over its words
        seen, memo = self._seen, self._memo
        flags = list(map(seen.get, words))  # 1 hot, 0 not, None never seen (all in C)
        at = list(compress(range(toks.n), flags))
        if None in flags:
            at = self._learn(words, flags, at)
        idx = [(i, memo[words[i]]) for i in at]
        blocked = [(h[2], h[3]) for h in _longest_first(
            NameIndex.hits(toks, [(i, r[1]) for i, r in idx if r[1] is not None]))]
        # characters inside a not-place phrase or a date, and where dates start: a name
        # overlaps a date if it starts inside one or one starts inside it
        in_blocked = {i for s, e in blocked for i in range(s, e)}
        in_date = {i for ds, de in dates for i in range(ds, de)}
        date_starts = sorted(ds for ds, _ in dates)
        spots: list[Spot] = []
        keys = self._keys
        for ti, tj, start, end, key, vals, clitic in _longest_first(
                NameIndex.hits(toks, [(i, r[0]) for i, r in idx if r[0] is not None])):
            info = keys.get(key)
            if info is None:
                cands = tuple(gaz.places[i] for i in vals)
                info = keys[key] = (cands, key in gaz.wordlike or all(p.cue for p in cands), key in g.generic,
                                    key in gaz.adjectival or key in g.adjectival)
            if info[2] or (start in in_blocked and any(s <= start and end <= e for s, e in blocked)):
                continue
            if info[3] and not clitic and self._adjective_here(toks, ti, key):
                continue
            if date_starts:
                k = bisect_right(date_starts, start)
                if start in in_date or k < len(date_starts) and date_starts[k] < end:
                    continue  # "آب" is August before it is Ibb
            spots.append(Spot(start, end, ti, tj - 1, info[0], key, info[1]))
        heads = [i for i, r in idx if r[2]]
        if heads:
            unknown = self._unknown(toks, heads, spots, blocked)
            for u in unknown:  # a two-word unknown name ("سيدي خليفة") wins over a word inside it
                spots = [s for s in spots if not (u.nstart <= s.nstart and s.nend <= u.nend)]
            if unknown:
                spots += unknown
                spots.sort(key=lambda s: s.nstart)
        return spots

    def _learn(self, words: list[str], flags: list[int | None], at: list[int]) -> list[int]:
        """Work out what this article's new words (flag None) may start, remember it, and
        return `at` (the indices of hot words) with the new hot words added.

        Most articles bring a few dozen new words and few of them are hot: their indices
        are added to `at` rather than looking every word up again (~0.03 ms an article)."""
        gaz, g, seen, memo = self.gaz, self.g, self._seen, self._memo
        cleared = len(seen) > _MEMO_LIMIT
        if cleared:
            seen.clear()
        starts = self._starts
        hot = False
        for w in set(compress(words, map(is_, flags, repeat(None)))):
            seen[w] = 0  # most new words start nothing: reject them cheaply
            if w in starts or len(w) > 2 and w[0] in "وفبلك" and (
                    w[1:] in starts or len(w) > 3 and w[0] in "وف" and w[1] in "بلك" and w[2:] in starts):
                r = (gaz.names.readings(w), g.not_places.readings(w), w in g.head_forms)
                if r[0] is not None or r[1] is not None or r[2]:
                    memo[w] = r
                    seen[w] = 1
                    hot = True
        if cleared:  # the words known before are unknown again: look every word up
            return list(compress(range(len(words)), map(seen.get, words)))
        if not hot:
            return at
        new = [i for i in compress(range(len(words)), map(is_, flags, repeat(None))) if seen[words[i]]]
        return sorted(at + new)

    def _adjective_here(self, toks: Tokens, i: int, key: str) -> bool:
        """A nisba that is also a place name, used as an adjective: "القوات السعودية",
        "فصائل سورية".  Adjectives follow their noun directly and carry no proclitic."""
        if not i or not toks.seps[i - 1].isspace():
            return False
        prev = toks.words[i - 1]
        g = self.g
        if prev in g.function_words or prev in g.direction_forms or prev in g.near_forms:
            return False
        if prev in self.gaz.names.values:  # a list of places, "مصر سورية"
            return False
        return prev.startswith("ال") == key.startswith("ال") and bool(_ARABIC_WORD.match(prev))

    def _unknown(self, toks: Tokens, heads: list[int], spots: list[Spot],
                 blocked: list[tuple[int, int]]) -> list[Spot]:
        """Names the gazetteer lacks, introduced by an open head word ("منطقة فضحة")."""
        g = self.g
        words, n, norm, seps = toks.words, toks.n, toks.norm, toks.seps
        forms = g.head_forms
        out = []
        for i in heads:
            if i == n - 1 or not g.heads[forms[words[i]][0]].open:
                continue
            j = i + 1
            gap = seps[i].strip()
            quoted = gap == '"'
            if gap and not quoted:
                continue
            s = toks.start(j)
            e = s + len(words[j])
            name = words[j]
            prefix = name in g.name_prefixes and j + 1 < n and seps[j].isspace() \
                and _ARABIC_WORD.match(words[j + 1]) is not None and words[j + 1] not in g.function_words
            covered = any(sp.nstart <= s < sp.nend for sp in spots)
            if prefix:
                e = toks.end(j + 1)
            elif covered or not (quoted and _ARABIC_WORD.match(name)) and not self._name_like(name):
                continue
            end = e
            if quoted and end < len(norm) and norm[end] == '"':
                end += 1
            if any(bs <= s < be for bs, be in blocked):
                continue
            if prefix and covered and any(sp.nstart == s and sp.nend >= e for sp in spots):
                continue  # the gazetteer knows the name: keep that match ("عين العرب")
            out.append(Spot(s, end, j, j + 1 if prefix else j, (), norm[s:end], unknown=True))
        return out

    def _name_like(self, word: str) -> bool:
        g = self.g
        if not _ARABIC_WORD.match(word) or word in g.not_names or word in g.head_forms:
            return False
        if not word.startswith("ال") and word.endswith(("ي", "يه")):
            return False  # an indefinite nisba adjective: "منطقة صحراوية", "حي تجاري"
        return not (word in g.directions or word in g.adjectives or word in g.near or word in g.regions)

    # -- 2. parse the phrase around each name ----------------------------------------------
    def _parse(self, sp: Spot, toks: Tokens) -> None:
        """seps[k] separates word k from word k + 1 (see `Tokens`)."""
        g = self.g
        words, seps = toks.words, toks.seps
        i = sp.ti  # the word that holds the name's first letter (it may start with a clitic)
        glued = toks.start(i) < sp.name_start  # a clitic on the name itself ("لمحافظة"…)
        if not glued and (i == 0 or words[i - 1] not in g.cues):
            # most names stand alone: no word before them takes part in the phrase
            region = sp.region = g.regions.get(sp.key.split(" ", 1)[0])
            j = sp.tl + 1
            if region is None or j >= toks.n or words[j] not in g.adjectives:
                sp.cued = region is not None
                return
        k = i - 1
        # head word ("مدينة X"), maybe after a chain word ("مركز مديرية X")
        if k >= 0 and not glued and seps[k].isspace():
            hit = g.head_forms.get(words[k])
            if hit:
                sp.head = g.heads[hit[0]]
                sp.nstart = toks.start(k) + hit[1]
                glued = hit[1] > 0
                k -= 1
                if k >= 0 and not glued and seps[k].isspace():
                    ch = g.chain_forms.get(words[k])
                    if ch:
                        sp.nstart = toks.start(k) + ch[1]
                        glued = ch[1] > 0
                        k -= 1
            else:
                reg = g.region_forms.get(words[k])
                if reg:
                    sp.region = g.regions[reg[0]]
                    sp.nstart = toks.start(k) + reg[1]
                    glued = reg[1] > 0
                    k -= 1
        if sp.region is None:
            sp.region = g.regions.get(sp.key.split(" ", 1)[0])
        # "الريف الشمالي لمحافظة حلب": region + adjectives, then ل + (head) name
        if glued and (words[k + 1][:1] == "ل" or sp.head is None and words[i][:1] == "ل"
                      and toks.start(i) < sp.name_start):
            adj: list[str] = []
            kk = k if sp.head is not None else i - 1
            while kk >= 0 and words[kk] in g.adjectives and seps[kk].isspace():
                adj.insert(0, g.adjectives[words[kk]])
                kk -= 1
            if adj and kk >= 0 and words[kk] in _OUTER and seps[kk].isspace():
                sp.region = g.regions.get(words[kk][2:], ("region", "countryside"))
                sp.compass = adj
                sp.nstart = toks.start(kk)
                sp.cued = True
                return
        # compass words before ("شمال غرب درعا", "شرقي مدينة غزة")
        comp: list[str] = []
        while k >= 0 and not glued and len(comp) < 2 and seps[k].isspace():
            hit = g.direction_forms.get(words[k])
            if not hit:
                break
            comp.insert(0, g.directions[hit[0]])
            sp.nstart = toks.start(k) + hit[1]
            glued = hit[1] > 0
            k -= 1
        sp.compass = comp
        # near words are a modifier but stay outside the span ("قرب بلدة X")
        if k >= 0 and seps[k].isspace():
            hit = g.near_forms.get(words[k])
            if hit:
                sp.near = g.near[hit[0]]
            elif words[k] == "من" and k >= 1 and words[k - 1] in ("بالقرب", "القرب"):
                sp.near = "near"
        # compass adjectives after a region ("ريف حمص الشرقي"), suffixes after a site
        j = sp.tl + 1
        post: list[str] = []
        while j < toks.n and len(post) < 2 and seps[j - 1].isspace():
            w = words[j]
            if sp.region is not None and w in g.adjectives:
                post.append(g.adjectives[w])
            elif w in g.suffixes and sp.head is not None and sp.head.feature in ("airport", "base", "camp", "crossing"):
                pass
            else:
                break
            sp.nend = toks.end(j)
            j += 1
        if post:
            sp.compass = comp + post
        sp.cued = sp.head is not None or sp.region is not None or bool(sp.compass)

    # -- 3. resolve -------------------------------------------------------------------------
    def _resolve(self, doc: Document, spots: list[Spot]) -> None:
        """Pick each spot's place: prior rank + the article's countries and governorates
        + the governorates named in the same sentence."""
        country_votes: dict[str, int] = {}
        admin1_votes: dict[tuple[str, str], int] = {}
        sent_admins: dict[int, dict[tuple[str, str], int]] = {}
        if doc.meta.country:
            country_votes[str(doc.meta.country)] = 3
        votes = self._votes
        for sp in spots:
            if sp.unknown:
                continue
            head = sp.head
            if head is not None and head.own_name:
                sp.unknown, sp.cands = True, []  # "مستشفى الثورة" is not the village الثورة
                continue
            prefer = head.prefer if head is not None else ()
            v = votes.get((sp.key, prefer))
            if v is None:
                v = votes[(sp.key, prefer)] = _Votes.of(sp.cands, prefer)
            sp.cands, sp.votes = v.cands, v
            if sp.wordlike and not sp.cued:
                continue
            if v.country:
                country_votes[v.country] = country_votes.get(v.country, 0) + 1
            if v.admin1:
                admin1_votes[v.admin1] = admin1_votes.get(v.admin1, 0) + 1
            if v.local:
                local = sent_admins.get(sp.sent)
                if local is None:
                    local = sent_admins[sp.sent] = {}
                local[v.local] = local.get(v.local, 0) + 1
        n_votes = sum(country_votes.values()) or 1
        share = {c: v / n_votes for c, v in country_votes.items()}
        top_share = max(share.values(), default=0.0)
        total_admin = sum(admin1_votes.values()) or 1

        last = len(spots) - 1
        for k, sp in enumerate(spots):
            if sp.unknown or not sp.cands:
                continue
            v = sp.votes
            assert v is not None  # set above for every spot with candidates
            # a village of another country in an article about one country is a false match
            if top_share < 0.5 or v.ranked:
                plausible = sp.cands
            else:
                plausible = [p for p in sp.cands if p.rank >= 50 or share.get(p.country or "", 0) >= 0.15]
            if not sp.cued and not v.cueless:  # a village that needs a head word ("قرية تركيا") is not bare "تركيا"
                plausible = [p for p in plausible if not p.cue] or plausible
            area = self._area_after(sp, spots, k) if k < last and spots[k + 1].region is not None else None
            if area is not None:  # "قرية القصر بريف الحسكة": the village is in that governorate
                inside = [p for p in plausible if (p.country, p.admin1) == area]
                if inside:
                    plausible = inside
                elif sp.head is not None and sp.head.open:
                    sp.unknown, sp.cands = True, []  # a village the gazetteer lacks, placed there
                    continue
            if len(plausible) == 1:
                sp.best = plausible[0]
                sp.confidence = 0.7 if sp.wordlike else 0.95
                continue
            if not plausible:
                if sp.head is not None and sp.head.open:
                    sp.unknown, sp.cands = True, []
                else:
                    sp.cands = []
                continue
            local = sent_admins.get(sp.sent, _NO_VOTES)
            own = {(q.country, q.admin1) for q in plausible}
            scored = []
            for p in plausible:
                # the prior counts half: context (country, governorates) decides close calls
                s = 0.5 * p.rank + 60 * share.get(p.country or "", 0)
                if p.admin1 and p.country:
                    s += 40 * admin1_votes.get((p.country, p.admin1), 0) / total_admin
                    if local.get((p.country, p.admin1), 0) > (1 if len(own) == 1 else 0):
                        s += 30
                if sp.region is not None:  # "ريف إدلب": the governorate's countryside
                    s += 15 if p.feature == "governorate" else 5 if p.feature in ("city", "district") else 0
                if sp.head is None and sp.region is None and p.feature == "governorate":
                    s -= 12  # a bare governorate name usually means its capital
                scored.append((s, p))
            scored.sort(key=lambda t: (-t[0], t[1].id))
            sp.best = scored[0][1]
            margin = scored[0][0] - scored[1][0]
            same = scored[0][1].admin1 == scored[1][1].admin1 and scored[0][1].country == scored[1][1].country
            sp.confidence = 0.9 if same else round(min(0.9, 0.5 + margin / 100), 2)
            if sp.wordlike:
                sp.confidence = min(sp.confidence, 0.7)

    def _area_after(self, sp: Spot, spots: list[Spot], k: int) -> tuple[str, str] | None:
        """The governorate of a countryside phrase right after the spot ("بريف الحسكة")."""
        nxt = spots[k + 1] if k + 1 < len(spots) else None
        if nxt is None or nxt.region is None or nxt.sent != sp.sent or not 0 <= nxt.nstart - sp.nend <= 4:
            return None
        govs = {(p.country, p.admin1) for p in nxt.cands if p.feature == "governorate" and p.admin1}
        if len(govs) == 1:  # "ريف X" is governorate X's countryside
            return next(iter(govs))  # type: ignore[return-value]
        v = self._votes.get((nxt.key, nxt.head.prefer if nxt.head is not None else ()))
        return v.admin1 if v is not None else None

    def _neighbour_cued(self, sp: Spot, others: list[Spot]) -> bool:
        """A word-like village is accepted next to another village of its district
        (`others`: the resolved spots of its sentence)."""
        for other in others:
            if other is sp:
                continue
            b = other.best
            if b.feature not in ("village", "town", "neighbourhood", "city") or not b.admin2:
                continue
            if other.wordlike and not other.cued and abs(other.nstart - sp.nend) > 6 and abs(sp.nstart - other.nend) > 6:
                continue  # two word-like names support each other only side by side ("نبل والزهراء")
            for p in sp.cands:
                if p.admin2 == b.admin2 and p.admin1 == b.admin1 and p.feature in ("village", "town", "neighbourhood", "city"):
                    sp.best = p
                    return True
        return False

    def _context_place(self, sp: Spot, spots: list[Spot], fallback: Place | None) -> Place | None:
        """For an unknown name: the nearest place of its sentence below country level (the
        following one first: "منطقة فضحة شرق البيضاء"), else the article's main place."""
        best, dist = None, 10 ** 9
        country = None
        for other in spots:
            if other is sp or other.best is None or other.unknown or other.sent != sp.sent:
                continue
            if other.best.feature == "country" or not other.best.admin1:
                country = country or other.best
                continue
            d = other.nstart - sp.nend if other.nstart >= sp.nend else (sp.nstart - other.nend) * 1.5
            if d < dist and d <= 60:
                best, dist = other.best, d
        if best is None and fallback is not None and (country is None or fallback.country == country.country):
            best = fallback
        return best or country or fallback

    def __call__(self, doc: Document) -> None:
        toks = Tokens(doc.norm)
        # dates are stored in original offsets
        dates = [(doc.norm_pos(d.start), doc.norm_pos(d.end)) for d in doc.dates]
        spots = self._spots(toks, dates)
        sentence_index = doc.sentence_index
        for sp in spots:
            self._parse(sp, toks)
            sp.sent = sentence_index(sp.nstart)
        self._resolve(doc, spots)
        # a word-like name is a place in this article once it appears with a cue
        cued_keys = {sp.key for sp in spots if sp.wordlike and sp.cued}
        for sp in spots:
            if sp.wordlike and not sp.cued and sp.key in cued_keys:
                sp.cued = True
        # resolved spots by sentence (in text order): a neighbour must share the sentence
        resolved: dict[int, list[Spot]] = {}
        for sp in spots:
            if sp.best is not None:
                resolved.setdefault(sp.sent, []).append(sp)
        for sp in spots:
            if sp.wordlike and not sp.cued and sp.best is not None \
                    and self._neighbour_cued(sp, resolved[sp.sent]):
                sp.cued = True
        kept = [sp for sp in spots if (not sp.wordlike or sp.cued) and (sp.best is not None or sp.unknown)]
        # the article's main place: the governorate named most often
        votes: Counter[str] = Counter()
        by_admin: dict[str, Place] = {}
        for sp in kept:
            if sp.best is not None and sp.best.admin1:
                k = f"{sp.best.country}/{sp.best.admin1}"
                votes[k] += 1
                by_admin.setdefault(k, sp.best)
        main = by_admin[votes.most_common(1)[0][0]] if votes else None
        for sp in kept:
            if sp.unknown:
                ctx = self._context_place(sp, kept, main)
                if ctx is None or sp.head is None:
                    continue
                doc.places.append(self._mention(doc, sp, ctx, unknown=True))
            elif sp.best is not None:
                doc.places.append(self._mention(doc, sp, sp.best))

    def _mention(self, doc: Document, sp: Spot, p: Place, unknown: bool = False) -> PlaceMention:
        start, end = doc.orig(sp.nstart, sp.nend)
        text = doc.text[start:end]
        feature = p.feature
        if not unknown and sp.head is None and sp.region is None and not sp.compass and not sp.near:
            # a bare name, most mentions: the place as the gazetteer has it
            return PlaceMention(text, start, end, sp.sent, p.id, p.name, p.name_ar, feature, p.country,
                                None if feature == "country" else p.admin1, p.admin2, p.admin3, p.lat, p.lon,
                                _PRECISION.get(feature, 1), None, sp.confidence)
        precision = _PRECISION.get(feature, 1)
        modifier_parts: list[str] = []
        if sp.head is not None:
            feature = sp.head.feature if unknown or sp.head.feature not in ("area",) else p.feature
            if unknown:
                precision = max(2, sp.head.precision)
        if sp.region is not None:
            feature = sp.region[0]
            modifier_parts.append(sp.region[1])
            precision = 3 if p.feature in ("governorate", "country", "region") else 2
        if sp.compass:
            modifier_parts.insert(0, "-".join(dict.fromkeys(sp.compass)))
            if sp.region is None:
                precision = max(precision, 2)
                if p.feature == "country":
                    feature = "region"
        if sp.near:
            modifier_parts.insert(0, sp.near)
            precision = max(precision, 2)
        modifier = " ".join(modifier_parts) or None
        if unknown:
            name_ar = text
            if sp.name_start > sp.nstart:
                name_ar = name_ar[len(doc.span_text(sp.nstart, sp.name_start)[2]):]
            a2 = p.admin2 if p.feature not in ("country", "governorate") else None
            return PlaceMention(text, start, end, sp.sent, None, None, name_ar.strip(), feature, p.country,
                                p.admin1, a2, None, p.lat, p.lon, 2, modifier, 0.5)
        return PlaceMention(text, start, end, sp.sent, p.id, p.name, p.name_ar, feature, p.country,
                            None if p.feature == "country" else p.admin1, p.admin2, p.admin3, p.lat, p.lon,
                            precision, modifier, sp.confidence)


def _longest_first(hits: list[Hit]) -> list[Hit]:
    """Keep the longest of overlapping occurrences (earlier start breaks ties), in text
    order.  Two occurrences overlap exactly when they share a word."""
    last = -1
    for h in hits:  # usually one name per word, in text order: nothing to do
        if h[0] <= last:
            break
        last = h[1] - 1
    else:
        return hits
    taken: set[int] = set()
    chosen = []
    for h in sorted(hits, key=lambda h: (h[2] - h[3], h[2])):
        if h[1] - h[0] == 1:
            if h[0] in taken:
                continue
            taken.add(h[0])
        else:
            span = range(h[0], h[1])
            if not taken.isdisjoint(span):
                continue
            taken.update(span)
        chosen.append(h)
    chosen.sort(key=lambda h: h[2])
    return chosen
