"""`rasd explain FILE`: show an article with every mention highlighted and, per event row,
the words each field came from — so an analyst can check a value before trusting it.

Two renderings: on a terminal, a rich view (colours, legend, one panel per event) with
Arabic reordered right-to-left (see bidi.py); elsewhere (a pipe, a file, `--no-color`), plain
text in logical order that greps and diffs well.
"""
from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from typing import IO, Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rasd.extractors import Document, Pipeline, StageError

from .bidi import display
from .readers import Article, ReadFailure, Source, list_sources, read_source

STYLES = {"casualty": "bold yellow", "date": "bold cyan", "actor": "bold magenta", "place": "bold green"}
LABELS = {"place": "place", "actor": "actor", "date": "date", "casualty": "casualty"}
EVENT_FIELDS = (
    ("event_date", "date"), ("event_type", "type"), ("location", "place"), ("actor1", "actor 1"),
    ("actor2", "actor 2"), ("fatalities", "killed"), ("injured", "injured"), ("captured", "captured"),
)
WIDTH = 100


def _mentions(doc: Document) -> list[Any]:
    return doc.mentions


def char_styles(doc: Document) -> list[str | None]:
    """The style of each character of the article: casualty spans first, names on top."""
    styles: list[str | None] = [None] * len(doc.text)
    for kind in ("casualty", "date", "actor", "place"):
        for m in _mentions(doc):
            if m.kind == kind:
                for i in range(m.start, m.end):
                    styles[i] = STYLES[kind]
    return styles


def wrap(text: str, start: int, end: int, width: int) -> Iterable[tuple[int, int]]:
    """Greedy word wrap of text[start:end] into (start, end) spans of at most `width` chars."""
    i = start
    while i < end:
        if end - i <= width:
            yield i, end
            return
        cut = text.rfind(" ", i, i + width + 1)
        if cut <= i:
            cut = i + width
        yield i, cut
        i = cut + 1 if cut < end and text[cut] == " " else cut


def rtl(s: str) -> str:
    return "".join(ch for _, ch in display(s))


def _field_value(ev, name: str) -> str:
    v = getattr(ev, name)
    if name == "event_date":
        return f"{v} ({ev.date_precision})" if v else "—"
    if name == "event_type":
        return f"{ev.event_type} / {ev.sub_event_type}" if v else "—"
    if name == "location":
        parts = [ev.location, ev.admin2, ev.admin1, ev.country]
        seen: list[str] = []
        for p in parts:
            if p and p not in seen:
                seen.append(p)
        where = ", ".join(seen) or "—"
        return f"{where} [{ev.place_id}, precision {ev.geo_precision}]" if ev.place_id else where
    if name == "fatalities" and ev.fatalities_low is not None:
        return f"{v} (range {ev.fatalities_low}–{ev.fatalities_high})"
    return "—" if v is None else str(v)


def _why(ev, name: str) -> list[str]:
    return [t for t, _, _ in ev.why.get(name, [])]


def render_rich(doc: Document, console: Console, visual: bool) -> None:
    m = doc.meta
    head = " · ".join(x for x in (m.id, f"published {m.published}" if m.published else "no publication date",
                                  m.source) if x)
    console.print(Text(f"rasd explain · {head}", style="bold"))
    legend = Text("legend: ")
    for kind in ("place", "actor", "date", "casualty"):
        legend.append(f" {LABELS[kind]} ", style=STYLES[kind] + " reverse")
        legend.append(" ")
    console.print(legend)
    console.print()
    styles = char_styles(doc)
    width = min(console.width, WIDTH) - 2
    text = doc.text
    pos = 0
    for para in text.split("\n"):
        pstart, pend = pos, pos + len(para)
        pos = pend + 1
        if not para.strip():
            continue
        for s, e in wrap(text, pstart, pend, width):
            line = Text()
            seq = [(s + i, ch) for i, ch in display(text[s:e])] if visual else [(i, text[i]) for i in range(s, e)]
            if visual:  # right-align the line, as an RTL paragraph is
                line.append(" " * (width - (e - s)))
            for i, ch in seq:
                line.append(ch, style=styles[i] or "")
            console.print(line, no_wrap=True, overflow="crop")
    console.print()
    if not doc.events:
        console.print(Text("no event rows: no incident with a count, or only aggregates/analysis", style="dim"))
    for ev in doc.events:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=False)
        table.add_column("field", no_wrap=True)
        table.add_column("value", max_width=44)
        table.add_column("from the words", max_width=38)
        for name, label in EVENT_FIELDS:
            words = _why(ev, name)
            shown = [rtl(w) if visual else w for w in words]
            table.add_row(label, _field_value(ev, name), " · ".join(f"«{w}»" for w in shown))
        evidence = ev.evidence if len(ev.evidence) < 400 else ev.evidence[:400] + "…"
        ev_text = Text("evidence: ", style="dim")
        ev_text.append(rtl(evidence) if visual else evidence)
        title = f"event {ev.event} · confidence {ev.confidence:.2f}"
        console.print(Panel(Group(table, ev_text) if not visual else table, title=title, title_align="left",
                            width=min(console.width, WIDTH)))
        if visual:  # long evidence wraps badly once reordered; print it line by line instead
            for s, e in wrap(ev.evidence, 0, len(ev.evidence), width - 10):
                console.print(Text(" " * (width - (e - s)) + rtl(ev.evidence[s:e]), style="dim"), no_wrap=True,
                              overflow="crop")


