"""Read numbers written as digits or Arabic words in normalised text.

Casualty counts and date offsets arrive as "25", "1,200", "5 آلاف", "ثلاثة", "الثلاثة",
"خمسة عشر", "خمسة وعشرين", "مئتي", "ثلاثمائة وخمسين ألفا".  Arabic compounds are short
grammars (unit + و + tens, hundreds + و + rest, N + thousand word), so this module reads them
with a small recursive-descent parser over words looked up in `lexicons/numbers.yaml`,
stripping proclitics (و ف ب ل ك) and the article from each word.  Candidates are found with
one Aho-Corasick pass (PhraseMatcher) so a document costs one scan, not one lookup per word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from rasd.lexicons import builtin

from .matcher import PhraseMatcher
from .normalise import fold

# word kinds in the table
UNIT, TEEN_HEAD, TEEN_TAIL, TEN, HUNDRED, HUNDREDS = "unit", "teen_head", "teen_tail", "ten", "hundred", "hundreds"
THOUSAND, THOUSAND_DUAL, THOUSAND_PL = "thousand", "thousand_dual", "thousand_pl"
MILLION, MILLION_DUAL, MILLION_PL = "million", "million_dual", "million_pl"
_SCALES = {THOUSAND: 1000, THOUSAND_DUAL: 1000, THOUSAND_PL: 1000,
           MILLION: 1_000_000, MILLION_DUAL: 1_000_000, MILLION_PL: 1_000_000}

_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:\.\d{3})+(?!\d)|\d+(?:\.\d+)?")
# digits glued to more digits by a separator belong to a date, time or score ("20.5.2024")
_CLUSTER_AFTER = re.compile(r"[.,/:]\d")
_DIGIT_RUN = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
# proclitics as (conjunction)(preposition)(article); "لل" is ل + ال
_PREFIXES = frozenset(
    {c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك") for a in ("", "ال")} | {"لل", "ولل", "فلل"}
)
_MAX_PREFIX = max(map(len, _PREFIXES))


@dataclass(frozen=True)
class NumberMatch:
    """A number in normalised text; `nstart` excludes proclitics but keeps the article."""

    value: int
    nstart: int
    nend: int
    digits: bool = False  # written (at least partly) in digits
    definite: bool = False  # "الثلاثة"
    percent: bool = False  # followed by "%" / "في المئة"
    clitic: str = ""  # proclitic letters before nstart ("و", "ب", ...)


@dataclass(frozen=True)
class _Word:
    kind: str
    value: int
    nstart: int  # after proclitics (article kept)
    nend: int
    clitic: str
    definite: bool


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, list[tuple[str, int]]], frozenset[str], re.Pattern[str], PhraseMatcher]:
    lex = builtin("numbers")
    table: dict[str, list[tuple[str, int]]] = {}

    def put(word: str, kind: str, value: int) -> None:
        entry = (kind, value)
        lst = table.setdefault(fold(word), [])
        if entry not in lst:
            lst.append(entry)

    for value, words in lex["units"].items():
        for w in words:
            put(w, UNIT, int(value))
    for value, words in lex["teen_heads"].items():
        for w in words:
            put(w, TEEN_HEAD, int(value))
    for w in lex["teen_tail"]:
        put(w, TEEN_TAIL, 10)
    for value, words in lex["tens"].items():
        for w in words:
            put(w, TEN, int(value))
    for w in lex["hundred"]:
        put(w, HUNDRED, 100)
    for w in lex["hundred_dual"]:
        put(w, HUNDREDS, 200)
    for value, stems in lex["hundred_multipliers"].items():
        for stem in stems:
            for h in lex["hundred"]:
                put(fold(stem) + fold(h), HUNDREDS, int(value) * 100)
    for key, kind in (("thousand", THOUSAND), ("thousand_dual", THOUSAND_DUAL),
                      ("thousand_plural", THOUSAND_PL), ("million", MILLION),
                      ("million_dual", MILLION_DUAL), ("million_plural", MILLION_PL)):
        for w in lex[key]:
            put(w, kind, 0)
    not_def = frozenset(fold(w) for w in lex["not_numbers_when_definite"])
    forms = sorted({fold(w) for w in lex["percent"]}, key=len, reverse=True)
    percent = re.compile(r"[ \t\u00a0]*(?:" + "|".join(re.escape(f) for f in forms) + ")")
    starters = PhraseMatcher()
    for word, entries in table.items():
        if any(k not in (TEEN_TAIL,) for k, _ in entries):
            starters.add(word, word)
            starters.add("ال" + word, word)
    return table, not_def, percent, starters


@lru_cache(maxsize=8192)
def _lookup(word: str) -> tuple[str, str, list[tuple[str, int]]] | None:
    """Split a word into (proclitics+article, stem, entries); shortest prefix first."""
    table = _tables()[0]
    # the word's own prefixes, shortest first (two prefixes of one length cannot both fit):
    # five probes instead of a startswith per proclitic, as most words are not numbers
    for size in range(min(len(word), _MAX_PREFIX + 1)):
        pre = word[:size]
        if pre in _PREFIXES:
            stem = word[size:]
            entries = table.get(stem)
            if entries:
                # a two-letter stem ("ست") behind a preposition is usually another word ("لست")
                if len(stem) <= 2 and pre not in ("", "و", "ال", "وال"):
                    continue
                return pre, stem, entries
    return None


def _word_at(norm: str, pos: int) -> _Word | list[_Word] | None:
    m = _WORD.match(norm, pos)
    if not m or (pos > 0 and _LETTER.match(norm[pos - 1])):
        return None
    hit = _lookup(m.group())
    if hit is None:
        return None
    pre, _stem, entries = hit
    definite = pre.endswith(("ال", "لل"))
    # "للثلاثة": the article's alef is gone, so the span starts after both lams
    clitic = pre[:-2] if pre.endswith("ال") else pre
    ns = pos + len(clitic)
    return [_Word(k, v, ns, m.end(), clitic, definite) for k, v in entries]


def _skip_space(norm: str, i: int) -> int:
    n = len(norm)
    while i < n and norm[i] in " \t\u00a0":
        i += 1
    return i


def _next_words(norm: str, i: int, *, conj: bool) -> list[_Word]:
    """Words that may follow at i: with `conj`, only those joined by "و" ("وعشرين", "و عشرين")."""
    j = _skip_space(norm, i)
    if j == i and i < len(norm) and _LETTER.match(norm[i]):
        return []
    if conj:
        if norm.startswith("و ", j):
            j = _skip_space(norm, j + 2)
            ws = _word_at(norm, j)
            return [w for w in ws if not w.clitic] if isinstance(ws, list) else []
        ws = _word_at(norm, j)
        return [w for w in ws if w.clitic == "و"] if isinstance(ws, list) else []
    ws = _word_at(norm, j)
    return [w for w in ws if not w.clitic] if isinstance(ws, list) else []


def _tens_units(first: _Word, norm: str) -> tuple[int, int] | None:
    """1-99 starting with `first`: unit, teen, unit + و + tens, tens."""
    if first.kind == TEN:
        return first.value, first.nend
    if first.kind == TEEN_HEAD:
        for w in _next_words(norm, first.nend, conj=False):
            if w.kind == TEEN_TAIL:
                return 10 + first.value, w.nend
        return None
    if first.kind in (UNIT, TEEN_TAIL):
        if first.value < 10:
            for w in _next_words(norm, first.nend, conj=False):
                if w.kind == TEEN_TAIL:
                    return 10 + first.value, w.nend
            for w in _next_words(norm, first.nend, conj=True):
                if w.kind == TEN:
                    return first.value + w.value, w.nend
        return first.value, first.nend
    return None


def _sub1000(first: _Word, norm: str) -> tuple[int, int] | None:
    """1-999 starting with `first`."""
    hundreds = None
    if first.kind == HUNDREDS or (first.kind == HUNDRED):
        hundreds = (first.value, first.nend)
    elif first.kind == UNIT and 3 <= first.value <= 9:
        for w in _next_words(norm, first.nend, conj=False):
            if w.kind == HUNDRED:
                hundreds = (first.value * 100, w.nend)
    if hundreds is not None:
        value, end = hundreds
        for w in _next_words(norm, end, conj=True):
            tu = _tens_units(w, norm)
            if tu:
                return value + tu[0], tu[1]
        return hundreds
    return _tens_units(first, norm)


def _scale_after(norm: str, end: int, value: int) -> tuple[int, int, int] | None:
    """A thousand/million word right after a number: (new value, end, scale)."""
    for w in _next_words(norm, end, conj=False):
        if w.kind in (THOUSAND, THOUSAND_PL, MILLION, MILLION_PL) and value > 0:
            return value * _SCALES[w.kind], w.nend, _SCALES[w.kind]
    return None


def _rest_after_scale(norm: str, end: int, scale: int) -> tuple[int, int]:
    """The smaller part joined by و after a scale word ("ألف وخمسمائة"): (value, end)."""
    for w in _next_words(norm, end, conj=True):
        parsed = _chunk(w, norm, below=scale)
        if parsed:
            return parsed
    return 0, end


def _chunk(first: _Word, norm: str, below: int | None = None) -> tuple[int, int] | None:
    """A full number starting with word `first`, smaller than `below` when given."""
    if first.kind in (THOUSAND, THOUSAND_DUAL, MILLION, MILLION_DUAL):
        scale = _SCALES[first.kind]
        if below is not None and scale >= below:
            return None
        value = scale * (2 if first.kind in (THOUSAND_DUAL, MILLION_DUAL) else 1)
        rest, end = _rest_after_scale(norm, first.nend, scale)
        return value + rest, end
    sub = _sub1000(first, norm)
    if sub is None:
        return None
    value, end = sub
    scaled = _scale_after(norm, end, value)
    if scaled:
        if below is not None and scaled[2] >= below:
            return value, end
        value, end, scale = scaled
        rest, end = _rest_after_scale(norm, end, scale)
        value += rest
    return value, end


def _is_percent(norm: str, end: int) -> bool:
    return _tables()[2].match(norm, end) is not None


def _read_digits(norm: str, pos: int) -> NumberMatch | None:
    m = _DIGITS.match(norm, pos)
    if not m or (pos > 0 and norm[pos - 1].isdigit()) or _CLUSTER_AFTER.match(norm, m.end()):
        return None
    if pos > 1 and norm[pos - 1] in ".,/:" and norm[pos - 2].isdigit():
        return None
    raw = m.group()
    if "," in raw:
        number = float(raw.replace(",", ""))
    elif "." in raw and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        number = float(raw.replace(".", ""))
    else:
        number = float(raw)
    end = m.end()
    scaled = None
    j = _skip_space(norm, end)
    if norm[j:j + 1] in ("ا", "م"):  # every scale word starts with one of these
        for w in _next_words(norm, end, conj=False):
            if w.kind in _SCALES:
                scaled = (number * _SCALES[w.kind], w.nend)
                break
    if scaled:
        number, end = scaled
    elif number != int(number):
        return None  # a bare decimal (2.5 km) is not a count
    j = pos
    while j > 0 and _LETTER.match(norm[j - 1]):
        j -= 1
    clitic = norm[j:pos]
    return NumberMatch(int(number), pos, end, digits=True, percent=_is_percent(norm, end), clitic=clitic)


def read_number(norm: str, pos: int) -> NumberMatch | None:
    """The number that starts at `pos` (at its digits or at the word's proclitics), or None."""
    if pos >= len(norm):
        return None
    if norm[pos].isdigit():
        return _read_digits(norm, pos)
    for k in (1, 2):  # "و15 جريحا", "وب20": proclitics glued to digits
        if pos + k < len(norm) and norm[pos + k].isdigit() and all(c in "وفبلك" for c in norm[pos:pos + k]):
            m = _read_digits(norm, pos + k)
            if m is not None:
                return replace(m, clitic=norm[pos:pos + k])
            break
    not_def = _tables()[1]
    ws = _word_at(norm, pos)
    if not isinstance(ws, list):
        return None
    best: tuple[int, int, _Word] | None = None
    for w in ws:
        if w.definite and norm[w.nstart:w.nend].removeprefix("ال").removeprefix("ل") in not_def:
            continue
        parsed = _chunk(w, norm)
        if parsed and (best is None or parsed[1] > best[1]):
            best = (parsed[0], parsed[1], w)
    if best is None:
        return None
    value, end, w = best
    if w.kind == HUNDRED and w.definite and (w.clitic.endswith("ب") or norm[:w.nstart - len(w.clitic)].endswith("في ")):
        return None  # "في المئة", "بالمئة"
    return NumberMatch(value, w.nstart, end, definite=w.definite, percent=_is_percent(norm, end), clitic=w.clitic)


def find_numbers(norm: str) -> list[NumberMatch]:
    """Every number in `norm`, in text order, compounds read as one ("خمسة وعشرين")."""
    starters = _tables()[3]
    cands = {m.start() for m in _DIGIT_RUN.finditer(norm)}
    for m in starters.iter(norm):
        cands.add(m.nstart - len(m.clitic))
    out: list[NumberMatch] = []
    covered = 0
    for pos in sorted(cands):
        if pos < covered:
            continue
        nm = read_number(norm, pos)
        if nm is not None:
            out.append(nm)
            covered = nm.nend
    return out
