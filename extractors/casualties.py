"""Stage `casualties`: who was killed, injured, captured or missing, and how many.

Arabic reports state a toll in a handful of shapes: a verbal noun with its victims after it
("مقتل 25 شخصا"), a verb with its subject after or before it ("قُتل عنصران وضابط", "25 شخصا
قتلوا"), a victim noun counted before it ("60 قتيلا", "عشرات الجرحى"), the split idiom
"لقي 12 شخصا مصرعهم", and a toll read off a head noun ("عدد القتلى 14").  The stage finds
status words (one Aho-Corasick pass over a single automaton that also holds every other word
class it needs), then reads the quantity phrase each shape puts next to them with a small
grammar: bounds (نحو / أكثر من / على الأقل), figures and vague quantities, victim nouns whose
number is itself a count (dual = 2, singular = 1), coordination ("20 شخصا و4 أطفال" = 24),
subsets that are not added ("بينهم 10 أطفال"), and the affiliation that names the victims'
side.  Counts follow ACLED's conservative reading so they can be summed into events.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rasd.lexicons import builtin

from .document import Document
from .matcher import Match, PhraseMatcher, longest_first
from .mentions import CasualtyMention
from .normalise import fold
from .numbers import NumberMatch, read_number
from .pipeline import stage

MAX_SPAN = 190  # original characters; the scorer rejects statements longer than 200
_LETTER = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[^\W_]+")
_NISBA = re.compile(r"(?:ي|يا|يه|يين|يون|يان|يات)$")  # adjectives of origin after a victim noun
_SKIPPABLE = " \t\u00a0\"'#()"
_CLAUSE_END = ".!?;:\n\r"
_YEAR = range(1900, 2101)
# ACLED inter codes → victim_type
_INTER_TYPE = {1: "military", 8: "military", 2: "armed group", 3: "armed group", 4: "armed group",
               5: "civilians", 6: "civilians", 7: "civilians"}
_DUAL_ROLES = {"verb_dual": 2, "noun_dual": 2, "death_dual": 2, "masdar_dual": 2}
_SG_ROLES = {"verb_sg", "noun_sg", "death_sg", "masdar_sg"}


# -- lexicon ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lex:
    matcher: PhraseMatcher  # words the stage must find anywhere: status words, cues
    lazy: _Phrases  # words it only checks at a known position: victims, bounds, particles
    purpose: frozenset[str]
    civilian_nationalities: frozenset[str]


# proclitics a word may carry: conjunction, then preposition (as PhraseMatcher allows)
_CLITIC_SPLITS = tuple(c + p for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك"))
_CLITIC_SET = frozenset(_CLITIC_SPLITS)


class _Phrases:
    """Phrases looked up at a given word rather than searched for.

    Function words ("في", "من", "قد") and victim nouns are checked only where the grammar
    asks; keeping them out of the automaton spares thousands of in-word hits per article.
    Matching follows PhraseMatcher: whole words, proclitics allowed, "لل" for ل + "ال".
    """

    def __init__(self) -> None:
        self.first: dict[str, dict[str, list[tuple[Any, ...]]]] = {}

    def add(self, phrase: str, value: tuple[Any, ...]) -> None:
        key = " ".join(fold(phrase).split())
        if key:
            self.first.setdefault(key.split(" ")[0], {}).setdefault(key, []).append(value)

    def at(self, norm: str, i: int) -> list[Match]:
        m = _WORDS.match(norm, i)
        if not m:
            return []
        cands = self._candidates(m.group())
        if not cands:
            return []
        out: list[Match] = []
        n = len(norm)
        for pre, key, body, vals in cands:
            ns = i + len(pre)
            end = ns + len(body)
            if norm.startswith(body, ns) and not (end < n and _LETTER.match(norm[end])):
                out.append(Match(ns, end, key, vals, pre))
        return out

    @lru_cache(maxsize=16384)  # noqa: B019 - one instance per process, held by _lexicon()
    def _candidates(self, word: str) -> tuple[tuple[str, str, str, tuple[Any, ...]], ...]:
        """Phrases that may start at `word`: (proclitic, key, text to find after it, values)."""
        out = []
        for size in range(min(len(word), 3)):  # the word's own proclitic splits, in _CLITIC_SPLITS order
            pre = word[:size]
            if pre not in _CLITIC_SET:
                continue
            stem = word[size:]
            for first, lam in ((stem, False), ("ا" + stem, True)):
                if lam and not (pre.endswith("ل") and stem.startswith("ل")):
                    continue
                for key, vals in self.first.get(first, {}).items():
                    out.append((pre, key, key[1:] if lam else key, tuple(vals)))
        return tuple(out)


def _victim_forms(word: str, number: str) -> Iterable[tuple[str, str]]:
    """A victim noun with the endings print glues to it: accusative alif, possessives, construct."""
    w = fold(word)
    yield w, number
    if number == "sg":
        if not w.endswith(("ه", "ا")):
            yield w + "ا", number
        if w.endswith("ي"):
            return  # "إسرائيليه" is the feminine adjective, not "his Israeli"
        stem = w[:-1] + "ت" if w.endswith("ه") else w
        for suffix in ("ه", "ها", "هم", "هما", "هن"):
            yield stem + suffix, number
    elif number == "pl" and w.endswith("ين"):
        yield w[:-1], number  # construct: "مقاتلي الحوثي"
        for suffix in ("ه", "ها", "هم", "نا"):
            yield w[:-1] + suffix, number  # "مقاتليها"
    elif number == "pl" and not w.endswith(("ون", "ات")):
        for suffix in ("ها", "هم", "نا"):  # broken plurals with a possessive: "عناصرها", "جنودنا"
            yield w + suffix, number
    elif number == "dual" and w.endswith(("ين", "ان")):
        yield w[:-1], number  # construct: "جنديي", "عنصرا"


@lru_cache(maxsize=1)
def _lexicon() -> _Lex:
    lex = builtin("casualties")
    m = PhraseMatcher()
    lazy = _Phrases()

    def add(phrase: str, value: tuple[Any, ...]) -> None:
        lazy.add(phrase, value)
        f = fold(phrase)
        if not f.startswith("ال") and _LETTER.match(f[:1] or " "):
            lazy.add("ال" + f, value)

    for status, roles in lex["triggers"].items():
        for role, words in roles.items():
            for w in words:
                m.add(w, ("trig", status, role))
    for w in lex["death_openers"]:
        m.add(w, ("opener",))
    seen: dict[str, str] = {}
    for entry in lex["victims"]:
        for number in ("sg", "dual", "pl"):
            for word in entry.get(number, []):
                for form, num in _victim_forms(word, number):
                    # a spelling shared by a dual and a plural ("مقاتلين") is read as a plural
                    if form in seen and not (seen[form] == "dual" and num == "pl"):
                        continue
                    seen[form] = num
                    add(form, ("victim", entry["type"], num))
    for w in lex["others"]:
        add(w, ("others",))
    for w, value in lex["vague"].items():
        lazy.add(w, ("vague", value))
    for key, tag in (("one_of", "one_of"), ("approx", "approx"), ("lower_before", "lower"),
                     ("lower_after", "lower_after"), ("upper_before", "upper"),
                     ("skip_after_verb", "skip"), ("toll_heads", "toll_head"), ("toll_links", "toll_link"),
                     ("negation", "neg"), ("hypothetical", "hyp"), ("generic_before", "generic"),
                     ("implicit_subject_next", "implicit"), ("gap_breakers", "gap"), ("range_open", "range"),
                     ("not_negation", "notneg"), ("background", "bg"), ("non_victim_nouns", "thing"),
                     ("verb_search_stops", "vstop"), ("alternative", "alt"), ("agent_markers", "agentmark"),
                     ("enumeration_openers", "enum"), ("enumeration_joiners", "join")):
        for w in lex[key]:
            lazy.add(w, (tag,))
    for key, tag in (("subset", "subset"), ("update_cues", "update"), ("non_conflict", "nonconf"),
                     ("aggregate", "aggr")):
        for w in lex[key]:
            m.add(w, (tag,))
    for w, status in lex["subset_of"].items():
        m.add(w, ("subset_of", status))
    for cue in lex["zero_cues"]:
        m.add(cue["phrase"], ("zero", cue["status"]))
    m.find("")  # build the automaton now, once per process
    return _Lex(m, lazy, frozenset(fold(w) for w in lex["purpose_masdars"]),
                frozenset(fold(w) for w in lex["civilian_nationalities"]))


# -- per-document view ----------------------------------------------------------------------


@dataclass
class _Qty:
    count: int | None
    nstart: int
    nend: int
    low: int | None = None
    high: int | None = None
    vtype: str | None = None
    noun: str | None = None  # folded victim noun, for nationality typing
    has_noun: bool = False  # a victim noun or "آخرون" was read
    others_only: bool = False  # "آخرون" with nothing else
    figure: bool = False  # a figure or vague quantity was read
    vague: bool = False


class _View:
    """The normalised text with every lexicon hit indexed by the start of its word."""

    def __init__(self, doc: Document, lex: _Lex, by_word: dict[int, list[Match]]) -> None:
        self.doc = doc
        self.norm = doc.norm
        self.lazy = lex.lazy
        self._tags: dict[int, dict[str, tuple[Match, tuple[Any, ...]]]] = {}
        self._prev: dict[tuple[int, int, int, int], list[tuple[int, int]]] = {}
        self._numbers: dict[int, NumberMatch | None] = {}
        self.by_word = by_word
        self.actors = [(self._n(a.start), self._n(a.end), a) for a in doc.actors]
        self.actors.sort(key=lambda t: t[0])
        self._actor_starts = [t[0] for t in self.actors]
        self._skips: list[tuple[int, int]] | None = None
        self.cues: dict[str, list[int]] = {}
        self.positions = sorted(self.by_word)
        for i in self.positions:
            for mt in self.by_word[i]:
                for val in mt.values:
                    if val[0] in ("nonconf", "aggr", "update"):
                        self.cues.setdefault(val[0], []).append(i)

    def last_before(self, tag: str, s: int, e: int) -> Match | None:
        """The last hit tagged `tag` whose word starts in [s, e)."""
        k = bisect_left(self.positions, e) - 1
        while k >= 0 and self.positions[k] >= s:
            hit = self.tag(self.positions[k], tag)
            if hit:
                return hit[0]
            k -= 1
        return None

    @property
    def skips(self) -> list[tuple[int, int]]:
        """Date and place spans, sorted; built on first use (most articles never ask)."""
        if self._skips is None:
            doc = self.doc
            self._skips = sorted([(self._n(x.start), self._n(x.end)) for x in (*doc.dates, *doc.places)])
        return self._skips

    def actor_covering(self, i: int) -> tuple[int, int] | None:
        """The (normalised) span of an actor mention covering position `i`."""
        k = bisect_right(self._actor_starts, i) - 1
        if k >= 0 and self.actors[k][0] <= i < self.actors[k][1]:
            return self.actors[k][0], self.actors[k][1]
        return None

    def has_cue(self, tag: str, s: int, e: int) -> bool:
        pos = self.cues.get(tag, [])
        k = bisect_left(pos, s)
        return k < len(pos) and pos[k] < e

    def _n(self, orig: int) -> int:
        """Normalised position of original offset `orig`."""
        return self.doc.norm_pos(orig)

    def tag(self, i: int, *tags: str, clitic: bool = True) -> tuple[Match, tuple[Any, ...]] | None:
        """The longest hit at word start `i` carrying one of `tags` (without a proclitic
        when `clitic` is False)."""
        table = self._tags.get(i)
        if table is None:
            table = self._tags[i] = self._table(i)
        if not table:
            return None  # most words hold no lexicon phrase
        best = None
        for t in tags:
            hit = table.get(t)
            if hit is not None and (best is None or hit[0].nend > best[0].nend):
                best = hit
        if best is not None and not clitic and best[0].clitic:
            best = None
            for mt in self._all(i):
                if not mt.clitic:
                    for val in mt.values:
                        if val[0] in tags and (best is None or mt.nend > best[0].nend):
                            best = (mt, val)
        return best

    def _all(self, i: int) -> list[Match]:
        return [*self.by_word.get(i, ()), *self.lazy.at(self.norm, i)]

    def _table(self, i: int) -> dict[str, tuple[Match, tuple[Any, ...]]]:
        table: dict[str, tuple[Match, tuple[Any, ...]]] = {}
        lazy = self.lazy.at(self.norm, i)
        hits = self.by_word.get(i)
        if not hits and not lazy:
            return table
        for mt in [*(hits or ()), *lazy]:
            for val in mt.values:
                old = table.get(val[0])
                if old is None or mt.nend > old[0].nend:
                    table[val[0]] = (mt, val)
        return table

    def prev_words(self, i: int, k: int, floor: int, commas: int = 0) -> list[tuple[int, int]]:
        """Up to `k` words before `i` (nearest first), not crossing a clause end, `floor`,
        or more than `commas` commas."""
        key = (i, k, floor, commas)
        hit = self._prev.get(key)
        if hit is None:
            hit = self._prev[key] = self._prev_words(i, k, floor, commas)
        return hit

    def number(self, i: int) -> NumberMatch | None:
        """The number starting at `i` (memoised: the grammar asks more than once)."""
        if i not in self._numbers:
            self._numbers[i] = read_number(self.norm, i)
        return self._numbers[i]

    def _prev_words(self, i: int, k: int, floor: int, commas: int) -> list[tuple[int, int]]:
        norm = self.norm
        width = 14 * k + 8
        while True:
            lo = max(floor, i - width)
            words = [m.span() for m in _WORDS.finditer(norm, lo, i)]
            if lo > floor and words and words[0][0] == lo:
                words = words[1:]  # may be cut: a later, wider window reads it whole
            if len(words) >= k or lo == floor:
                break
            width *= 2
        out: list[tuple[int, int]] = []
        right = i
        for s, e in reversed(words):
            if len(out) >= k:
                break
            if e > right:
                continue
            between = norm[e:right].strip(_SKIPPABLE)
            if between:
                if between == "," and commas > 0:
                    commas -= 1
                else:
                    break
            out.append((s, e))
            right = s
        return out

    def actor_at(self, i: int, slack: int = 0) -> tuple[int, int, Any] | None:
        """An actor mention starting at `i` (or within `slack` characters: a clitic)."""
        k = bisect_left(self._actor_starts, i)
        if k < len(self.actors) and self.actors[k][0] <= i + slack:
            return self.actors[k]
        return None

    def actor_within(self, s: int, e: int) -> tuple[int, int, Any] | None:
        for a_s, a_e, a in self.actors:
            if a_s < e and s < a_e:
                return a_s, a_e, a
            if a_s >= e:
                break
        return None

    def skip_mention(self, i: int) -> int:
        """End of a date or place mention starting at `i` (clitic included), else `i`."""
        skips = self.skips
        for k in range(bisect_left(skips, (i,)), len(skips)):
            s, e = skips[k]
            if s > i + 2:
                break
            if e > i:
                return e
        return i


def _skip(norm: str, i: int) -> int:
    n = len(norm)
    while i < n and norm[i] in _SKIPPABLE:
        i += 1
    return i


def _word_end(norm: str, i: int) -> int:
    m = _WORDS.match(norm, i)
    return m.end() if m else i


# -- quantity phrases ---------------------------------------------------------------------


def _number(v: _View, i: int) -> NumberMatch | None:
    nm = v.number(i)
    if nm is None or nm.percent:
        return None
    return nm


def _nisba_or_victim(v: _View, i: int) -> int | None:
    """End of an adjective-like word after a victim noun ("جنود روس", "شخصا مدنيا")."""
    if v.norm.startswith("و", i):
        return None  # "وجندي" is a second victim, not an adjective
    hit = v.tag(i, "victim", clitic=False)
    if hit:
        return hit[0].nend
    e = _word_end(v.norm, i)
    word = v.norm[i:e]
    if e > i and len(word) >= 4 and _NISBA.search(word) and not v.tag(i, "trig", "gap", "subset"):
        return e
    return None


_QTY_STARTS = ("approx", "lower", "upper", "range", "vague", "one_of", "victim", "others")


def _qty(v: _View, i: int, *, depth: int = 0) -> _Qty | None:
    """Read a quantity phrase starting at word `i`: bound, figure, victim noun, tail."""
    norm = v.norm
    i = _skip(norm, i)
    if not (norm[i:i + 1].isdigit() or v.tag(i, *_QTY_STARTS) or v.number(i)):
        return None
    start = i
    low = high = None
    bound = None
    hit = v.tag(i, "approx", "lower", "upper")
    if hit:
        bound = hit[1][0]
        i = _skip(norm, hit[0].nend)
    rng = v.tag(i, "range") if bound is None else None
    nm = _number(v, i)
    if nm is not None and bound is None and i == start and nm.nstart > start:
        start = nm.nstart  # "و15 جريحا": the conjunction is not part of the phrase
    q = _Qty(None, start, start)
    if rng and nm is None:
        j = _skip(norm, rng[0].nend)
        a = _number(v, j)
        if a:
            k = _skip(norm, a.nend)
            b = None
            if norm.startswith(("الي ", "-"), k):
                b = _number(v, _skip(norm, k + (1 if norm[k] == "-" else 4)))
            elif norm.startswith("و", k):
                b = _number(v, k + 1 if norm[k + 1:k + 2].isdigit() else k)
            if b and b.value > a.value:
                q.count, low, high, i = a.value, a.value, b.value, b.nend
                q.figure = True
    if not q.figure and nm is not None:
        if nm.digits and nm.value in _YEAR and bound is None:
            # a year after a status word ("قتل 2014") is not a count unless a noun follows
            nxt = _skip(norm, nm.nend)
            if not v.tag(nxt, "victim", "others"):
                return None
        q.count, q.figure, i = nm.value, True, nm.nend
    elif not q.figure:
        vg = v.tag(i, "vague")
        one = v.tag(i, "one_of")
        if vg:
            q.count, q.figure, q.vague, i = vg[1][1], True, True, vg[0].nend
        elif one:
            q.count, q.figure, i = 1, True, one[0].nend
            nxt = _skip(norm, i)
            noun = v.tag(nxt, "victim")
            if noun:
                q.vtype, q.noun, q.has_noun, i = noun[1][1], noun[0].key, True, noun[0].nend
            elif _LETTER.match(norm[nxt:nxt + 1]) and not v.tag(nxt, "trig", "gap"):
                i = _word_end(norm, nxt)  # "أحد مسؤولي", "إحدى المرأتين"
            else:
                return None
        else:
            noun = v.tag(i, "victim")
            others = v.tag(i, "others")
            if noun:
                kind, number = noun[1][1], noun[1][2]
                q.vtype, q.noun, q.has_noun, i = kind, noun[0].key, True, noun[0].nend
                q.count = 1 if number == "sg" else 2 if number == "dual" else None
                after = _number(v, _skip(norm, i))  # "مقاتلين اثنين"
                if after and not after.digits and after.value < 10:
                    q.count, q.figure, i = after.value, True, after.nend
            elif others:
                q.has_noun, q.others_only, i = True, True, others[0].nend
            else:
                return None
    if bound == "lower" or bound is None:
        low = q.count if bound == "lower" else low
    if bound == "upper":
        high = q.count
    # after a figure: "من" + victims, the victim noun, adjectives, "آخرون"
    if q.figure:
        j = _skip(norm, i)
        if norm.startswith("من ", j):
            k = _skip(norm, j + 3)
            noun = v.tag(k, "victim")
            if noun:
                q.vtype, q.noun, q.has_noun, i = noun[1][1], noun[0].key, True, noun[0].nend
            elif v.actor_at(k, 3):
                i = v.actor_at(k, 3)[1]
                q.has_noun = True
        else:
            noun = v.tag(j, "victim")
            if noun:
                q.vtype, q.noun, q.has_noun, i = noun[1][1], noun[0].key, True, noun[0].nend
            elif v.tag(j, "thing"):
                return None  # "أربعة مستشفيات": the figure counts things
    # adjectives and "آخرون"
    for _ in range(2):
        j = _skip(norm, i)
        others = v.tag(j, "others", clitic=False)
        if others:
            q.has_noun, i = True, others[0].nend
            continue
        if q.has_noun:
            e = _nisba_or_victim(v, j)
            if e:
                i = e
                continue
        break
    j = _skip(norm, i)
    la = v.tag(j, "lower_after")
    if la:
        low = q.count
        i = la[0].nend
    # coordination: "عنصران وضابط", "20 شخصا و4 أطفال", "3 خبراء من حزب الله اللبناني، و4 يمنيين"
    j = _skip(norm, i)
    if depth == 0 and q.has_noun and norm.startswith("من ", j):
        a = v.actor_at(_skip(norm, j + 3), 3)
        if a:  # the first victims' side, then the second victims
            k = _skip(norm, a[1])
            e = _nisba_or_victim(v, k)
            k = _skip(norm, e or a[1])
            if norm.startswith(",", k) or norm.startswith("،", k):
                k = _skip(norm, k + 1)
            if norm.startswith("و", k) and _qty(v, k, depth=1) is not None:
                j = k
    if depth == 0 and norm.startswith("و", j) and not v.tag(j, "trig", "subset"):
        k = _skip(norm, j + 2) if norm.startswith("و ", j) else j + 1 if norm[j + 1:j + 2].isdigit() else j
        if not v.tag(k, "trig"):
            q2 = _qty(v, k, depth=1)
            if q2 is not None and (q2.figure or q2.has_noun) and q2.count is not None:
                if q.count is not None:
                    q.count += q2.count
                    low = q.count if low is not None else None
                i = q2.nend
                q.vtype = q.vtype or q2.vtype
    # subset: "بينهم 10 أطفال" is part of the count already read
    j = _skip(norm, i)
    if j < len(norm) and norm[j] == ",":
        j2 = _skip(norm, j + 1)
        if v.tag(j2, "subset"):
            j = j2
    sub = v.tag(j, "subset")
    if sub and depth == 0:
        q_sub = _qty(v, _skip(norm, sub[0].nend), depth=1)
        if q_sub is not None:
            i = q_sub.nend
            q.vtype = q.vtype or q_sub.vtype
        else:
            # "من بينهم إيرانيون": one word after the subset marker
            k = _skip(norm, sub[0].nend)
            if _LETTER.match(norm[k:k + 1]) and not v.tag(k, "trig"):
                i = _word_end(norm, k)
        j = _skip(norm, i)
        la = v.tag(j, "lower_after")
        if la:
            low, i = q.count, la[0].nend
    if not (q.figure or q.has_noun):
        return None
    q.nend = i
    q.low = low
    q.high = high
    return q


def _affiliation(v: _View, q: _Qty, limit: int) -> tuple[Any, int] | None:
    """The armed side named right after (or inside) the victims: (actor mention, end)."""
    hit = v.actor_within(q.nstart, q.nend)
    if hit:
        return hit[2], q.nend
    norm = v.norm
    j = _skip(norm, q.nend)
    for _ in range(3):  # "من", "التابعين", "لـ", "الموالية" ... then the actor
        if j >= limit or v.tag(j, "agentmark"):
            break  # "برصاص مسلحين": the attacker follows, not the victims' side
        a = v.actor_at(j, 3)
        if a and a[0] < limit:
            return a[2], a[1]
        e = _word_end(norm, j)
        if e == j:
            break
        j = _skip(norm, e)
    return None


# -- statements -------------------------------------------------------------------------------


@dataclass
class _Stmt:
    status: str
    nstart: int
    nend: int
    count: int | None
    low: int | None = None
    high: int | None = None
    vtype: str | None = None
    victim: str | None = None
    vague: bool = False
    trig_start: int = 0
    repeat: bool = False


def _before_ok(v: _View, gap_start: int, gap_end: int) -> int | None:
    """Words between a subject and its verb; None when they show the subject is another's."""
    words = 0
    i = _skip(v.norm, gap_start)
    while i < gap_end:
        ch = v.norm[i]
        if ch == ",":
            i = _skip(v.norm, i + 1)
            continue
        unit = v.actor_covering(i)
        if unit is not None:  # "عناصر من الفرقة 25 قتلوا": a unit name is one word, digits and all
            words += 1
            i = _skip(v.norm, unit[1])
            continue
        if ch in _CLAUSE_END or ch.isdigit():
            return None
        if v.tag(i, "gap", "trig"):
            return None
        e = _word_end(v.norm, i)
        if e == i:
            return None
        words += 1
        i = _skip(v.norm, e)
    return words if words <= 6 else None


