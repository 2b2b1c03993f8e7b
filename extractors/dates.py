"""Stage `dates`: find Arabic date expressions and resolve them against the publication date.

General date parsers miss most of what Arabic conflict reporting writes ("أول أمس",
"الخميس الماضي", "فجر اليوم", "ليل الثلاثاء/الأربعاء", "الرابع عشر من تشرين الثاني",
Levantine and Maghrebi month names, "قبل ثلاثة أيام").  So rasd has its own grammar:

1. one Aho-Corasick pass (`PhraseMatcher`) over `doc.norm` finds the date vocabulary of
   `lexicons/dates.yaml` (months, weekdays, day words, periods, modifiers, cues) and one
   regex pass finds digit runs; together they form a short stream of *lexemes* (about ten
   in a typical article, so the parser's cost does not grow with the article's prose);
2. a small recursive-descent parser joins lexemes that stand next to each other (only
   blanks, "/", "-", "من" between them) into one `DateExpr` — what the text says, not yet
   a calendar date.  Function words that only matter inside an expression ("نحو", "أكثر
   من", "هذا") are matched by anchored regexes at the parser's cursor, not by the
   automaton, so common prose words cost nothing;
3. `resolve` turns a `DateExpr` into (value, precision, value_end) from the publication
   date and whether the sentence talks about the future ("من المقرر", "يتوقع").

Parsing and resolving are separate so the grammar can be tested without calendars and the
calendar arithmetic without Arabic.  Values follow SPEC §5: day "YYYY-MM-DD", week → the
week's first day, month → "YYYY-MM-01", year → "YYYY-01-01".  A Hijri month or year does
not line up with Gregorian ones, so it keeps the Gregorian date of its first day as value
and of its last day as `value_end`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from hijridate import Gregorian, Hijri

from rasd.lexicons import LEXICON_DIR, LexiconError, builtin, user_sections

from .document import Document
from .matcher import PhraseMatcher
from .mentions import DateMention
from .normalise import fold
from .numbers import read_number
from .pipeline import stage

_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# 20/5/2024, 20.5.2024, 20-5-2024 (day first, as Arab media write them) and 2024-05-20
_NUMERIC = re.compile(r"(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})(?![\d/\-]|\.\d)")
_PREV_WORD = re.compile(r"(\S+)\s+$")
_NEXT_WORD = re.compile(r"\s+([^\s\d,.;:!?\"()/\-]+)")
_CLITIC = re.compile(r"^[وف]?[بلك]?")

# gaps allowed between two lexemes of one expression
_GAP_SPACE = re.compile(r"\s*")
_GAP_SLASH = re.compile(r"\s*[/\\|]\s*")
_GAP_DASH = re.compile(r"\s*-\s*")
_GAP_COMMA = re.compile(r"\s*,\s*")
_GAP_PAREN = re.compile(r"\s*\(\s*")
_PAREN_CLOSE = re.compile(r"\s*\)")

# lexeme categories that can start an expression (others only continue one)
_STARTERS = frozenset({
    "vague", "ago", "dur", "after", "vper", "edge", "pod", "yawm", "rel", "wday", "num", "ord",
    "month", "mstem", "month_word", "period", "unit", "ypair", "ndate",
})
# categories `dayish` can start from (a lexeme with none of them, such as a failed "قبل", ends there)
_DAYISH = frozenset({"edge", "pod", "yawm", "rel", "wday", "num", "ord", "month", "mstem", "month_word",
                     "period", "unit"})
# what may follow "يوم": "يوم الأحد", "يوم أمس", "يوم 30 آذار", "يوم الرابع من"
_DAY_CORES = frozenset({"wday", "rel", "num", "ord"})
# "الـ24 ساعة": the article glued (or nearly) to the digits
_DEFINITE_BEFORE = re.compile(r"(?<![^\W\d_])ال\s?$")
_MOD_DELTA = {"before_last": -2, "past": -1, "next": 1, "current": 0}


def _fold_all(words: Any) -> frozenset[str]:
    return frozenset(" ".join(fold(str(w)).split()) for w in (words or ()))


def _alternation(words: Any) -> str:
    return "|".join(sorted((re.escape(w) for w in _fold_all(words)), key=len, reverse=True))


# -- lexicon ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    matcher: PhraseMatcher
    kinds: dict[str, dict[str, Any]]  # matcher key → {category: value} (read-only)
    weak_months: frozenset[str]
    night_words: frozenset[str]
    weekday_not_after: frozenset[str]
    weekday_not_before: frozenset[str]
    today_not_after: frozenset[str]
    today_not_before: frozenset[str]
    year_word_not_after: frozenset[str]
    ambiguous_today: frozenset[str]
    since: frozenset[str]
    gap_of: re.Pattern[str]
    date_not_after: frozenset[str]
    year_cues: frozenset[str]
    year_cue_in_span: frozenset[str]
    approx: re.Pattern[str]
    vague_quantity: re.Pattern[str]
    few: re.Pattern[str]
    this_before: re.Pattern[str]
    this_after: re.Pattern[str]
    gregorian_mark: re.Pattern[str]
    hijri_mark: re.Pattern[str]
    night_join: re.Pattern[str]
    range_join: re.Pattern[str]
    after_link: re.Pattern[str]
    ago_event_link: re.Pattern[str]
    week_start: int
    years: tuple[int, int]
    hijri_years: tuple[int, int]


def _merged(lexicon_dirs: tuple[str, ...]) -> dict[str, Any]:
    """dates.yaml with the `dates:` sections of user lexicon files added to it.

    A user section extends a built-in list ("weekdays: {6: [الاحد]}" adds a spelling) and
    replaces a setting ("settings: {week_starts: saturday}").
    """
    data: dict[str, Any] = builtin("dates")
    for path, extra in user_sections(lexicon_dirs, "dates"):
        if not isinstance(extra, dict):
            raise LexiconError(f"{path}:1: 'dates:' must map dates.yaml sections to words")
        for key, val in extra.items():
            if key not in data:
                raise LexiconError(f"{path}:1: dates: unknown section {key!r} (see lexicons/dates.yaml)")
            if isinstance(val, dict) != isinstance(data[key], dict) or not isinstance(val, (dict, list)):
                shape = "a mapping" if isinstance(data[key], dict) else "a list"
                raise LexiconError(f"{path}:1: dates: section {key!r} must be {shape}, as in lexicons/dates.yaml")
        data = _overlay(data, extra)
    return data


def check(lexicon_dirs: tuple[str, ...] = ()) -> list[str]:
    """FILE:LINE errors in the built-in dates.yaml and users' `dates:` sections (for
    `rasd lexicons check`): a section that does not exist or cannot be built."""
    try:
        _build(_merged(tuple(lexicon_dirs)))
    except LexiconError as exc:
        return [str(exc)]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return [f"{LEXICON_DIR / 'dates.yaml'}:0: dates lexicon cannot be built: {type(exc).__name__}: {exc}"]
    return []


def _overlay(base: Any, extra: Any) -> Any:
    """Lists are extended, mappings merged key by key, anything else replaced (no mutation)."""
    if isinstance(base, list) and isinstance(extra, list):
        return base + extra
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _overlay(base[k], v) if k in base else v
        return out
    return extra


@cache
def _lexicon(lexicon_dirs: tuple[str, ...] = ()) -> _Lexicon:
    """The matcher, word sets and cursor regexes, built once per process (per overlay)."""
    return _build(_merged(lexicon_dirs))


def _build(lex: dict[str, Any]) -> _Lexicon:
    m = PhraseMatcher()

    kinds: dict[str, dict[str, Any]] = {}

    def add(words: Any, cat: str, val: Any = True) -> None:
        for w in words or ():
            m.add(str(w), cat)
            kinds.setdefault(" ".join(fold(str(w)).split()), {})[cat] = val

    for num, words in lex["months"].items():
        add(words, "month", ("g", int(num)))
    for num, words in lex["hijri_months"].items():
        add(words, "month", ("h", int(num)))
    for stem, table in lex["numbered_months"].items():
        add([stem], "mstem", {int(k): int(v) for k, v in table.items()})
    add(lex["month_word"], "month_word")
    for num, words in lex["weekdays"].items():
        add(words, "wday", int(num))
    for off, words in lex["relative_days"].items():
        add(words, "rel", int(off))
    add(lex["day_word"], "yawm")
    for part, words in lex["parts_of_day"].items():
        add(words, "pod", part)
    add(lex["part_of_day_adverbs"], "podadv")
    for kind, words in lex["edges"].items():
        add(words, "edge", kind)
    for unit, words in lex["periods"].items():
        add(words, "period", unit)
    for kind, words in lex["modifiers"].items():
        add(words, "mod", kind)
    for unit, counts in lex["units"].items():
        for count, words in counts.items():
            add(words, "unit", (unit, None if count in (None, "null") else int(count)))
    add(lex["vague_periods"], "vper")
    add(lex["vague_period_past"], "vpast")
    add(lex["vague"], "vague")
    add(lex["ago"], "ago")
    add(lex["durations"], "dur")
    add(lex["after"], "after")
    add(lex["date_links"], "link")
    add(lex["year_words"], "yword")
    add(lex["year_pair_words"], "ypair")
    for num, words in lex["ordinal_days"].items():
        add(words, "ord", int(num))
    add(lex["future_cues"], "fut")

    def after(words: Any) -> re.Pattern[str]:  # a word right after the cursor
        return re.compile(rf"\s+(?:{_alternation(words)})(?![^\W\d_])")

    settings = lex.get("settings") or {}
    this = _alternation(lex["this"])
    return _Lexicon(
        matcher=m,
        kinds=kinds,
        weak_months=_fold_all(lex["weak_months"]),
        night_words=_fold_all(lex["night_words"]),
        weekday_not_after=_fold_all(lex["weekday_not_after"]),
        weekday_not_before=_fold_all(lex["weekday_not_before"]),
        today_not_after=_fold_all(lex["today_not_after"]),
        today_not_before=_fold_all(lex["today_not_before"]),
        year_word_not_after=_fold_all(lex["year_word_not_after"]),
        ambiguous_today=_fold_all(lex["ambiguous_today"]),
        since=_fold_all(lex["since"]),
        gap_of=re.compile(rf"\s+(?:{_alternation(lex['of'])})\s+"),
        date_not_after=_fold_all(lex["date_not_after"]),
        year_cues=_fold_all(lex["year_cues"]),
        year_cue_in_span=_fold_all(lex["year_cue_in_span"]),
        approx=after(lex["approx"]),
        vague_quantity=after(lex["vague_quantity"]),
        few=after(lex["few"]),
        this_before=re.compile(rf"(?<![^\W\d_])(?:[وف])?({this})\s+$"),
        this_after=after(lex["this"]),
        gregorian_mark=re.compile(rf"\s*(?:{_alternation(lex['gregorian_markers'])})(?![^\W\d_])"),
        hijri_mark=re.compile(rf"\s*(?:{_alternation(lex['hijri_markers'])})(?![^\W\d_])"),
        night_join=re.compile(rf"\s*(?:[/\-]|\s(?:{_alternation(lex['night_joiners'])})\s)?\s*"),
        range_join=re.compile(rf"\s*(?:-|\s(?:{_alternation(lex['range_joiners'])})\s?)\s*"),
        after_link=after(lex["after_link"]),
        ago_event_link=re.compile(
            rf"\s+(?:{_alternation(lex['ago_event_link'])})\s+"
            rf"(?!(?:{_alternation(lex['now_words'])})(?![^\W\d_]))(?:ال|(?:{_alternation(lex['event_nouns'])}))"
        ),
        week_start=_WEEKDAY_NAMES.index(str(settings.get("week_starts", "monday")).lower()),
        years=(int(settings.get("min_year", 1900)), int(settings.get("max_year", 2100))),
        hijri_years=(int(settings.get("min_hijri_year", 1300)), int(settings.get("max_hijri_year", 1500))),
    )


# -- lexemes ----------------------------------------------------------------------------------


class _Lex:
    """One matched word or digit run; `cs` includes a proclitic, `ns` does not."""

    __slots__ = ("cs", "ns", "ne", "key", "vals")

    def __init__(self, cs: int, ns: int, ne: int, key: str, vals: dict[str, Any]) -> None:
        self.cs, self.ns, self.ne, self.key, self.vals = cs, ns, ne, key, vals


def _numeric_date(norm: str, s: int, years: tuple[int, int]) -> tuple[int, dt.date] | None:
    """A numeric date starting at digit run `s` ("20/5/2024", "2024-05-20"), or None."""
    mm = _NUMERIC.match(norm, s)
    if not mm:
        return None
    a, b, c = mm.group(1), mm.group(3), mm.group(4)
    if len(a) == 4 and len(c) <= 2:
        y, mo, d = int(a), int(b), int(c)
    elif len(c) == 4 and len(a) <= 2:
        y, mo, d = int(c), int(b), int(a)
    else:
        return None
    if not years[0] <= y <= years[1]:
        return None
    try:
        return mm.end(), dt.date(y, mo, d)
    except ValueError:
        return None


def _digit_runs(norm: str) -> list[tuple[int, int]]:
    """Spans of the runs of ASCII digits, in order.

    `doc.norm` holds ASCII digits only (normalise folds Arabic-Indic and Persian ones), and
    ten `str.find` scans cost a third of one `\\d+` regex search over an article's text.
    """
    pos: list[int] = []
    for d in "0123456789":
        j = norm.find(d)
        while j != -1:
            pos.append(j)
            j = norm.find(d, j + 1)
    if not pos:
        return []
    pos.sort()
    runs: list[tuple[int, int]] = []
    start = prev = pos[0]
    for p in pos[1:]:
        if p != prev + 1:
            runs.append((start, prev + 1))
            start = p
        prev = p
    runs.append((start, prev + 1))
    return runs


def _scan(norm: str, lx: _Lexicon) -> list[_Lex]:
    """Lexemes in text order (leftmost-longest); a numeric date is one lexeme ("ndate")."""
    kinds = lx.kinds
    cands = [_Lex(m.nstart - len(m.clitic), m.nstart, m.nend, m.key, kinds[m.key]) for m in lx.matcher.iter(norm)]
    n = len(norm)
    skip_to = -1
    for s, e in _digit_runs(norm):
        if s < skip_to:
            continue
        if s > 1 and norm[s - 1] in "/.,:" and norm[s - 2].isdigit():
            continue  # tail of a number, time or date we did not read
        if e + 1 < n and norm[e] in "/.-" and norm[e + 1].isdigit():
            nd = _numeric_date(norm, s, lx.years)
            if nd:
                cands.append(_Lex(s, s, nd[0], norm[s:nd[0]], {"ndate": nd[1]}))
                skip_to = nd[0]
                continue
            if norm[e] != "-":
                continue  # 1/2, 2.5: not a day or a year
        if e + 1 < n and norm[e] in ",:" and norm[e + 1].isdigit():
            continue  # 2,500 / 12:30
        cands.append(_Lex(s, s, e, norm[s:e], {"num": int(norm[s:e])}))
    cands.sort(key=lambda c: (c.cs, -c.ne))
    out: list[_Lex] = []
    end = -1
    for c in cands:
        if c.cs >= end:
            out.append(c)
            end = c.ne
    return out


# -- what the text says -------------------------------------------------------------------------


@dataclass
class DateExpr:
    """A date expression as written, before resolution; spans are in the normalised text.

    `offset`: days from publication ("أمس" = -1); `weekday` (Monday = 0) and `weekday_end`
    for a night over two days; `day`/`day_end`/`month`/`year` for calendar dates
    (`calendar` "g" or "h"); `period` (week/month/year) with `delta` for "الأسبوع الماضي"
    (-1); `year_delta` for "من العام الماضي"; `mod` (past, next, current, before_last) after
    a weekday, month or date; `ago` = (unit, n) for "قبل ثلاثة أيام"; `exact` for numeric
    dates; `vague` and `duration` expressions carry no value.
    """

    ns: int
    ne: int
    offset: int | None = None
    weekday: int | None = None
    weekday_end: int | None = None
    day: int | None = None
    day_end: int | None = None
    month: int | None = None
    year: int | None = None
    year_end: int | None = None
    calendar: str = "g"
    period: str | None = None
    delta: int = 0
    year_delta: int | None = None
    mod: str | None = None
    ago: tuple[str, int] | None = None
    exact: dt.date | None = None
    vague: bool = False
    duration: bool = False
    name: bool = False  # part of a name, not a date: read so its words are not reused, then dropped


_Parsed = tuple[int, DateExpr]


class _Parser:
    """Recursive descent over the lexeme stream.

    Each rule takes the index of its first lexeme and returns (index of the next unread
    lexeme, expression) or None; an expression's `ne` is the cursor the next part must
    follow.
    """

    def __init__(self, norm: str, lexemes: list[_Lex], lx: _Lexicon) -> None:
        self.norm = norm
        self.L = lexemes
        self.n = len(lexemes)
        self.lx = lx

    # -- helpers ----------------------------------------------------------------------------
    def has(self, k: int, cat: str) -> bool:
        return k < self.n and cat in self.L[k].vals

    def val(self, k: int, cat: str) -> Any:
        return self.L[k].vals[cat]

    def adj(self, pos: int, k: int, rx: re.Pattern[str] = _GAP_SPACE) -> bool:
        """Lexeme k follows the cursor `pos` with only `rx` between them and no proclitic."""
        if k >= self.n:
            return False
        lex = self.L[k]
        return lex.cs == lex.ns and lex.cs >= pos and rx.fullmatch(self.norm, pos, lex.cs) is not None

    def at(self, pos: int, k: int, cat: str, rx: re.Pattern[str] = _GAP_SPACE) -> bool:
        return self.has(k, cat) and self.adj(pos, k, rx)

    def prev_word(self, pos: int) -> tuple[str, int] | None:
        """The word before `pos` and where it starts."""
        m = _PREV_WORD.search(self.norm, max(0, pos - 30), pos)
        return (m.group(1), m.start(1)) if m else None

    def prev_in(self, pos: int, words: frozenset[str]) -> bool:
        pw = self.prev_word(pos)
        return bool(pw) and (pw[0] in words or _CLITIC.sub("", pw[0]) in words)

    def next_word(self, pos: int) -> str:
        m = _NEXT_WORD.match(self.norm, pos)
        return m.group(1) if m else ""

    def year_at(self, pos: int, k: int, rx: re.Pattern[str] = _GAP_SPACE, hijri: bool = False) -> int | None:
        """A 4-digit year at lexeme k right after the cursor, or None.

        A number in the Hijri range (1300-1500) is a year only after a Hijri month or with
        "هـ" after it: "في 1400 قرية" is a count.
        """
        if not self.at(pos, k, "num", rx) or len(self.L[k].key) != 4:
            return None
        return self.year_value(k, hijri)

    def year_value(self, k: int, hijri: bool = False) -> int | None:
        y = self.val(k, "num")
        lo, hi = self.lx.years
        if lo <= y <= hi:
            return y
        hlo, hhi = self.lx.hijri_years
        if hlo <= y <= hhi and (hijri or self.lx.hijri_mark.match(self.norm, self.L[k].ne)):
            return y
        return None

    def era(self, k: int, year: int) -> tuple[str, int]:
        """Calendar of the year at lexeme k ("م", "هـ" after it, else by range) and its end."""
        end = self.L[k].ne
        m = self.lx.hijri_mark.match(self.norm, end)
        if m:
            return "h", m.end()
        m = self.lx.gregorian_mark.match(self.norm, end)
        if m:
            return "g", m.end()
        return ("h" if year < self.lx.years[0] else "g"), end

    def year_expr(self, ns: int, k: int, year: int) -> _Parsed:
        cal, ne = self.era(k, year)
        return k + 1, DateExpr(ns, ne, year=year, calendar=cal)

    # -- entry ------------------------------------------------------------------------------
    def parse(self, i: int) -> _Parsed | None:
        v = self.L[i].vals
        if _STARTERS.isdisjoint(v):
            return None
        if "vague" in v:
            return i + 1, DateExpr(self.L[i].ns, self.L[i].ne, vague=True)
        if "ndate" in v:
            return i + 1, DateExpr(self.L[i].ns, self.L[i].ne, exact=v["ndate"])
        if "ago" in v and (r := self.ago(i)):
            return r
        if ("dur" in v or "after" in v) and (r := self.duration(i)):
            return r
        if "vper" in v and (r := self.vague_period(i)):
            return r
        if "ypair" in v and (r := self.year_pair(i)):
            return r
        if "num" in v and (r := self.definite_count(i)):
            return r
        return self.dayish(i)

    # -- "قبل ثلاثة أيام", "منذ 2013", "منذ أيام", "لمدة أسبوع" --------------------------------------
    def count_unit(self, pos: int, k: int) -> tuple[int, int | None, str, bool, int] | None:
        """[approx | more-than] [N] UNIT at the cursor: (next index, n, unit, vague, end)."""
        vague = False
        m = self.lx.approx.match(self.norm, pos)
        if m:
            pos = m.end()
            if self.at(pos, k, "period"):  # "منذ قرابة الشهر"
                return k + 1, 1, self.val(k, "period"), False, self.L[k].ne
        else:
            m = self.lx.vague_quantity.match(self.norm, pos)
            if m:
                vague, pos = True, m.end()
        if self.at(pos, k, "unit"):
            unit, n = self.val(k, "unit")
            return k + 1, n, unit, vague or n is None, self.L[k].ne
        if self.at(pos, k, "num") and self.at(self.L[k].ne, k + 1, "unit"):
            unit, _ = self.val(k + 1, "unit")
            return k + 2, self.val(k, "num"), unit, vague, self.L[k + 1].ne
        if self.has(k, "unit") and self.L[k].cs == self.L[k].ns:
            # a number word ("ستة أسابيع"): the numbers module reads it, the unit follows it
            start = pos
            while start < len(self.norm) and self.norm[start].isspace():
                start += 1
            nm = read_number(self.norm, start) if start < self.L[k].cs else None
            if nm is not None and not nm.digits and _GAP_SPACE.fullmatch(self.norm, nm.nend, self.L[k].cs):
                unit, _ = self.val(k, "unit")
                return k + 1, nm.value, unit, vague, self.L[k].ne
        return None

    def ago(self, i: int) -> _Parsed | None:
        pos, ns = self.L[i].ne, self.L[i].ns
        year = self.year_at(pos, i + 1)
        if year is not None and not self.at(self.L[i + 1].ne, i + 2, "unit"):
            return self.year_expr(ns, i + 1, year)  # "منذ 2013"
        cu = self.count_unit(pos, i + 1)
        if cu is None:
            return None
        k, n, unit, vague, ne = cu
        if unit == "year" and n == 1 and (y := self.year_at(ne, k)):
            return self.year_expr(ns, k, y)  # "منذ عام 2013"
        m = self.lx.few.match(self.norm, ne)
        if m:
            ne = m.end()
        if self.lx.ago_event_link.match(self.norm, ne):
            # "قبل يومين من الهجوم": counted from another event, not from publication
            return k, DateExpr(ns, ne, duration=True)
        if vague or n is None:
            return k, DateExpr(ns, ne, vague=True)
        return k, DateExpr(ns, ne, ago=(unit, n))

    def duration(self, i: int) -> _Parsed | None:
        """"لمدة أسبوع", "خلال 24 ساعة", "بعد أسبوع من انطلاقها"."""
        cu = self.count_unit(self.L[i].ne, i + 1)
        if cu is None:
            return None
        k, _, _, _, ne = cu
        if not _DAY_CORES.isdisjoint(self.L[k].vals if self.adj(ne, k) else ()) or self.at(ne, k, "month"):
            return None  # "خلال شهر رمضان", "خلال عام 2018", "خلال يوم الأحد": a date, not a duration
        m = self.lx.few.match(self.norm, ne)
        return k, DateExpr(self.L[i].ns, m.end() if m else ne, duration=True)

    def vague_period(self, i: int) -> _Parsed | None:
        """"اليومين الماضيين", "الأيام القليلة الماضية", "الأسابيع المقبلة" (null value)."""
        for k in (i + 1, i + 2):
            if k < self.n and ("vpast" in self.L[k].vals or self.L[k].vals.get("mod") == "next"):
                gap = self.norm[self.L[i].ne:self.L[k].cs]
                if len(gap.split()) <= 2 and not any(ch in gap for ch in ",.;:"):
                    return k + 1, DateExpr(self.L[i].ns, self.L[k].ne, vague=True)
        return None

    def definite_count(self, i: int) -> _Parsed | None:
        """"الـ24 ساعة الماضية", "الـ10 أيام الأخيرة": a recent stretch, vague like "الأيام الماضية"."""
        lex = self.L[i]
        m = _DEFINITE_BEFORE.search(self.norm, max(0, lex.cs - 5), lex.cs)
        if not m or not self.at(lex.ne, i + 1, "unit"):
            return None
        k = i + 2
        if k < self.n and ("vpast" in self.L[k].vals or self.L[k].vals.get("mod") in ("past", "next")) and self.adj(
            self.L[i + 1].ne, k
        ):
            return k + 1, DateExpr(m.start(), self.L[k].ne, vague=True)
        return None

    def year_pair(self, i: int) -> _Parsed | None:
        """"عامي 2012 و2014", "بين عامي 2012 و2014": a range of years."""
        y1 = self.year_at(self.L[i].ne, i + 1)
        if y1 is None or not self.has(i + 2, "num"):
            return None
        lex2 = self.L[i + 2]
        if not self.lx.range_join.fullmatch(self.norm, self.L[i + 1].ne, lex2.cs) or (y2 := self.year_value(i + 2)) is None:
            return None
        if y2 <= y1:
            return None
        return i + 3, DateExpr(self.L[i].ns, lex2.ne, year=y1, year_end=y2)

    # -- days, weekdays, dates, months, periods, years ----------------------------------------------
    def dayish(self, i: int) -> _Parsed | None:
        """[EDGE] [PART-OF-DAY] [يوم] CORE, where CORE is a day word, weekday, date, month,
        period or year."""
        if _DAYISH.isdisjoint(self.L[i].vals):
            return None
        k, pos = i, self.L[i].ns
        edge = pod = None
        this = False
        if self.has(k, "edge"):
            edge, pos, k = self.val(k, "edge"), self.L[k].ne, k + 1
            m = self.lx.this_after.match(self.norm, pos)  # "مطلع هذا العام"
            if m:
                this, pos = True, m.end()
        if self.has(k, "pod") and (k == i or self.adj(pos, k)):
            pod, pos, k = self.L[k].key, self.L[k].ne, k + 1
        if (
            self.has(k, "yawm") and (k == i or self.adj(pos, k)) and self.adj(self.L[k].ne, k + 1)
            and not _DAY_CORES.isdisjoint(self.L[k + 1].vals)
        ):
            pos, k = self.L[k].ne, k + 1
        if k > i and not self.adj(pos, k):
            return None
        if k >= self.n:
            return None
        v = self.L[k].vals
        lead = k > i
        r: _Parsed | None = None
        if "rel" in v:
            r = self.relative(k)
        elif "wday" in v:
            r = self.weekday(k, night=pod in self.lx.night_words)
        if r is None and ("num" in v or "ord" in v):
            r = self.day_month(k)
        if r is None and ("month" in v or "mstem" in v or "month_word" in v):
            r = self.month(k, lead=lead)
        if r is None and "period" in v and (pod is None):
            r = self.period(k, edge=edge is not None, this=this)
        if r is None and k == i and "unit" in v:
            r = self.year_word(k)
        if r is None and edge is not None and pod is None and k == i + 1 and (y := self.year_at(pos, k)):
            r = self.year_expr(self.L[k].ns, k, y)  # "بداية 2018"
        if r is None and k == i and "num" in v:
            r = self.cued_year(k)
        if r is None:
            return None
        if k > i:
            r[1].ns = self.L[i].ns
        return r

    def relative(self, k: int) -> _Parsed | None:
        """"اليوم", "أمس", "أول أمس", "غداً" [WEEKDAY] [adverb] [DATE]."""
        lex = self.L[k]
        if lex.key in self.lx.ambiguous_today and not self.is_today(k):
            return None
        e = DateExpr(lex.ns, lex.ne, offset=self.val(k, "rel"))
        j = k + 1
        if self.at(e.ne, j, "wday") and self.weekday_ok(j):
            e.weekday, e.ne, j = self.val(j, "wday"), self.L[j].ne, j + 1
        if self.at(e.ne, j, "podadv"):
            e.ne, j = self.L[j].ne, j + 1
        return self.attach_date(j, e), e

    def is_today(self, k: int) -> bool:
        """"اليوم" is today unless it is "the day" (اليوم التالي، ذلك اليوم، لليوم الرابع)."""
        lex = self.L[k]
        if self.at(lex.ne, k + 1, "ord"):
            return False
        if self.prev_in(lex.cs, self.lx.today_not_after):
            return False
        return self.next_word(lex.ne) not in self.lx.today_not_before

    def weekday_ok(self, k: int) -> bool:
        """Not a name ("عبد الأحد") or the pronoun "the two" ("كلا الاثنين")."""
        lex = self.L[k]
        if self.prev_in(lex.cs, self.lx.weekday_not_after):
            return False
        return self.next_word(lex.ne) not in self.lx.weekday_not_before

    def weekday(self, k: int, night: bool) -> _Parsed | None:
        """WEEKDAY [/NEXT-WEEKDAY] [MOD] [adverb] [DATE]: "ليل الثلاثاء/الأربعاء"."""
        if not self.weekday_ok(k):
            return None
        lex = self.L[k]
        w = self.val(k, "wday")
        e = DateExpr(lex.ns, lex.ne, weekday=w)
        j = k + 1
        if self.has(j, "wday") and self.val(j, "wday") == (w + 1) % 7 and (
            self.adj(e.ne, j, self.lx.night_join) and (night or not self.adj(e.ne, j))
        ):
            e.weekday_end, e.ne, j = self.val(j, "wday"), self.L[j].ne, j + 1
        if self.at(e.ne, j, "mod"):
            e.mod, e.ne, j = self.val(j, "mod"), self.L[j].ne, j + 1
        if self.at(e.ne, j, "podadv"):
            e.ne, j = self.L[j].ne, j + 1
        return self.attach_date(j, e), e

    def attach_date(self, j: int, e: DateExpr) -> int:
        """A calendar date written after a weekday or day word: "الاثنين 9 أبريل",
        "الأحد الموافق 20 آذار", "الجمعة (15 آذار)"; merged into `e`."""
        k, pos = j, e.ne
        before = e.ne
        if self.at(pos, k, "link") or self.at(pos, k, "link", _GAP_COMMA):
            pos, k = self.L[k].ne, k + 1
        if self.has(k, "ndate") and (self.adj(pos, k) or self.adj(pos, k, _GAP_COMMA)):
            e.exact, e.ne = self.val(k, "ndate"), self.L[k].ne  # "الأربعاء 29-5-2019"
            return k + 1
        if not (self.has(k, "num") or self.has(k, "ord")):
            return j
        if not (self.adj(pos, k) or self.adj(pos, k, _GAP_COMMA) or self.adj(pos, k, _GAP_PAREN)):
            return j
        r = self.day_month(k)
        if r is None:
            return j
        k2, d = r
        for f in ("day", "day_end", "month", "year", "calendar", "year_delta", "period", "delta"):
            setattr(e, f, getattr(d, f))
        e.mod = d.mod or e.mod
        e.ne = d.ne
        close = _PAREN_CLOSE.match(self.norm, e.ne)
        if close and "(" in self.norm[before:self.L[k].cs]:
            e.ne = close.end()  # "الجمعة (15 آذار)"
        return k2

    def day_month(self, k: int) -> _Parsed | None:
        """DAY [-DAY] [من] MONTH… | DAY من الشهر الجاري: "14 تشرين الثاني", "الرابع عشر من آذار"."""
        lex = self.L[k]
        if "num" in lex.vals:
            if len(lex.key) > 2:
                return None
            day = lex.vals["num"]
        else:
            day = lex.vals["ord"]
        if not 1 <= day <= 31:
            return None
        j, pos = k + 1, lex.ne
        day_end = None
        if (
            self.has(j, "num") and len(self.L[j].key) <= 2 and self.adj(pos, j, self.lx.range_join)
            and day < self.val(j, "num") <= 31
        ):
            day_end, pos, j = self.val(j, "num"), self.L[j].ne, j + 1
        if not (self.adj(pos, j) or self.adj(pos, j, self.lx.gap_of)):
            return None
        if self.has(j, "period") and self.val(j, "period") == "month":
            if self.at(self.L[j].ne, j + 1, "mod"):  # "العاشر من الشهر الجاري"
                delta = _MOD_DELTA[self.val(j + 1, "mod")]
                return j + 2, DateExpr(lex.ns, self.L[j + 1].ne, day=day, day_end=day_end, period="month", delta=delta)
            return None
        r = self.month(j, lead=True)
        if r is None:
            return None
        j2, e = r
        e.ns, e.day, e.day_end = lex.ns, day, day_end
        e.name = self.prev_in(lex.cs, self.lx.date_not_after)  # "قوى 14 آذار" is a coalition
        return j2, e

    def month(self, k: int, lead: bool) -> _Parsed | None:
        """[شهر] MONTH [/MONTH] [YEAR | MOD | من العام الماضي | من عام 2015]."""
        ns = self.L[k].ns
        if "month_word" in self.L[k].vals:
            if not (self.at(self.L[k].ne, k + 1, "month") or self.at(self.L[k].ne, k + 1, "mstem")):
                return None
            k, lead = k + 1, True
        lex = self.L[k]
        j, pos = k + 1, lex.ne
        if "mstem" in lex.vals:  # "كانون 2", "تشرين1"
            if not (self.at(pos, j, "num") and self.val(j, "num") in lex.vals["mstem"]):
                return None
            cal, mon = "g", lex.vals["mstem"][self.val(j, "num")]
            pos, j = self.L[j].ne, j + 1
        elif "month" in lex.vals:
            cal, mon = lex.vals["month"]
        else:
            return None
        weak = lex.key in self.lx.weak_months
        doubled = False
        for rx in (_GAP_SLASH, _GAP_SPACE, _GAP_PAREN, _GAP_DASH):
            if not self.adj(pos, j, rx):
                continue
            other = self.L[j].vals.get("month")
            stem = self.L[j].vals.get("mstem")
            if other and other == (cal, mon):
                pos, j, doubled = self.L[j].ne, j + 1, True
            elif stem and self.at(self.L[j].ne, j + 1, "num") and stem.get(self.val(j + 1, "num")) == mon:
                pos, j, doubled = self.L[j + 1].ne, j + 2, True
            if doubled:
                if rx is _GAP_PAREN and (close := _PAREN_CLOSE.match(self.norm, pos)):
                    pos = close.end()
                break
        e = DateExpr(ns, pos, month=mon, calendar=cal)
        tail = self.month_tail(e, j)
        if tail is None:
            if weak and not (lead or doubled):
                return None
            return j, e
        return tail, e

    def month_tail(self, e: DateExpr, j: int) -> int | None:
        """What may follow a month name; fills `e` and returns the next index, or None."""
        pos = e.ne
        h = e.calendar == "h"
        y = self.year_at(pos, j, hijri=h) or self.year_at(pos, j, _GAP_COMMA, hijri=h)
        if y is not None:
            cal, e.ne = self.era(j, y)
            if e.calendar == cal or cal == "g":
                e.year = y  # (a Gregorian month with "1439 هـ" is a slip: leave its year unknown)
            return j + 1
        if self.at(pos, j, "mod"):
            e.mod, e.ne = self.val(j, "mod"), self.L[j].ne
            return j + 1
        if not (self.adj(pos, j, self.lx.gap_of) or self.adj(pos, j)):
            return None
        lexj = self.L[j]
        if self.has(j, "period") and self.val(j, "period") == "year" and self.at(lexj.ne, j + 1, "mod"):
            e.year_delta, e.ne = _MOD_DELTA[self.val(j + 1, "mod")], self.L[j + 1].ne  # "من العام الماضي"
            return j + 2
        if "yword" in lexj.vals and (y := self.year_at(lexj.ne, j + 1, hijri=h)):
            e.year = y  # "من عام 2015"
            e.ne = self.era(j + 1, y)[1]
            return j + 2
        if self.adj(pos, j, self.lx.gap_of) and (y := self.year_at(pos, j, self.lx.gap_of, hijri=h)):
            e.year, e.ne = y, self.era(j, y)[1]
            return j + 1
        return None

    def period(self, k: int, edge: bool, this: bool) -> _Parsed | None:
        """[هذا] الأسبوع/الشهر/العام [MOD | 2017]; after an edge alone, the current one."""
        lex = self.L[k]
        unit = self.val(k, "period")
        e = DateExpr(lex.ns, lex.ne, period=unit)
        if unit == "year" and self.prev_in(lex.cs, self.lx.year_word_not_after):
            return None  # "الأمين العام السابق"
        if not this and lex.cs == lex.ns and (m := self.lx.this_before.search(self.norm, max(0, lex.cs - 8), lex.cs)):
            this, e.ns = True, m.start(1)
        j = k + 1
        if self.at(e.ne, j, "mod"):
            e.delta, e.ne, j = _MOD_DELTA[self.val(j, "mod")], self.L[j].ne, j + 1
        elif this:
            e.delta = 0
        elif unit == "year" and (y := self.year_at(e.ne, j)):
            e.period, e.year = None, y  # "العام 2017"
            e.calendar, e.ne = self.era(j, y)
            j += 1
        elif not edge:
            return None
        return j, e

    def year_word(self, k: int) -> _Parsed | None:
        """"عام 2014", "سنة 1445 هـ"."""
        lex = self.L[k]
        if "yword" not in lex.vals or (y := self.year_at(lex.ne, k + 1)) is None:
            return None
        j, e = self.year_expr(lex.ns, k + 1, y)
        return j, e

    def cued_year(self, k: int) -> _Parsed | None:
        """A year after a cue outside the vocabulary: "في 2014", "حرب 2014", "منذ حرب 2014",
        or with an era marker ("2018م")."""
        lex = self.L[k]
        if lex.cs != lex.ns or len(lex.key) != 4 or (y := self.year_value(k)) is None:
            return None
        ns = lex.ns
        marked = self.lx.hijri_mark.match(self.norm, lex.ne) or self.lx.gregorian_mark.match(self.norm, lex.ne)
        pw = self.prev_word(lex.cs)
        word = bare = ""
        if pw:
            word = pw[0]
            bare = word if word in self.lx.year_cues else _CLITIC.sub("", word)
        if bare not in self.lx.year_cues and not marked:
            return None
        if pw and bare in self.lx.year_cue_in_span:
            ns = pw[1] + len(word) - len(bare)
            pw2 = self.prev_word(pw[1])
            if bare not in self.lx.since and pw2 and (bare2 := _CLITIC.sub("", pw2[0])) in self.lx.since:
                ns = pw2[1] + len(pw2[0]) - len(bare2)  # "منذ حرب 2014"
        return self.year_expr(ns, k, y)


# -- resolution ---------------------------------------------------------------------------------


def _week_start(d: dt.date, first: int) -> dt.date:
    return d - dt.timedelta(days=(d.weekday() - first) % 7)


def _add_months(y: int, m: int, delta: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + delta
    return idx // 12, idx % 12 + 1


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _hijri(y: int, m: int, d: int) -> dt.date | None:
    try:
        g = Hijri(y, m, d).to_gregorian()
    except (OverflowError, ValueError):
        return None
    return dt.date(g.year, g.month, g.day)


def _hijri_month_span(y: int, m: int) -> tuple[dt.date, dt.date] | None:
    try:
        h = Hijri(y, m, 1)
        start = h.to_gregorian()
        length = h.month_length()
    except (OverflowError, ValueError):
        return None
    s = dt.date(start.year, start.month, start.day)
    return s, s + dt.timedelta(days=length - 1)


def _hijri_year_of(d: dt.date) -> int | None:
    try:
        return Gregorian(d.year, d.month, d.day).to_hijri().year
    except (OverflowError, ValueError):
        return None


def _pick(cands: list[dt.date], pub: dt.date, mode: str) -> dt.date | None:
    """The candidate a mode points to: the last before (or on) publication, the first after
    (or on) it, or for "current" the one in the publication's year."""
    cands = sorted(cands)
    if mode == "current":
        ok = [c for c in cands if c.year == pub.year]
        return ok[0] if ok else None
    if mode in ("past", "onbefore"):
        ok = [c for c in cands if c < pub or (mode == "onbefore" and c == pub)]
        return ok[-1] if ok else None
    ok = [c for c in cands if c > pub or (mode == "onafter" and c == pub)]
    return ok[0] if ok else None


