"""`rasd eval GOLD_DIR`: score rasd against gold annotations, in this process.

Analysts adopt a coder only after measuring it on articles they annotated themselves, so this
reads gold files in the format of the project's GOLD.md, runs the very pipeline `rasd parse`
runs, and scores it with the rules of the reference scorer (`shared/eval/score.py`).  The two
must print the same numbers, so that a score a user reports means what it means to us:

- every whole-word occurrence of a gold `text` in the article is a gold mention (diacritics
  and letter variants folded, proclitics allowed; rules and data in lexicons/eval/);
- a rasd mention of the same kind overlapping a required gold occurrence is right; one that
  overlaps only `optional` gold counts neither way; one longer than `MAX_SPAN` or without
  offsets is wrong, because a span over a whole sentence proves nothing;
- admin1 (folded spellings), date values (gold "2018-03" accepts "2018-03-12") and casualty
  counts (status must agree) are scored on the gold mentions rasd found;
- killed/injured totals are sums over rasd's event rows, gold ranges accepted; casualty events
  match greedily on admin1 + counts.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rasd.extractors import Document, Pipeline, StageError
from rasd.lexicons import LexiconError, builtin

from . import readers

KINDS = ("place", "actor", "date", "casualty")
GOLD_KEY = {"place": "places", "actor": "actors", "date": "dates", "casualty": "casualties"}
# a mention longer than this cannot match: a span over a whole sentence proves nothing
MAX_SPAN = {"place": 60, "actor": 80, "date": 60, "casualty": 200}
GOLD_SUFFIX = ".gold.json"
# where the article of NAME.gold.json is looked for first; then by id among all articles
ARTICLE_SUFFIXES = (".txt", ".md", ".json", ".jsonl")

Span = tuple[int, int]
Row = dict[str, Any]


class EvalError(Exception):
    """A gold folder that cannot be scored; each message names the folder or file at fault."""

    def __init__(self, where: Path | str, reason: str, *, more: list[str] | None = None) -> None:
        self.messages = more or [f"{where}: {reason}"]
        super().__init__("\n".join(self.messages))


# -- finding gold texts in an article ------------------------------------------------------
def _ranges(specs: Iterable[str]) -> str:
    """Hex code point ranges from YAML ("064B-0652", "0670") as a regex character class body."""
    parts = []
    for spec in specs:
        lo, _, hi = spec.partition("-")
        parts.append(re.escape(chr(int(lo, 16))) + ("-" + re.escape(chr(int(hi, 16))) if hi else ""))
    return "".join(parts)


@dataclass(frozen=True)
class _Matching:
    ignore: re.Pattern[str]
    fold: dict[int, str]
    letter: re.Pattern[str]
    prefixes: frozenset[str]


@cache
def _matching() -> _Matching:
    data = builtin("eval/matching")
    clitics = data["proclitics"]
    prefixes = frozenset(
        c + p + a
        for c in ["", *clitics["conjunctions"]]
        for p in ["", *clitics["prepositions"]]
        for a in ["", *clitics["articles"]]
    )
    return _Matching(
        ignore=re.compile(f"[{_ranges(data['ignore'])}]"),
        fold=str.maketrans(data["fold"]),
        letter=re.compile(f"[{_ranges(data['letters'])}]"),
        prefixes=prefixes,
    )


@dataclass
class SearchText:
    """An article folded for searching, with each folded character's original index."""

    folded: str
    keep: list[int]

    @classmethod
    def of(cls, text: str) -> SearchText:
        rules = _matching()
        keep = [i for i, ch in enumerate(text) if not rules.ignore.match(ch)]
        folded = "".join(text[i] for i in keep).translate(rules.fold)
        return cls(folded, keep)

    def occurrences(self, needle: str) -> list[Span]:
        """Every whole-word occurrence of `needle`, as spans of the original text.

        Occurrences are searched left to right without overlap; one glued to a following
        letter, or preceded by letters that are not proclitics, is part of another word.
        """
        rules = _matching()
        n = rules.ignore.sub("", needle).translate(rules.fold)
        if not n:
            return []
        text, letter = self.folded, rules.letter
        starts_letter, ends_letter = bool(letter.match(n[0])), bool(letter.match(n[-1]))
        out: list[Span] = []
        pos = 0
        while (a := text.find(n, pos)) >= 0:
            b = pos = a + len(n)
            if ends_letter and b < len(text) and letter.match(text[b]):
                continue
            if starts_letter:
                j = a
                while j > 0 and letter.match(text[j - 1]):
                    j -= 1
                if j < a and text[j:a] not in rules.prefixes:
                    continue
            out.append((self.keep[a], self.keep[b - 1] + 1))
        return out