def _qty_before(v: _View, anchor: int, floor: int) -> _Qty | None:
    """The quantity phrase that is the subject of a verb (or counts a noun) at `anchor`."""
    best: tuple[tuple[bool, bool, int, int], _Qty] | None = None
    for ws, _we in v.prev_words(anchor, 10, floor, commas=1):
        q = _qty(v, ws)
        if q is None or q.nend > anchor:
            continue
        if q.figure and v.actor_covering(q.nstart) is not None:
            continue  # the number of a unit ("الفرقة 25"), not a count
        gap = _before_ok(v, q.nend, anchor)
        if gap is None:
            continue
        if q.count is None and not (q.has_noun or q.figure):
            continue
        # a figure first, then a counted phrase, then the fewest words between, then the longest
        key = (not q.figure, q.count is None, gap, ws)
        if best is None or key < best[0]:
            best = (key, q)
    return best[1] if best else None


def _qty_after_verb(v: _View, i: int, limit: int) -> _Qty | None:
    """The subject after a passive verb, past adverbials, dates and places ("قُتل مساء الجمعة 16")."""
    norm = v.norm
    j = _skip(norm, i)
    words = 0
    while j < limit and words <= 12:
        if norm[j] in _CLAUSE_END or norm[j] == ",":
            return None
        if v.tag(j, "trig", "vstop"):
            return None
        a = v.actor_at(j, 3)
        if a is not None:  # the agent ("دورية للأمن العسكري") is not the victims
            j = _skip(norm, a[1])
            words += 1
            continue
        q = _qty(v, j)
        if q is not None and (words == 0 or (q.has_noun and not q.others_only)):
            return q
        e = v.skip_mention(j)
        if e == j:
            sk = v.tag(j, "skip")
            e = sk[0].nend if sk else _word_end(norm, j)
        if e == j:
            return None
        j = _skip(norm, e)
        words += 1
    return None