def _mode(e: DateExpr, future: bool) -> str:
    """How to choose among a date's possible years (or a weekday's possible weeks)."""
    if e.mod in ("past", "before_last"):
        return "past"
    if e.mod in ("next", "current"):
        return e.mod
    return "onafter" if future else "onbefore"


_Resolved = tuple[str | None, str | None, str | None]


def resolve(e: DateExpr, pub: dt.date | None, future: bool = False, week_start: int = 0) -> _Resolved:
    """(value, precision, value_end) of an expression; value None when it cannot be resolved.

    `future`: the sentence looks ahead ("من المقرر"), so an unmarked weekday or date
    without year is the next one rather than the last one.
    """
    if e.vague or e.duration:
        return None, None, None
    if e.offset is not None:
        return _resolve_offset(e, pub)
    if e.exact is not None:
        return e.exact.isoformat(), "day", None
    if e.day is not None:
        return _resolve_day(e, pub, future)
    if e.weekday is not None:
        return _resolve_weekday(e, pub, future)
    if e.month is not None:
        return _resolve_month(e, pub, future)
    if e.period is not None:
        return _resolve_period(e, pub, week_start)
    if e.year is not None:
        if e.calendar == "h":
            s, end = _hijri(e.year, 1, 1), _hijri(e.year + 1, 1, 1)
            if s is None:
                return None, "year", None
            return s.isoformat(), "year", (end - dt.timedelta(days=1)).isoformat() if end else None
        return f"{e.year:04d}-01-01", "year", f"{e.year_end:04d}-01-01" if e.year_end else None
    if e.ago is not None:
        return _resolve_ago(e, pub, week_start)
    return None, None, None


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _resolve_offset(e: DateExpr, pub: dt.date | None) -> _Resolved:
    d = e.exact
    if d is None and e.day is not None and e.month is not None and e.year is not None:
        d = _safe_date(e.year, e.month, e.day) if e.calendar == "g" else _hijri(e.year, e.month, e.day)
    # an explicit full date wins, unless its weekday contradicts the one written with it
    # (a slip in the year or day: "اليوم السبت 7 كانون الثاني 2016" in a 2017 article)
    if d is not None and (e.weekday is None or d.weekday() == e.weekday or pub is None):
        return d.isoformat(), "day", None
    if pub is None:
        return None, "day", None
    return (pub + dt.timedelta(days=e.offset or 0)).isoformat(), "day", None