# -- admin1 spellings ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Admin:
    drop: re.Pattern[str]
    alias: dict[str, str]
    countries: frozenset[str]


def _fold_admin(name: str, drop: re.Pattern[str]) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", drop.sub(" ", s))


@cache
def _admin() -> _Admin:
    data = builtin("eval/admin1_aliases")
    drop = re.compile(r"\b(?:" + "|".join(map(re.escape, data["drop_words"])) + r")\b")
    alias = {_fold_admin(n, drop): code for code, names in data["groups"].items() for n in names}
    for group in data["variants"]:
        alias.update({_fold_admin(n, drop): _fold_admin(group[0], drop) for n in group})
    return _Admin(drop, alias, frozenset(data["scored_countries"]))


def admin_key(name: Any) -> str | None:
    """A comparable key for an English admin1 name (the OCHA P-code for Syria's governorates)."""
    if not name:
        return None
    rules = _admin()
    s = _fold_admin(str(name), rules.drop)
    return rules.alias.get(s, s)


# -- small scoring rules -------------------------------------------------------------------
def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> tuple[float, float, float]:
    """Precision, recall, F1; an empty side scores 1.0 (nothing to find, nothing wrong)."""
    p = tp_p / n_p if n_p else 1.0
    r = tp_r / n_r if n_r else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def date_matches(gold_value: Any, value: Any) -> bool:
    """Gold "2018-03" accepts "2018-03-12"; a null gold value wants no value."""
    if not gold_value:
        return value in (None, "")
    return bool(value) and str(value).startswith(str(gold_value))


def within(value: Any, gold_event: dict[str, Any], fld: str) -> bool:
    """The stated figure, or anything inside the gold range when the article gives one."""
    v = int(value or 0)
    lo, hi = gold_event.get(f"{fld}_low"), gold_event.get(f"{fld}_high")
    return v == int(gold_event.get(fld) or 0) or (lo is not None and hi is not None and int(lo) <= v <= int(hi))


def total_bound(events: list[dict[str, Any]], fld: str, side: str, total: int) -> int:
    """Sum of the gold events' low (or high) figures; the plain total when no event has a range."""
    key = f"{fld}_{side}"
    if not any(key in e for e in events):
        return total
    return sum(int(e.get(key, e.get(fld)) or 0) for e in events)


# -- findings (misses, false hits, wrong values) --------------------------------------------
@dataclass
class Finding:
    """One line of `--errors`; the wording is the reference scorer's so outputs can be diffed."""

    article: str
    type: str
    kind: str | None
    text: str | None
    line: str

    def as_dict(self) -> dict[str, Any]:
        return {"article": self.article, "type": self.type, "kind": self.kind, "text": self.text,
                "message": self.line}