def _negated(v: _View, trig: Match, floor: int, lex: _Lex) -> str | None:
    """'neg', 'hyp' or 'generic' when the words before the trigger deny or suspend it."""
    ws = trig.nstart - len(trig.clitic)
    for n, (s, _e) in enumerate(v.prev_words(ws, 3, floor)):
        hit = v.tag(s, "neg", "hyp", "generic", "notneg")
        if hit is None or hit[0].clitic not in ("", "و", "ف"):
            continue
        kind = hit[1][0]
        if kind == "notneg":
            return None
        # "جرائم قتل" makes a verbal noun generic; "عملية أصيب خلالها" is still a report
        if kind == "generic" and n == 0 and not hit[0].clitic and any(
            val[0] == "trig" and val[2] in _MASDAR_ROLES | {"campaign"} for val in trig.values
        ):
            return "generic"
        if kind == "hyp" and n <= 1:
            # "قد" suspends only a present tense ("قد يقتل"); "قد قتل" is a report
            if hit[0].key == "قد" and not (n == 0 and trig.key[:1] in ("ي", "ت")):
                continue
            return "hyp"
        if kind == "neg" and n <= 2:
            return "neg"
    if "ل" in trig.clitic and trig.key.removeprefix("ال") in lex.purpose:
        return "hyp"
    if "ب" in trig.clitic and trig.key.removeprefix("ال") in lex.purpose and any(
        (h := v.tag(s, "hyp")) is not None and h[0].key != "قد" for s, _e in v.prev_words(ws, 6, floor)
    ):
        return "hyp"  # "تهدد فيه عناصر التنظيم بإعدام 6 أشخاص": a threat, nobody hit yet
    # "قتل أو اعتقال", "اعتقال أو قتل": either way nobody is reported hit
    j = _skip(v.norm, trig.nend)
    if v.tag(j, "alt") and v.tag(_skip(v.norm, _word_end(v.norm, j)), "trig"):
        return "hyp"
    prev = v.prev_words(ws, 3, floor)[:2]
    if len(prev) == 2 and v.tag(prev[0][0], "alt") and v.tag(prev[1][0], "trig"):
        return "hyp"
    return None