def _year_of(e: DateExpr, pub: dt.date | None) -> int | None:
    if e.year is not None:
        return e.year
    if e.year_delta is not None and pub is not None:
        return pub.year + e.year_delta
    return None


def _resolve_day(e: DateExpr, pub: dt.date | None, future: bool) -> _Resolved:
    assert e.day is not None
    if e.period == "month":  # "العاشر من الشهر الجاري"
        if pub is None:
            return None, "day", None
        y, m = _add_months(pub.year, pub.month, e.delta)
        return _iso(_safe_date(y, m, e.day)), "day", _iso(_safe_date(y, m, e.day_end) if e.day_end else None)
    assert e.month is not None
    if e.calendar == "h":
        return _resolve_hijri_day(e, pub, future)
    year = _year_of(e, pub)
    if year is None:
        if pub is None:
            return None, "day", None
        cands = [c for y in range(pub.year - 4, pub.year + 2) if (c := _safe_date(y, e.month, e.day))]
        same_day = [c for c in cands if c.weekday() == e.weekday and abs((c - pub).days) <= 200]
        if e.weekday is not None and same_day:
            # "الجمعة 5 كانون الثاني": the weekday tells the year; take the nearest such one
            d: dt.date | None = min(same_day, key=lambda c: abs((c - pub).days))
        else:
            d = _pick(cands, pub, _mode(e, future))
        if d is None:
            return None, "day", None
        year = d.year
    d = _safe_date(year, e.month, e.day)
    end = _safe_date(year, e.month, e.day_end) if e.day_end else None
    return _iso(d), "day", _iso(end)