# -- the scorer ----------------------------------------------------------------------------
@dataclass
class Scorer:
    """Accumulates counts article by article; `scores()` gives the reference scorer's fields."""

    articles: int = 0
    c: Counter[str] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)

    def _note(self, aid: str, type_: str, kind: str | None, text: Any, detail: str) -> None:
        self.findings.append(Finding(aid, type_, kind, None if text is None else str(text), f"{aid} {type_} {detail}"))

    def add(self, aid: str, text: str, gold: dict[str, Any], mentions: list[Row], events: list[Row]) -> None:
        """Score one article: its gold, rasd's mention rows and event rows."""
        self.articles += 1
        search = SearchText.of(text)
        for kind in KINDS:
            rows = [r for r in mentions if r.get("kind") == kind]
            self._mentions(aid, kind, text, search, gold.get(GOLD_KEY[kind]) or [], rows)
        self._totals(aid, gold, events)
        self._events(aid, gold.get("events") or [], events)

    def _system_spans(self, aid: str, kind: str, text: str, rows: list[Row]) -> list[tuple[Span, Row]]:
        c, spans = self.c, []
        for r in rows:
            s, e = r.get("start"), r.get("end")
            if not (isinstance(s, int) and isinstance(e, int)):
                c[f"{kind}_sys"] += 1
                self._note(aid, "NO-OFFSETS", kind, r.get("text"), f"{kind}: {r.get('text')}")
                continue
            if text[s:e] != r.get("text"):
                c["offset_mismatch"] += 1
            if e - s > MAX_SPAN[kind]:
                c[f"{kind}_sys"] += 1
                self._note(aid, "TOO-LONG", kind, r.get("text"), f"{kind} ({e - s} chars): {str(r.get('text'))[:60]}")
                continue
            spans.append(((s, e), r))
        return spans

    def _mentions(self, aid: str, kind: str, text: str, search: SearchText, items: list[dict[str, Any]],
                  rows: list[Row]) -> None:
        c = self.c
        spans = self._system_spans(aid, kind, text, rows)
        occurrences: list[tuple[Span, dict[str, Any]]] = []
        for item in items:
            found = search.occurrences(item["text"])
            if not found:
                c["gold_not_found"] += 1
                self._note(aid, "GOLD-TEXT-NOT-FOUND", kind, item["text"], f"{kind}: {item['text']}")
            occurrences += [(sp, item) for sp in found]
        required = [(sp, item) for sp, item in occurrences if not item.get("optional")]
        for sp, item in required:
            c[f"{kind}_gold"] += 1
            hits = [r for ssp, r in spans if overlaps(sp, ssp)]
            if not hits:
                self._note(aid, "MISS", kind, item["text"], f"{kind}: {item['text']}")
                continue
            c[f"{kind}_tp_r"] += 1
            self._values(aid, kind, item, hits)
        for ssp, r in spans:
            if any(overlaps(ssp, sp) for sp, _ in required):
                c[f"{kind}_sys"] += 1
                c[f"{kind}_tp_p"] += 1
            elif not any(overlaps(ssp, sp) for sp, _ in occurrences):
                c[f"{kind}_sys"] += 1
                self._note(aid, "FALSE", kind, r.get("text"), f"{kind}: {r.get('text')}")

    def _values(self, aid: str, kind: str, item: dict[str, Any], hits: list[Row]) -> None:
        """Score the value fields of a gold mention rasd found (any overlapping row may carry it)."""
        c, t = self.c, item["text"]
        if kind == "place" and item.get("admin1") and item.get("country") in _admin().countries:
            c["admin_n"] += 1
            if any(admin_key(h.get("admin1")) == admin_key(item["admin1"]) for h in hits):
                c["admin_ok"] += 1
            else:
                got = [h.get("admin1") for h in hits]
                self._note(aid, "ADMIN1", kind, t, f"{t}: gold {item['admin1']} got {got}")
        elif kind == "date" and "value" in item:
            c["dval_n"] += 1
            if any(date_matches(item.get("value"), h.get("value")) for h in hits):
                c["dval_ok"] += 1
            else:
                got = [h.get("value") for h in hits]
                self._note(aid, "DATE-VALUE", kind, t, f"{t}: gold {item.get('value')} got {got}")
        elif kind == "casualty" and item.get("count") is not None and not item.get("repeat"):
            c["cnt_n"] += 1
            if any(h.get("count") == item["count"] and h.get("status") == item.get("status") for h in hits):
                c["cnt_ok"] += 1
            else:
                got = [(h.get("status"), h.get("count")) for h in hits]
                self._note(aid, "CASUALTY-COUNT", kind, t, f"{t}: gold {item.get('status')} {item['count']} got {got}")

    def _totals(self, aid: str, gold: dict[str, Any], events: list[Row]) -> None:
        gold_events = gold.get("events") or []
        for fld, sys_fld, label in (("killed", "fatalities", "KILLED-TOTAL"), ("injured", "injured", "INJURED-TOTAL")):
            got = sum(int(e.get(sys_fld) or 0) for e in events)
            total = int(gold.get(f"{fld}_total") or 0)
            lo = total_bound(gold_events, fld, "low", total)
            hi = total_bound(gold_events, fld, "high", total)
            if lo <= got <= hi:
                self.c[f"{fld}_ok"] += 1
            else:
                self.c[f"{fld}_abs"] += min(abs(got - lo), abs(got - hi))
                self._note(aid, label, None, None, f"gold {total} ({lo}-{hi}) got {got}")

    def _events(self, aid: str, gold_events: list[dict[str, Any]], events: list[Row]) -> None:
        """Match gold events with casualties to rasd's, greedily, on admin1 and counts."""
        gold_ev = [g for g in gold_events if (g.get("killed") or 0) or (g.get("injured") or 0)]
        sys_ev = [e for e in events if (e.get("fatalities") or 0) or (e.get("injured") or 0)]
        self.c["ev_gold"] += len(gold_ev)
        self.c["ev_sys"] += len(sys_ev)
        used: set[int] = set()
        for g in gold_ev:
            for j, e in enumerate(sys_ev):
                if j not in used and admin_key(e.get("admin1")) == admin_key(g.get("admin1")) \
                        and within(e.get("fatalities"), g, "killed") and within(e.get("injured"), g, "injured"):
                    used.add(j)
                    self.c["ev_tp"] += 1
                    self.c["type_ok"] += e.get("event_type") == g.get("event_type")
                    break
            else:
                self._note(aid, "EVENT-MISS", None, None,
                           f"{g.get('admin1')} killed={g.get('killed')} injured={g.get('injured')}")

    def scores(self, failed_inputs: int = 0) -> dict[str, Any]:
        """The reference scorer's fields, in its order and with its rounding."""
        c, n = self.c, self.articles
        out: dict[str, Any] = {"articles": n}
        for kind in KINDS:
            p, r, f = prf(c[f"{kind}_tp_p"], c[f"{kind}_sys"], c[f"{kind}_tp_r"], c[f"{kind}_gold"])
            out[f"{kind}_precision"], out[f"{kind}_recall"], out[f"{kind}_f1"] = round(p, 3), round(r, 3), round(f, 3)
        out["admin1_accuracy"] = _ratio(c["admin_ok"], c["admin_n"])
        out["date_value_accuracy"] = _ratio(c["dval_ok"], c["dval_n"])
        out["casualty_count_accuracy"] = _ratio(c["cnt_ok"], c["cnt_n"])
        out["killed_total_exact"] = round(c["killed_ok"] / n, 3) if n else None
        out["injured_total_exact"] = round(c["injured_ok"] / n, 3) if n else None
        out["killed_mae"] = round(c["killed_abs"] / n, 2) if n else None
        out["injured_mae"] = round(c["injured_abs"] / n, 2) if n else None
        p, r, f = prf(c["ev_tp"], c["ev_sys"], c["ev_tp"], c["ev_gold"])
        out["casualty_event_precision"], out["casualty_event_recall"], out["casualty_event_f1"] = (
            round(p, 3), round(r, 3), round(f, 3))
        out["event_type_accuracy"] = _ratio(c["type_ok"], c["ev_tp"])
        out["offset_mismatches"] = c["offset_mismatch"]
        out["gold_texts_not_found"] = c["gold_not_found"]
        out["failed_inputs"] = failed_inputs
        return out