_VERB_ROLES = frozenset({"verb_sg", "verb_dual", "verb_pl", "verb_strict"})
_MASDAR_ROLES = frozenset({"masdar", "remains", "count_after"})
_NOUN_ROLES = frozenset({"noun_sg", "noun_dual", "noun_pl", "noun_counted"})
_DEATH_ROLES = frozenset({"death_sg", "death_dual", "death_pl"})


def _with(v: _View, q: _Qty | None, end: int) -> tuple[_Qty | None, int]:
    """ "مصرعه مع سائقه": a companion named after "مع" is one more victim."""
    j = _skip(v.norm, end)
    if not v.norm.startswith("مع ", j):
        return q, end
    q2 = _qty(v, _skip(v.norm, j + 3), depth=1)
    if q2 is None or q2.count is None or not q2.has_noun:
        return q, end
    if q is None:
        q2.count += 1
        return q2, q2.nend
    if q.count is not None:
        q.count += q2.count
    q.nend = q2.nend
    return q, q2.nend


def _read_death(v: _View, trig: Match, roles: set[str], floor: int) -> tuple[_Qty | None, int | None, int]:
    """ "لقي 12 شخصا مصرعهم", "14 مقاتلا لقوا حتفهم", "... مصرعه" alone."""
    norm = v.norm
    wstart = trig.nstart - len(trig.clitic)
    q = None
    start = trig.nstart
    opener = v.last_before("opener", max(floor, wstart - 160), wstart)
    if opener is not None:
        inner = _skip(norm, opener.nend)
        if inner < wstart:
            q = _qty(v, inner)
            if q is not None and q.nend > wstart:
                q = None
        else:
            q = _qty_before(v, opener.nstart - len(opener.clitic), floor)
        start = min(opener.nstart, q.nstart) if q else opener.nstart
        if trig.nend - start > MAX_SPAN:  # a long name between: keep the death word alone
            start = trig.nstart
    count = q.count if q is not None else None
    if q is None or q.count is None:
        count = 1 if "death_sg" in roles else 2 if "death_dual" in roles else None
        if count is not None and q is not None:
            q.count = count
    if "death_sg" in roles:
        q2, _ = _with(v, None, trig.nend)
        if q2 is not None and q2.count is not None:
            count = (count or 0) + q2.count - 1
            if q is None:
                q = q2
                q.count = count
            else:
                q.count, q.nend = count, q2.nend
    return q, count, start