def _hijri_candidates(e: DateExpr, pub: dt.date | None) -> list[int]:
    """Hijri years an expression may mean: its own, those overlapping a Gregorian year
    written with a Hijri month ("رمضان 2018"), or those around publication."""
    year = _year_of(e, pub)
    if year is not None and year < 1900:
        return [year]
    ref = dt.date(year, 7, 1) if year is not None else pub
    hy = _hijri_year_of(ref) if ref else None
    return [] if hy is None else [hy - 1, hy, hy + 1]


def _resolve_hijri_day(e: DateExpr, pub: dt.date | None, future: bool) -> _Resolved:
    assert e.month is not None and e.day is not None
    gyear = _year_of(e, pub)
    cands = [c for y in _hijri_candidates(e, pub) if (c := _hijri(y, e.month, e.day))]
    if gyear is not None:
        cands = [c for c in cands if gyear < 1900 or c.year == gyear]
        return _iso(cands[0] if cands else None), "day", None
    if pub is None:
        return None, "day", None
    return _iso(_pick(cands, pub, _mode(e, future))), "day", None


def _resolve_weekday(e: DateExpr, pub: dt.date | None, future: bool) -> _Resolved:
    assert e.weekday is not None
    if pub is None:
        return None, "day", None
    back = (pub.weekday() - e.weekday) % 7
    mode = _mode(e, future)
    if mode == "past":
        d = pub - dt.timedelta(days=(back or 7) + (7 if e.mod == "before_last" else 0))
    elif mode in ("onbefore", "current"):
        d = pub - dt.timedelta(days=back)
    else:
        fwd = (e.weekday - pub.weekday()) % 7
        d = pub + dt.timedelta(days=fwd or (7 if mode == "next" else 0))
    end = d + dt.timedelta(days=1) if e.weekday_end is not None else None
    return d.isoformat(), "day", _iso(end)


