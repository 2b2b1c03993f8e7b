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
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import sub
from typing import Any

from rasd.lexicons import builtin

from . import gazetteer
from .document import Document
from .gazetteer import Gazetteer, Place
from .matcher import Match, PhraseMatcher, longest_first
from .mentions import PlaceMention
from .normalise import fold
from .pipeline import stage

_SPLIT = re.compile(r"([^\W_]+)")  # the gazetteer's WORD, captured
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]{2,}$")

# SPEC geo_precision by feature: 1 a named town or site, 2 part of a region, 3 a region
_PRECISION = {"governorate": 3, "district": 3, "region": 3, "country": 3, "river": 3, "sea": 3,
              "continent": 3, "strait": 3, "subdistrict": 2, "area": 2, "road": 2, "mountain": 2}


@dataclass(frozen=True)
class Head:
    feature: str
    prefer: tuple[str, ...]
    open: bool
    precision: int
    own_name: bool = False


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
    not_places: PhraseMatcher


@dataclass
class Spot:
    """A place phrase before resolution (offsets in the normalised text)."""

    nstart: int
    nend: int
    name_start: int
    name_end: int
    cands: list[Place]
    key: str = ""
    head: Head | None = None
    region: tuple[str, str] | None = None
    compass: list[str] = field(default_factory=list)
    near: str | None = None
    cued: bool = False
    wordlike: bool = False
    unknown: bool = False
    best: Place | None = None
    confidence: float = 1.0


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
    not_places = PhraseMatcher()
    for phrase in g.get("not_places") or []:
        not_places.add(phrase, True)
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


_PROCLITICS = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")
_FORMS: dict[int, dict[str, tuple[str, int]]] = {}


def _bare(word: str, table: dict[str, Any] | frozenset[str]) -> tuple[str, int] | None:
    """The word without its proclitic if that form is in `table`: (word, clitic length).

    Every clitic form of a table's words is listed once, so this is one dict lookup (it
    runs for every word of every article)."""
    return _forms(table).get(word)


def _forms(table: dict[str, Any] | frozenset[str]) -> dict[str, tuple[str, int]]:
    forms = _FORMS.get(id(table))
    if forms is None:
        forms = {}
        for w in table:
            for c in reversed(_PROCLITICS):
                forms[c + w] = (w, len(c))
        for w in table:
            forms[w] = (w, 0)
        _FORMS[id(table)] = forms
    return forms


class _Tokens:
    """Word tokens of the normalised text, indexed by their start and end offsets."""

    def __init__(self, norm: str) -> None:
        # all in C: split keeps the words (odd items), offsets are running sums of lengths
        parts = _SPLIT.split(norm)
        self.words = parts[1::2]
        ends = list(accumulate(map(len, parts)))[1::2]
        starts = list(map(sub, ends, map(len, self.words)))
        self.spans = list(zip(starts, ends, strict=True))
        self.all = list(zip(starts, ends, self.words, strict=True))
        self.by_start = dict(zip(starts, range(len(starts)), strict=True))
        self.norm = norm

    def gap_ok(self, i: int, j: int) -> bool:
        """Tokens i and j (i < j, adjacent) are separated by spaces only (no punctuation)."""
        return self.norm[self.spans[i][1]:self.spans[j][0]].strip() == ""