def _enumerated(v: _View, i: int, ceil: int) -> int:
    """How many victims "كل من" lists: one, plus one per joiner ("و" on a word, "بالإضافة
    إلى") until the sentence ends, a preposition or another casualty word."""
    norm = v.norm
    count = 1
    for _ in range(30):
        i = _skip(norm, i)
        if i >= ceil or i >= len(norm) or norm[i] in _CLAUSE_END:
            break
        if norm[i] in ",،":
            i += 1
            continue
        m = _WORDS.match(norm, i)
        if m is None or v.tag(i, "trig", "gap"):
            break
        join = v.tag(i, "join")
        if join:
            nxt = _skip(norm, join[0].nend)
            if v.tag(nxt, "trig", "gap"):
                break
            count += 1
            i = nxt
            continue
        if m.group().startswith("و") and len(m.group()) > 2 and _LETTER.match(m.group()[1]):
            count += 1
        i = m.end()
    return count


def _read_verbal(v: _View, trig: Match, roles: set[str], floor: int, ceil: int) -> tuple[_Qty | None, int | None, bool]:
    """Verbs and verbal nouns: (quantity, count, emit)."""
    norm = v.norm
    wstart = trig.nstart - len(trig.clitic)
    after = _skip(norm, trig.nend)
    verb = bool(roles & _VERB_ROLES) or (roles == {"active"})
    masdar = bool(roles & (_MASDAR_ROLES | {"campaign"}))
    q: _Qty | None = None
    if roles == {"verb_strict"}:
        q = _qty(v, after)
        ok = q is not None and q.has_noun and not q.others_only and not v.actor_within(q.nstart, q.nend)
        return (q, q.count, True) if ok and q is not None else (None, None, False)
    if "active" in roles:
        a = v.actor_at(after, 3)
        if a:  # an actor right after a transitive verb is its agent: the victims follow it
            q = _qty_after_verb(v, _skip(norm, a[1]), ceil)
            if q is None and not masdar:
                return None, None, False
    if q is None and roles & {"verb_pl", "verb_dual"}:
        q = _qty_before(v, wstart, floor)
        if q is not None and q.count is None:
            q_after = _qty(v, after)
            q = q_after if q_after is not None and q_after.count is not None else q
    if q is None and masdar:
        j = after
        sk = v.tag(j, "skip")
        if sk:
            j = _skip(norm, sk[0].nend)  # "مقتل كل من ..."
        q = _qty(v, j)
        if v.tag(after, "enum"):  # "مقتل كل من الجندي X بالإضافة إلى الرقيب Y", "كل من أحمد ومحمد"
            if q is None:
                return None, _enumerated(v, j, ceil), True
            if q.count == 1:
                q.count = _enumerated(v, j, ceil)
    if q is None and verb:
        q = _qty_after_verb(v, after, ceil)
    if q is None and verb and not roles & {"verb_pl", "verb_dual"}:
        q = _qty_before(v, wstart, floor)
        if q is not None and not q.figure and q.count is None:
            q = None
    if q is not None:
        return q, q.count, True
    # no quantity phrase: what the word itself says
    prev = v.prev_words(wstart, 1, floor)
    background = bool(prev) and v.tag(prev[0][0], "bg") is not None
    if roles & {"masdar_sg"}:
        return _with(v, None, trig.nend)[0] or None, 1, True
    if roles & {"masdar_dual", "verb_dual"}:
        return None, 2, not background
    if "remains" in roles:
        # "جثتي", "جثماني": two bodies; "صور لجثة" alone is a body seen, not a toll
        return None, 2, trig.key.endswith(("تي", "تين", "ني", "نين"))
    if roles & {"masdar_pl", "campaign"}:
        return None, None, True
    if "verb_sg" in roles:
        nxt = v.tag(after, "implicit") or after >= len(norm) or norm[after] in _CLAUSE_END + ","
        return None, 1, bool(nxt) and not background
    if "masdar" in roles and trig.values and _LETTER.match(norm[after:after + 1]) \
            and not v.tag(after, "gap", "trig", "thing") and not norm.startswith("ال", after):
        # "اغتيال عزيز اسبر", "اعتقال من يستسلمون": the victims are named, not counted
        return None, None, "injured" not in {val[1] for val in trig.values if val[0] == "trig"}
    return None, None, False