def _resolve_month(e: DateExpr, pub: dt.date | None, future: bool) -> _Resolved:
    assert e.month is not None
    if e.calendar == "h":
        return _resolve_hijri_month(e, pub, future)
    year = _year_of(e, pub)
    if year is None:
        if pub is None:
            return None, "month", None
        mode = _mode(e, future)
        month_start = dt.date(pub.year, pub.month, 1)
        cands = [dt.date(y, e.month, 1) for y in (pub.year - 1, pub.year, pub.year + 1)]
        if mode == "onbefore":  # the month under way is the most recent one
            d = _pick(cands, month_start, "onbefore")
        elif mode == "onafter":
            d = _pick(cands, month_start, "onafter")
        else:
            d = _pick(cands, month_start, mode)
        if d is None:
            return None, "month", None
        year = d.year
    return f"{year:04d}-{e.month:02d}-01", "month", None


def _resolve_hijri_month(e: DateExpr, pub: dt.date | None, future: bool) -> _Resolved:
    assert e.month is not None
    spans = [s for y in _hijri_candidates(e, pub) if (s := _hijri_month_span(y, e.month))]
    gyear = _year_of(e, pub)
    span = None
    if gyear is not None:
        ok = [s for s in spans if gyear < 1900 or s[0].year == gyear]
        span = ok[0] if ok else None
    elif pub is not None:
        mode = _mode(e, future)
        if mode == "onbefore":  # the month under way is the most recent one
            ok = [s for s in spans if s[0] <= pub]
            span = ok[-1] if ok else None
        else:
            starts = {s[0]: s for s in spans}
            st = _pick(list(starts), pub, mode)
            span = starts.get(st) if st else None
    if span is None:
        return None, "month", None
    return span[0].isoformat(), "month", span[1].isoformat()