@stage("places", requires=("segment",), assigns=("places",))
class PlaceStage:
    """Append a `PlaceMention` for every place phrase of the article to `doc.places`."""

    def __init__(self, lexicon_dirs: tuple[str, ...] = ()) -> None:
        self.gaz: Gazetteer = gazetteer.load(tuple(lexicon_dirs))
        self.g = _grammar()

    # -- 1. spot --------------------------------------------------------------------------
    def _spots(self, norm: str, toks: _Tokens, dates: list[tuple[int, int]]) -> list[Spot]:
        gaz, g = self.gaz, self.g
        blocked = [(m.nstart, m.nend) for m in g.not_places.find(norm)]
        spots: list[Spot] = []
        for m in longest_first(gaz.names.iter(norm, toks.all)):
            if m.key in g.generic or any(s <= m.nstart and m.nend <= e for s, e in blocked):
                continue
            start = m.nstart
            if self._is_adjectival(m.key) and self._adjective_here(norm, toks, m):
                continue
            if any(ds < m.nend and m.nstart < de for ds, de in dates):
                continue  # "آب" is August before it is Ibb
            cands = [gaz.places[i] for i in m.values]
            spots.append(Spot(start, m.nend, start, m.nend, cands, key=m.key,
                              wordlike=m.key in gaz.wordlike or all(p.cue for p in cands)))
        unknown = self._unknown(norm, toks, [(s.nstart, s.nend) for s in spots], blocked)
        for u in unknown:  # a two-word unknown name ("سيدي خليفة") wins over a word inside it
            spots = [s for s in spots if not (u.nstart <= s.nstart and s.nend <= u.nend)]
        spots += unknown
        spots.sort(key=lambda s: s.nstart)
        return spots

    def _adjective_here(self, norm: str, toks: _Tokens, m: Match) -> bool:
        """A nisba that is also a place name, used as an adjective: "القوات السعودية",
        "فصائل سورية".  Adjectives follow their noun directly and carry no proclitic."""
        if m.clitic:
            return False
        i = toks.by_start.get(m.nstart)
        if not i or not toks.gap_ok(i - 1, i):
            return False
        prev = toks.words[i - 1]
        g = self.g
        if prev in g.function_words or _bare(prev, g.directions) or _bare(prev, g.near):
            return False
        if prev in self.gaz.names.values:  # a list of places, "مصر سورية"
            return False
        return prev.startswith("ال") == m.key.startswith("ال") and bool(_ARABIC_WORD.match(prev))

    def _is_adjectival(self, key: str) -> bool:
        return key in self.gaz.adjectival or key in self.g.adjectival

    def _unknown(self, norm: str, toks: _Tokens, taken: list[tuple[int, int]],
                 blocked: list[tuple[int, int]]) -> list[Spot]:
        """Names the gazetteer lacks, introduced by an open head word ("منطقة فضحة")."""
        g = self.g
        out = []
        covered = {i for s, e in taken for i in range(s, e)}
        n = len(toks.words)
        forms = _forms(g.heads)
        for i in [i for i, w in enumerate(toks.words[:-1]) if w in forms]:
            hit = forms[toks.words[i]]
            if not g.heads[hit[0]].open:
                continue
            j = i + 1
            s, e = toks.spans[j]
            gap = norm[toks.spans[i][1]:s].strip()
            quoted = gap == '"'
            if gap and not quoted:
                continue
            name = toks.words[j]
            prefix = name in g.name_prefixes and j + 1 < n and toks.gap_ok(j, j + 1) \
                and _ARABIC_WORD.match(toks.words[j + 1]) is not None and toks.words[j + 1] not in g.function_words
            if prefix:
                e = toks.spans[j + 1][1]
            elif s in covered or not (quoted and _ARABIC_WORD.match(name)) and not self._name_like(name):
                continue
            end = e
            if quoted and end < len(norm) and norm[end] == '"':
                end += 1
            if any(bs <= s < be for bs, be in blocked):
                continue
            if prefix and s in covered and any(ts == s and te >= e for ts, te in taken):
                continue  # the gazetteer knows the name: keep that match ("عين العرب")
            out.append(Spot(s, end, s, end, [], key=norm[s:end], unknown=True))
        return out

    def _name_like(self, word: str) -> bool:
        g = self.g
        if not _ARABIC_WORD.match(word) or word in g.not_names or _bare(word, g.heads):
            return False
        if not word.startswith("ال") and word.endswith(("ي", "يه")):
            return False  # an indefinite nisba adjective: "منطقة صحراوية", "حي تجاري"
        return not (word in g.directions or word in g.adjectives or word in g.near or word in g.regions)

    # -- 2. parse the phrase around each name ----------------------------------------------
    def _parse(self, sp: Spot, toks: _Tokens) -> None:
        g = self.g
        # the token that holds the name's first letter (it may start with a clitic)
        i = self._token_index(toks, sp.name_start)
        if i is None:
            return
        first = toks.words[i]
        glued = toks.spans[i][0] < sp.name_start  # a clitic on the name itself ("لمحافظة"…)
        k = i - 1
        # head word ("مدينة X"), maybe after a chain word ("مركز مديرية X")
        if k >= 0 and not glued and toks.gap_ok(k, i):
            hit = _bare(toks.words[k], g.heads)
            if hit:
                sp.head = g.heads[hit[0]]
                sp.nstart = toks.spans[k][0] + hit[1]
                glued = hit[1] > 0
                k -= 1
                if k >= 0 and not glued and toks.gap_ok(k, k + 1):
                    ch = _bare(toks.words[k], g.chain)
                    if ch:
                        sp.nstart = toks.spans[k][0] + ch[1]
                        glued = ch[1] > 0
                        k -= 1
            elif not glued:
                reg = _bare(toks.words[k], g.regions)
                if reg:
                    sp.region = g.regions[reg[0]]
                    sp.nstart = toks.spans[k][0] + reg[1]
                    glued = reg[1] > 0
                    k -= 1
        if sp.region is None and sp.key.split(" ")[0] in g.regions:
            sp.region = g.regions[sp.key.split(" ")[0]]
        # "الريف الشمالي لمحافظة حلب": region + adjectives, then ل + (head) name
        lam = glued and toks.words[k + 1][:1] == "ل" if k + 1 < len(toks.words) else False
        if lam or (first.startswith("ل") and toks.spans[i][0] < sp.name_start and sp.head is None):
            adj: list[str] = []
            kk = k if sp.head is not None else i - 1
            while kk >= 0 and toks.words[kk] in g.adjectives and toks.gap_ok(kk, kk + 1):
                adj.insert(0, g.adjectives[toks.words[kk]])
                kk -= 1
            if adj and kk >= 0 and toks.words[kk] in ("الريف", "البادية", "الاطراف", "الضواحي") and toks.gap_ok(kk, kk + 1):
                sp.region = g.regions.get(toks.words[kk][2:], ("region", "countryside"))
                sp.compass = adj
                sp.nstart = toks.spans[kk][0]
                sp.cued = True
                return
        # compass words before ("شمال غرب درعا", "شرقي مدينة غزة")
        comp: list[str] = []
        while k >= 0 and not glued and toks.gap_ok(k, k + 1) and len(comp) < 2:
            hit = _bare(toks.words[k], g.directions)
            if not hit:
                break
            comp.insert(0, g.directions[hit[0]])
            sp.nstart = toks.spans[k][0] + hit[1]
            glued = hit[1] > 0
            k -= 1
        sp.compass = comp
        # near words are a modifier but stay outside the span ("قرب بلدة X")
        if k >= 0 and toks.gap_ok(k, k + 1):
            hit = _bare(toks.words[k], g.near)
            if hit:
                sp.near = g.near[hit[0]]
            elif toks.words[k] == "من" and k >= 1 and toks.words[k - 1] in ("بالقرب", "القرب"):
                sp.near = "near"
        # compass adjectives after a region ("ريف حمص الشرقي"), suffixes after a site
        j = self._token_index(toks, sp.name_end - 1)
        if j is not None:
            j += 1
            post: list[str] = []
            while j < len(toks.words) and toks.gap_ok(j - 1, j) and len(post) < 2:
                w = toks.words[j]
                if sp.region is not None and w in g.adjectives:
                    post.append(g.adjectives[w])
                elif w in g.suffixes and sp.head is not None and sp.head.feature in ("airport", "base", "camp", "crossing"):
                    pass
                else:
                    break
                sp.nend = toks.spans[j][1]
                j += 1
            if post:
                sp.compass = comp + post
        sp.cued = sp.head is not None or sp.region is not None or bool(sp.compass)

    @staticmethod
    def _nspan(doc: Document, start: int, end: int) -> tuple[int, int]:
        """Normalised span of an original-text span (dates are stored in original offsets)."""
        return doc.norm_pos(start), doc.norm_pos(end)

    @staticmethod
    def _token_index(toks: _Tokens, npos: int) -> int | None:
        for p in range(npos, max(npos - 4, -1), -1):
            if p in toks.by_start:
                return toks.by_start[p]
        return None

    # -- 3. resolve -------------------------------------------------------------------------
    def _resolve(self, doc: Document, spots: list[Spot]) -> None:
        """Pick each spot's place: prior rank + the article's countries and governorates
        + the governorates named in the same sentence."""
        country_votes: Counter[str] = Counter()
        admin1_votes: Counter[tuple[str, str]] = Counter()
        if doc.meta.country:
            country_votes[str(doc.meta.country)] += 3
        for sp in spots:
            if sp.unknown:
                continue
            if sp.head is not None and sp.head.own_name:
                sp.unknown, sp.cands = True, []  # "مستشفى الثورة" is not the village الثورة
                continue
            if sp.head is not None and sp.head.prefer:
                pref = [p for p in sp.cands if p.feature in sp.head.prefer]
                if pref:
                    sp.cands = pref
            if sp.wordlike and not sp.cued:
                continue
            countries = {p.country for p in sp.cands}
            if len(countries) == 1:
                c = next(iter(countries))
                if c:
                    country_votes[c] += 1
                admins = {p.admin1 for p in sp.cands}
                if len(admins) == 1 and c and None not in admins:
                    admin1_votes[(c, next(iter(admins)))] += 1  # type: ignore[arg-type]
        n_votes = sum(country_votes.values()) or 1
        share = {c: v / n_votes for c, v in country_votes.items()}
        top_share = max(share.values(), default=0.0)
        total_admin = sum(admin1_votes.values()) or 1
        sent_of = [doc.sentence_index(sp.nstart) for sp in spots]
        sent_admins: dict[int, Counter[tuple[str, str]]] = {}
        for sp, si in zip(spots, sent_of, strict=True):
            if sp.unknown or (sp.wordlike and not sp.cued):
                continue
            admins = {(p.country, p.admin1) for p in sp.cands if p.admin1}
            if len(admins) == 1:
                sent_admins.setdefault(si, Counter())[next(iter(admins))] += 1  # type: ignore[index]

        for sp, si in zip(spots, sent_of, strict=True):
            if sp.unknown or not sp.cands:
                continue
            # a village of another country in an article about one country is a false match
            plausible = [p for p in sp.cands
                         if p.rank >= 50 or top_share < 0.5 or share.get(p.country or "", 0) >= 0.15]
            if not plausible:
                if sp.head is not None and sp.head.open:
                    sp.unknown, sp.cands = True, []
                else:
                    sp.cands = []
                continue
            local = sent_admins.get(si, Counter())
            own = {(q.country, q.admin1) for q in plausible}
            scored = []
            for p in plausible:
                # the prior counts half: context (country, governorates) decides close calls
                s = 0.5 * p.rank + 60 * share.get(p.country or "", 0)
                if p.admin1 and p.country:
                    s += 40 * admin1_votes[(p.country, p.admin1)] / total_admin
                    if local[(p.country, p.admin1)] > (1 if len(own) == 1 else 0):
                        s += 30
                if sp.region is not None:  # "ريف إدلب": the governorate's countryside
                    s += 15 if p.feature == "governorate" else 5 if p.feature in ("city", "district") else 0
                if sp.head is None and sp.region is None and p.feature == "governorate":
                    s -= 12  # a bare governorate name usually means its capital
                scored.append((s, p))
            scored.sort(key=lambda t: (-t[0], t[1].id))
            sp.best = scored[0][1]
            if len(scored) > 1:
                margin = scored[0][0] - scored[1][0]
                same = scored[0][1].admin1 == scored[1][1].admin1 and scored[0][1].country == scored[1][1].country
                sp.confidence = 0.9 if same else round(min(0.9, 0.5 + margin / 100), 2)
            else:
                sp.confidence = 0.95
            if sp.wordlike:
                sp.confidence = min(sp.confidence, 0.7)

    def _neighbour_cued(self, sp: Spot, others: list[Spot], si: int, sent_of: dict[int, int]) -> bool:
        """A word-like village is accepted next to another village of its district."""
        for other in others:
            if other is sp or other.best is None or sent_of[id(other)] != si:
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

    def _context_place(self, sp: Spot, spots: list[Spot], si: int, sent_of: dict[int, int],
                       fallback: Place | None) -> Place | None:
        """For an unknown name: the nearest place of its sentence below country level (the
        following one first: "منطقة فضحة شرق البيضاء"), else the article's main place."""
        best, dist = None, 10 ** 9
        country = None
        for other in spots:
            if other is sp or other.best is None or other.unknown or sent_of[id(other)] != si:
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
        norm = doc.norm
        toks = _Tokens(norm)
        dates = [self._nspan(doc, d.start, d.end) for d in doc.dates]
        spots = self._spots(norm, toks, dates)
        for sp in spots:
            self._parse(sp, toks)
        self._resolve(doc, spots)
        sent_of = {id(sp): doc.sentence_index(sp.nstart) for sp in spots}
        # a word-like name is a place in this article once it appears with a cue
        cued_keys = {sp.key for sp in spots if sp.wordlike and sp.cued}
        for sp in spots:
            if sp.wordlike and not sp.cued and sp.key in cued_keys:
                sp.cued = True
        resolved = [sp for sp in spots if sp.best is not None]
        for sp in spots:
            if sp.wordlike and not sp.cued and sp.best is not None \
                    and self._neighbour_cued(sp, resolved, sent_of[id(sp)], sent_of):
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
                ctx = self._context_place(sp, kept, sent_of[id(sp)], sent_of, main)
                if ctx is None or sp.head is None:
                    continue
                doc.places.append(self._mention(doc, sp, ctx, unknown=True))
            elif sp.best is not None:
                doc.places.append(self._mention(doc, sp, sp.best))

    def _mention(self, doc: Document, sp: Spot, p: Place, unknown: bool = False) -> PlaceMention:
        start, end, text = doc.span_text(sp.nstart, sp.nend)
        feature = p.feature
        precision = _PRECISION.get(p.feature, 1)
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
        if unknown:
            name_ar = doc.text[start:end]
            head_len = len(doc.span_text(sp.nstart, sp.name_start)[2]) if sp.name_start > sp.nstart else 0
            name_ar = name_ar[head_len:].strip()
            country, a1 = p.country, p.admin1
            a2 = p.admin2 if p.feature not in ("country", "governorate") else None
            return PlaceMention(text, start, end, doc.sentence_index(sp.nstart), place_id=None,
                                name=None, name_ar=name_ar, feature=feature, country=country,
                                admin1=a1, admin2=a2, admin3=None, latitude=p.lat, longitude=p.lon,
                                geo_precision=2, modifier=" ".join(modifier_parts) or None, confidence=0.5)
        admin1 = p.admin1
        if p.feature == "country":
            admin1 = None
        return PlaceMention(text, start, end, doc.sentence_index(sp.nstart), place_id=p.id, name=p.name,
                            name_ar=p.name_ar, feature=feature, country=p.country, admin1=admin1,
                            admin2=p.admin2, admin3=p.admin3, latitude=p.lat, longitude=p.lon,
                            geo_precision=precision, modifier=" ".join(modifier_parts) or None,
                            confidence=sp.confidence)