def _read_noun(v: _View, trig: Match, roles: set[str], floor: int, ceil: int,
               headline: bool) -> tuple[_Qty | None, int | None, int, bool]:
    """Victim nouns: "60 قتيلا", "عشرات الجرحى", "عدد القتلى 14", "قتيلان"."""
    norm = v.norm
    wstart = trig.nstart - len(trig.clitic)
    start = trig.nstart
    q = None
    prev = v.prev_words(wstart, 1, floor)
    toll = bool(prev) and v.tag(prev[0][0], "toll_head") is not None
    if toll:
        # "عدد القتلى 14", "عدد القتلى بلغ 30 شخصا", "حصيلة القتلى إلى 25"
        j = _skip(norm, trig.nend)
        for _ in range(7):
            if j >= ceil or norm[j] in _CLAUSE_END:
                break
            q = _qty(v, j)
            if q is not None and q.figure:
                break
            q = None
            lk = v.tag(j, "toll_link")
            e = lk[0].nend if lk else v.skip_mention(j)
            if e == j:
                e = _word_end(norm, j)
            if e == j:
                break
            j = _skip(norm, e)
        if q is None:
            # "ارتفع إلى 12 عدد قتلى ...": the figure comes before the head
            q = _qty_before(v, prev[0][0], floor)
            if q is None or not q.figure:
                return None, None, start, False  # "حصيلة القتلى" with no figure refers back
        start = prev[0][0]
    if q is None:
        q = _qty_before(v, wstart, floor)
        if q is not None and not q.figure:
            q = None
    if q is not None:
        return q, q.count, start, True
    definite = trig.key.startswith("ال") or "ل" in trig.clitic and trig.key.startswith("ل")
    if "noun_counted" in roles or definite:
        return None, None, start, False  # "ضحايا القصف", "بين القتلى": no toll of their own
    if "noun_sg" in roles:
        return None, 1, start, True
    if "noun_dual" in roles:
        return None, 2, start, True
    return None, None, start, headline  # "قتلى وجرحى في ..." heads a report