def _resolve_period(e: DateExpr, pub: dt.date | None, week_start: int) -> _Resolved:
    precision = e.period
    if pub is None:
        return None, precision, None
    if e.period == "week":
        d = _week_start(pub, week_start) + dt.timedelta(days=7 * e.delta)
        return d.isoformat(), "week", None
    if e.period == "month":
        y, m = _add_months(pub.year, pub.month, e.delta)
        return f"{y:04d}-{m:02d}-01", "month", None
    return f"{pub.year + e.delta:04d}-01-01", "year", None


def _resolve_ago(e: DateExpr, pub: dt.date | None, week_start: int) -> _Resolved:
    assert e.ago is not None
    unit, n = e.ago
    precision = {"hour": "day", "day": "day", "week": "week", "month": "month"}.get(unit, "year")
    if pub is None:
        return None, precision, None
    try:  # "قبل 14500 عام" is before year 1: a mention, but no calendar date
        if unit in ("hour", "day"):
            days = n // 24 if unit == "hour" else n
            return (pub - dt.timedelta(days=days)).isoformat(), "day", None
        if unit == "week":
            return _week_start(pub - dt.timedelta(weeks=n), week_start).isoformat(), "week", None
        if unit == "month":
            y, m = _add_months(pub.year, pub.month, -n)
            return (f"{y:04d}-{m:02d}-01" if y >= 1 else None), "month", None
    except (OverflowError, ValueError):
        return None, precision, None
    years = n * 10 if unit == "decade" else n
    return (f"{pub.year - years:04d}-01-01" if pub.year - years >= 1 else None), "year", None