def _ratio(ok: int, n: int) -> float | None:
    return round(ok / n, 3) if n else None


# -- reading gold and articles -------------------------------------------------------------
@dataclass
class Gold:
    key: str  # NAME of NAME.gold.json: the article's name in every report
    path: Path
    data: dict[str, Any]


def load_gold(path: Path) -> Gold:
    """Read and check one gold file; problems name the file and what is wrong."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise EvalError(path, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise EvalError(path, "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise EvalError(path, f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise EvalError(path, "expected a JSON object (see GOLD.md)")
    for key in (*GOLD_KEY.values(), "events"):
        items = data.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise EvalError(path, f"'{key}' must be a list")
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise EvalError(path, f"{key}[{i}]: expected an object")
            if key != "events" and not (isinstance(item.get("text"), str) and item["text"]):
                raise EvalError(path, f"{key}[{i}]: no 'text'")
            if key == "events":
                for fld in (f"{f}{side}" for f in ("killed", "injured") for side in ("", "_low", "_high")):
                    _check_count(path, f"events[{i}].{fld}", item.get(fld))
    for key in ("killed_total", "injured_total"):
        _check_count(path, key, data.get(key))
    return Gold(path.name[: -len(GOLD_SUFFIX)], path, data)


def _check_count(path: Path, where: str, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise EvalError(path, f"{where}: {value!r} is not a count (a whole number, 0 or more)")


def gold_files(folder: Path) -> list[Gold]:
    """Every NAME.gold.json directly in `folder`, sorted; all broken ones are reported together."""
    if not folder.is_dir():
        raise EvalError(folder, "not a folder" if folder.exists() else "no such folder")
    golds: list[Gold] = []
    problems: list[str] = []
    for p in sorted(folder.glob(f"*{GOLD_SUFFIX}")):
        try:
            golds.append(load_gold(p))
        except EvalError as exc:
            problems += exc.messages
    if problems:
        raise EvalError(folder, "broken gold files", more=problems)
    if not golds:
        raise EvalError(folder, f"no gold files (*{GOLD_SUFFIX}) to score against")
    return golds


class ArticleFinder:
    """Finds each gold file's article: NAME.txt/.md/.json/.jsonl next to it, else by id."""

    def __init__(self, folder: Path, published: dt.date | None) -> None:
        self.folder = folder
        self.published = published
        self._by_id: dict[str, readers.Article] | None = None

    def _read(self, path: Path) -> list[readers.Article | readers.ReadFailure]:
        src = readers.Source(display=str(path), path=path, rel=path.relative_to(self.folder).as_posix())
        return list(readers.read_source(src, self.published))

    def _index(self) -> dict[str, readers.Article]:
        """Every article in the folder by id, built once, for golds whose article has another name."""
        if self._by_id is None:
            self._by_id = {}
            for src in readers.list_sources([str(self.folder)]):
                if isinstance(src, readers.Source) and src.path is not None:
                    for art in self._read(src.path):
                        if isinstance(art, readers.Article):
                            self._by_id.setdefault(art.meta.id, art)
        return self._by_id

    def find(self, gold: Gold) -> readers.Article:
        ids = {gold.key, str(gold.data.get("id") or gold.key)}
        art = None
        for suffix in ARTICLE_SUFFIXES:
            path = self.folder / f"{gold.key}{suffix}"
            if not path.is_file():
                continue
            items = self._read(path)
            arts = [a for a in items if isinstance(a, readers.Article)]
            if len(items) == 1 and isinstance(items[0], readers.ReadFailure):
                raise EvalError(items[0].display, items[0].reason)
            art = next((a for a in arts if a.meta.id in ids), arts[0] if len(arts) == 1 else None)
            if art is not None:
                break
        if art is None:
            art = next((self._index()[i] for i in sorted(ids) if i in self._index()), None)
        if art is None:
            names = ", ".join(f"{gold.key}{s}" for s in ARTICLE_SUFFIXES)
            raise EvalError(self.folder, f"no article for {gold.path.name} (looked for {names}, "
                                         f"and for an article with id {' or '.join(sorted(ids))})")
        if art.meta.published is None:  # the annotator resolved dates against this date
            try:
                art.meta.published = readers.parse_date(gold.data.get("published"), "published")
            except readers.ReadError as exc:
                raise EvalError(gold.path, str(exc)) from None
        return art