def render_plain(doc: Document, out: IO[str]) -> None:
    m = doc.meta
    w = out.write
    w(f"article: {m.id}\npublished: {m.published or 'unknown'}\n")
    if m.source:
        w(f"source: {m.source}\n")
    w("\n" + doc.text.rstrip("\n") + "\n\nmentions:\n")
    for mm in _mentions(doc):
        extra = _plain_detail(mm)
        w(f"  {mm.kind:<9} {mm.start:>5}-{mm.end:<5} {mm.text}{'  → ' + extra if extra else ''}\n")
    if not doc.events:
        w("\nevents: none\n")
    for ev in doc.events:
        w(f"\nevent {ev.event} (confidence {ev.confidence:.2f}):\n")
        for name, label in EVENT_FIELDS:
            words = _why(ev, name)
            src = "  ← " + " · ".join(f"«{x}»" for x in words) if words else ""
            w(f"  {label:<9} {_field_value(ev, name)}{src}\n")
        w(f"  evidence  {ev.evidence_start}-{ev.evidence_end}: {ev.evidence}\n")


def _plain_detail(m) -> str:
    if m.kind == "place":
        bits = [m.name, m.admin1, m.country]
        return ", ".join(dict.fromkeys(b for b in bits if b)) + (f" [{m.place_id}]" if m.place_id else "")
    if m.kind == "actor":
        return f"{m.name} (inter {m.inter})" if m.name else ""
    if m.kind == "date":
        return f"{m.value or 'unresolved'} ({m.precision})" + (" duration" if m.duration else "")
    if m.kind == "casualty":
        flags = [f for f in ("repeat", "update", "aggregate", "non_conflict") if getattr(m, f)]
        return f"{m.status} {m.count if m.count is not None else '?'} {m.victim_type}" + (
            f" [{', '.join(flags)}]" if flags else "")
    return ""


def run_explain(path: str, *, published: dt.date | None, color: bool | None, logical: bool,
                lexicon_dirs: tuple[str, ...] = (), out: IO[str] | None = None) -> int:
    """Explain every article in `path`; returns the exit code."""
    out = out or sys.stdout
    rich_mode = color if color is not None else out.isatty()
    console = Console(file=out, force_terminal=rich_mode, width=WIDTH if not out.isatty() else None,
                      highlight=False, no_color=not rich_mode)
    try:
        pipeline = Pipeline(lexicon_dirs=lexicon_dirs)
    except Exception as exc:  # a broken lexicon: one clear line, no traceback
        sys.stderr.write(f"rasd: cannot load the pipeline: {exc}\n")
        return 2
    failed = 0
    first = True
    for src in list_sources([path], sys.stdin.buffer.read() if path == "-" else None):
        if isinstance(src, ReadFailure):
            sys.stderr.write(f"rasd: {src.display}: {src.reason}\n")
            failed += 1
            continue
        assert isinstance(src, Source)
        for item in read_source(src, published):
            if isinstance(item, ReadFailure):
                sys.stderr.write(f"rasd: {item.display}: {item.reason}\n")
                failed += 1
                continue
            assert isinstance(item, Article)
            doc = Document(item.text, item.meta)
            try:
                pipeline.run(doc)
            except StageError as exc:
                sys.stderr.write(f"rasd: {item.display}: {exc}\n")
                failed += 1
                continue
            if not first:
                out.write("\n" + "─" * 40 + "\n\n")
            first = False
            if rich_mode:
                render_rich(doc, console, visual=not logical)
            else:
                render_plain(doc, out)
    out.flush()
    return 1 if failed else 0