# -- the stage ----------------------------------------------------------------------------------


def parse_dates(norm: str, lexicon_dirs: tuple[str, ...] = ()) -> list[DateExpr]:
    """Every date expression in a normalised text, in order (no resolution)."""
    return _parse_all(norm, _lexicon(lexicon_dirs))[0]


def _parse_all(norm: str, lx: _Lexicon) -> tuple[list[DateExpr], list[int]]:
    """The expressions of a normalised text, and the positions of its future cues."""
    lexemes = _scan(norm, lx)
    parser = _Parser(norm, lexemes, lx)
    found: list[DateExpr] = []
    i, n = 0, len(lexemes)
    while i < n:
        r = parser.parse(i)
        if r is None:
            i += 1
            continue
        j, e = r
        if not e.name:
            found.append(e)
        i = max(j, i + 1)
    return found, [lex.ns for lex in lexemes if "fut" in lex.vals]


@stage("dates", requires=("segment",), assigns=("dates",))
class DateStage:
    """Append a `DateMention` for every date expression, resolved against `meta.published`."""

    def __init__(self, lexicon_dirs: tuple[str, ...] = ()) -> None:
        self.lx = _lexicon(tuple(lexicon_dirs))

    @property
    def phrase_matchers(self) -> tuple[PhraseMatcher, ...]:
        """Matchers the pipeline may let share one scan of `doc.norm` (`share_scan`)."""
        return (self.lx.matcher,)

    def __call__(self, doc: Document) -> None:
        lx = self.lx
        pub = doc.meta.published
        found, future = _parse_all(doc.norm, lx)
        for e in found:
            sent = doc.sentence_index(e.ns)
            fut = any(p < e.ns and doc.sentence_index(p) == sent for p in future)
            value, precision, value_end = resolve(e, pub, fut, lx.week_start)
            start, end, text = doc.span_text(e.ns, e.ne)
            doc.dates.append(DateMention(
                text=text, start=start, end=end, sentence=sent, value=value,
                precision=precision, value_end=value_end, duration=e.duration,
            ))