def _read_statement(v: _View, trig: Match, status: str, roles: set[str], floor: int, ceil: int,
                    headline: bool) -> _Stmt | None:
    start, end = trig.nstart, trig.nend
    if roles & _DEATH_ROLES:
        q, count, start = _read_death(v, trig, roles, floor)
    elif roles & (_VERB_ROLES | _MASDAR_ROLES | {"active", "masdar_sg", "masdar_dual", "masdar_pl", "campaign"}):
        q, count, emit = _read_verbal(v, trig, roles, floor, ceil)
        if not emit:
            return None
    else:
        q, count, start, emit = _read_noun(v, trig, roles, floor, ceil, headline)
        if not emit:
            return None
    if q is not None:
        start = min(start, q.nstart)
        end = max(end, q.nend)
    end = _absorb_subset(v, end)
    st = _Stmt(status, start, end, count, trig_start=trig.nstart)
    if q is not None:
        st.low, st.high, st.vague = q.low, q.high, q.vague
        st.vtype = q.vtype
        aff = _affiliation(v, q, ceil)
        if aff is not None:
            actor = aff[0]
            if q.nend <= aff[1] <= q.nend + 60 and aff[1] > st.nend and st.trig_start < q.nstart:
                st.nend = aff[1]  # "قتل 12 عنصرا من قوات النظام": the side belongs to the phrase
            st.victim = actor.name
            st.vtype = _INTER_TYPE.get(actor.inter or 0, st.vtype)
        elif q.noun and q.noun.removeprefix("ال").removesuffix("ا") in _lexicon().civilian_nationalities:
            st.vtype = "civilians"
    return st


def _absorb_subset(v: _View, end: int) -> int:
    """Extend a statement over "بينهم 40 طفلا" right after it (not added to the count)."""
    j = _skip(v.norm, end)
    if v.norm[j:j + 1] == ",":
        j = _skip(v.norm, j + 1)
    sub = v.tag(j, "subset")
    if not sub:
        return end
    q = _qty(v, _skip(v.norm, sub[0].nend), depth=1)
    return q.nend if q is not None and q.figure else end


def _subset_statements(v: _View, stmts: list[tuple[_Stmt, int]], doc: Document) -> list[tuple[_Stmt, int]]:
    """ "مقتل 43 مدنيا في عفرين، بينهم 16 ...": a subset given apart restates part of a toll;
    "من بين القتلى 9 مسلحين" names its status itself."""
    out = []
    for pos in v.positions:
        of = v.tag(pos, "subset_of")
        if of and not any(st.nstart <= pos < st.nend for st, _ in stmts):
            si = doc.sentence_index(pos)
            q = _qty(v, _skip(v.norm, of[0].nend), depth=1)
            start = pos
            if q is None or not q.figure:
                prev = v.prev_words(pos, 4, doc.sentences[si].nstart if doc.sentences else 0)
                q = next((c for c in (_qty(v, w) for w, _ in prev) if c is not None and c.nend <= pos
                          and c.count is not None and (_before_ok(v, c.nend, pos) or 0) <= 1), None)
                start = q.nstart if q is not None else pos
            if q is not None and q.count is not None:
                end = max(of[0].nend, q.nend)
                out.append((_Stmt(of[1][1], start, end, q.count, vtype=q.vtype, trig_start=pos, repeat=True), si))
            continue
        sub = v.tag(pos, "subset")
        if not sub or any(st.nstart <= pos < st.nend for st, _ in stmts):
            continue
        si = doc.sentence_index(pos)
        prior = [st for st, s in stmts if s == si and st.nend <= pos and pos - st.nend < 100]
        if not prior:
            continue
        q = _qty(v, _skip(v.norm, sub[0].nend), depth=1)
        if q is None or not q.figure:
            continue
        base = prior[-1]
        st = _Stmt(base.status, pos, q.nend, q.count, vtype=q.vtype or base.vtype, victim=base.victim,
                   trig_start=pos, repeat=True)
        out.append((st, si))
    return out


# -- the stage ------------------------------------------------------------------------------