# -- output --------------------------------------------------------------------------------
def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def render_table(scores: dict[str, Any], c: Counter[str], folder: Path, seconds: float) -> None:
    """The scores as two rich tables on stdout (plain when stdout is not a terminal)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=sys.stdout, highlight=False)
    n = scores["articles"]
    mentions = Table(title=f"rasd eval: {n} articles in {folder} ({seconds:.1f} s)", title_justify="left")
    for col in ("mentions", "precision", "recall", "F1", "gold", "found", "rasd", "right"):
        mentions.add_column(col, justify="left" if col == "mentions" else "right")
    for kind in KINDS:
        mentions.add_row(kind, *(_fmt(scores[f"{kind}_{m}"]) for m in ("precision", "recall", "f1")),
                         *(str(c[f"{kind}_{k}"]) for k in ("gold", "tp_r", "sys", "tp_p")))
    console.print(mentions)

    values = Table()
    values.add_column("values and events")
    values.add_column("score", justify="right")
    values.add_column("of", justify="right")
    rows = [
        ("admin1 accuracy", scores["admin1_accuracy"], f"{c['admin_ok']}/{c['admin_n']} places"),
        ("date value accuracy", scores["date_value_accuracy"], f"{c['dval_ok']}/{c['dval_n']} dates"),
        ("casualty count accuracy", scores["casualty_count_accuracy"], f"{c['cnt_ok']}/{c['cnt_n']} casualties"),
        ("killed total exact", scores["killed_total_exact"], f"{c['killed_ok']}/{n} articles"),
        ("injured total exact", scores["injured_total_exact"], f"{c['injured_ok']}/{n} articles"),
        ("killed MAE", _mae(scores["killed_mae"]), "per article"),
        ("injured MAE", _mae(scores["injured_mae"]), "per article"),
        ("casualty event precision", scores["casualty_event_precision"], f"{c['ev_tp']}/{c['ev_sys']} rasd events"),
        ("casualty event recall", scores["casualty_event_recall"], f"{c['ev_tp']}/{c['ev_gold']} gold events"),
        ("casualty event F1", scores["casualty_event_f1"], ""),
        ("event type accuracy", scores["event_type_accuracy"], f"{c['type_ok']}/{c['ev_tp']} matched events"),
        ("offset mismatches", scores["offset_mismatches"], "mentions"),
        ("gold texts not found", scores["gold_texts_not_found"], "gold items"),
        ("failed inputs", scores["failed_inputs"], "articles"),
    ]
    for label, value, of in rows:
        values.add_row(label, value if isinstance(value, str) else _fmt(value), of)
    console.print(values)


def _mae(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _utf8_stdout() -> None:
    """Arabic must reach a file even where the locale's encoding cannot hold it (cp1252 redirects)."""
    enc = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if enc != "utf8" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")


def _err(msg: str) -> None:
    sys.stderr.write("rasd: " + msg.replace("\n", "\\n") + "\n")
    sys.stderr.flush()


# -- entry point ---------------------------------------------------------------------------
def evaluate(gold_dir: Path, *, lexicon_dirs: tuple[str, ...] = (),
             published: dt.date | None = None) -> tuple[Scorer, int]:
    """Parse every gold-annotated article and score it; returns the scorer and failed inputs."""
    golds = gold_files(gold_dir)
    finder = ArticleFinder(gold_dir, published)
    problems: list[str] = []
    articles: list[tuple[Gold, readers.Article]] = []
    for gold in golds:
        try:
            articles.append((gold, finder.find(gold)))
        except EvalError as exc:
            problems += exc.messages
    if problems:
        raise EvalError(gold_dir, "gold files cannot be scored", more=problems)
    pipeline = Pipeline(lexicon_dirs=lexicon_dirs)
    scorer = Scorer()
    failed = 0
    for gold, art in articles:
        mentions: list[Row] = []
        events: list[Row] = []
        try:
            res = pipeline.parse_document(Document(art.text, art.meta))
            mentions, events = res.mentions, res.events
        except StageError as exc:  # scored as finding nothing, like a failed `rasd parse`
            failed += 1
            _err(f"{art.display}: {exc}")
        scorer.add(gold.key, art.text, gold.data, mentions, events)
    return scorer, failed


def run_eval(gold_dir: Path, *, errors: bool, as_json: bool, lexicon_dirs: tuple[str, ...] = (),
             published: dt.date | None = None) -> int:
    """`rasd eval`: print the scores (a table, or JSON) and return the exit code.

    0 when every article was scored; 1 when the folder has no gold, a gold file is broken, an
    article is missing or unreadable (nothing is scored then: partial scores mislead), a
    lexicon is broken, or the pipeline failed on an article (scored as finding nothing).
    """
    gold_dir = Path(gold_dir)
    t0 = time.perf_counter()
    try:
        scorer, failed = evaluate(gold_dir, lexicon_dirs=lexicon_dirs, published=published)
    except EvalError as exc:
        for line in exc.messages:
            _err(line)
        return 1
    except LexiconError as exc:
        _err(str(exc))
        return 1
    scores = scorer.scores(failed)
    _utf8_stdout()
    if as_json:
        if errors:
            scores = {**scores, "errors": [f.as_dict() for f in scorer.findings]}
        sys.stdout.write(json.dumps(scores, ensure_ascii=False, indent=1) + "\n")
    else:
        if errors:
            sys.stdout.write("".join(f.line + "\n" for f in scorer.findings) + "\n")
        render_table(scores, scorer.c, gold_dir, time.perf_counter() - t0)
    sys.stdout.flush()
    return 1 if failed else 0