def _headline(doc: Document) -> int | None:
    """Index of the first sentence when it is a headline (its own line, no final stop)."""
    if not doc.sentences:
        return None
    s0 = doc.sentences[0]
    nl = doc.norm.find("\n")
    if nl != -1 and s0.nend <= nl and doc.norm[s0.nend - 1:s0.nend] not in (".", ":") and len(doc.sentences) > 1:
        return 0
    return None


@stage("casualties", requires=("segment",), assigns=("casualties",))
class Casualties:
    """Fill `doc.casualties`; reads `doc.actors`, `doc.dates` and `doc.places` when present."""

    def __init__(self, lexicon_dirs: tuple[str, ...] = ()) -> None:
        _lexicon()

    @property
    def phrase_matchers(self) -> tuple[PhraseMatcher, ...]:
        """Matchers the pipeline may let share one scan of `doc.norm` (`share_scan`)."""
        return (_lexicon().matcher,)

    def __call__(self, doc: Document) -> None:
        lex = _lexicon()
        by_word: dict[int, list[Match]] = {}
        for mt in lex.matcher.iter(doc.norm):
            by_word.setdefault(mt.nstart - len(mt.clitic), []).append(mt)
        found = [mt for hits in by_word.values() for mt in hits
                 if any(val[0] in ("trig", "zero") for val in mt.values)]
        if not found:
            return  # a third of articles: skip indexing their actors, dates and places
        v = _View(doc, lex, by_word)
        head = _headline(doc)
        stmts: list[tuple[_Stmt, int]] = []
        for mt in longest_first(found):
            if v.actor_within(mt.nstart, mt.nend) and not any(val[0] == "zero" for val in mt.values):
                continue  # "كتائب شهداء الأقصى" names a group
            si = doc.sentence_index(mt.nstart)
            sent = doc.sentences[si] if doc.sentences else None
            floor = sent.nstart if sent else 0
            ceil = sent.nend if sent else len(doc.norm)
            zero = [val for val in mt.values if val[0] == "zero"]
            if zero:
                stmts.append((_Stmt(zero[0][1], mt.nstart, mt.nend, 0, trig_start=mt.nstart), si))
                continue
            if _negated(v, mt, floor, lex):
                continue
            by_status: dict[str, set[str]] = {}
            for val in mt.values:
                if val[0] == "trig":
                    by_status.setdefault(val[1], set()).add(val[2])
            for status, roles in by_status.items():
                st = _read_statement(v, mt, status, roles, floor, ceil, si == head)
                if st is not None:
                    stmts.append((st, si))
                    break
        stmts.extend(_subset_statements(v, stmts, doc))
        self._emit(doc, v, stmts, head)

    def _emit(self, doc: Document, v: _View, stmts: list[tuple[_Stmt, int]], head: int | None) -> None:
        stmts.sort(key=lambda t: (t[0].nstart, -(t[0].nend - t[0].nstart)))
        kept: list[tuple[_Stmt, int]] = []
        for st, si in stmts:
            # one statement read from two status words ("عشرات الهنود المخطوفين" after "جثث") is kept once
            clash = next((k for k in kept if st.nstart < k[0].nend and k[0].nstart < st.nend
                          and (k[0].status == st.status or st.trig_start >= k[0].nend
                               or k[0].nstart <= st.nstart)), None)
            if clash is not None:
                if clash[0].status == st.status and clash[0].count is None and st.count is not None:
                    kept[kept.index(clash)] = (st, si)
                    continue
                if clash[0].status == st.status or not _own_trigger(st, clash[0]):
                    continue
            kept.append((st, si))
        out: list[tuple[CasualtyMention, bool]] = []
        for st, si in kept:
            ns, ne = st.nstart, st.nend
            s, e, text = doc.span_text(ns, ne)
            if e - s > MAX_SPAN:
                ns, ne = st.trig_start, min(st.nend, st.trig_start + 60)
                s, e, text = doc.span_text(ns, ne)
            sent = doc.sentences[si] if doc.sentences else None
            ss, se = (sent.nstart, sent.nend) if sent else (0, len(doc.norm))
            cm = CasualtyMention(
                text=text, start=s, end=e, sentence=si, status=st.status, count=st.count,
                low=st.low, high=st.high, victim=st.victim, victim_type=st.vtype or "unknown",
            )
            cm.non_conflict = v.has_cue("nonconf", ss, se)
            cm.aggregate = v.has_cue("aggr", ss, se) or _since_year(doc.norm, ss, se)
            cm.update = v.has_cue("update", max(ss, st.nstart - 40), st.nend)
            cm.repeat = cm.update or st.repeat
            out.append((cm, st.vague))
        _mark_repeats(out, head)
        doc.casualties.extend(cm for cm, _ in out)


def _own_trigger(st: _Stmt, other: _Stmt) -> bool:
    """A statement of another status keeps its place unless its status word is inside the other."""
    return not (other.nstart <= st.trig_start < other.nend)


_SINCE_YEAR = re.compile(r"منذ (?:عام |العام |سنه )?(?:19|20)\d\d")


def _since_year(norm: str, s: int, e: int) -> bool:
    return _SINCE_YEAR.search(norm, s, e) is not None


def _mark_repeats(ms: list[tuple[CasualtyMention, bool]], head: int | None) -> None:
    """Restatements: the headline repeating the body, a figure given again, a vague count
    followed by the specific one for the same victims (`ms` pairs a mention with "vague")."""
    body = [(m, vg) for m, vg in ms if m.sentence != head]
    for m, vg in ms:
        if head is not None and m.sentence == head and any(
            b.status == m.status and (b.count == m.count or m.count is None or vg) for b, _ in body
        ):
            m.repeat = True
    seen: list[CasualtyMention] = []
    for m, vg in body:
        if m.count is not None and any(p.status == m.status and p.count == m.count for p in seen):
            m.repeat = True
        if vg and any(o.status == m.status and o.count is not None and not ovg
                      and 0 <= o.sentence - m.sentence <= 2 for o, ovg in body if o is not m):
            m.repeat = True
        seen.append(m)
