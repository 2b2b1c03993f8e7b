"""Run the pipeline over inputs, in one process or N, keeping input order.

Workers receive one input file at a time and send back finished rows, so each worker holds
one article in memory and output order equals input order whatever `--jobs` is.
"""
from __future__ import annotations

import datetime as dt
import gc
import multiprocessing as mp
import os
import signal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rasd.extractors import Document, Pipeline, StageError
from rasd.extractors.pipeline import to_result

from .readers import Article, ReadFailure, Source, read_source
from .writers import encoder


@dataclass
class Outcome:
    """The result of one article (rows) or one failure, as sent back by a worker."""

    display: str
    rows: list[str] = field(default_factory=list)  # encoded in the output format
    kinds: dict[str, int] = field(default_factory=dict)
    events: int = 0
    error: str | None = None


_PIPELINE: Pipeline | None = None
_ENCODE = encoder("jsonl", "events")
_CONFIG: dict[str, Any] = {}


def _init(level: str, published: dt.date | None, lexicon_dirs: tuple[str, ...], worker: bool,
          fmt: str = "jsonl", excel: bool = False) -> None:
    global _PIPELINE, _ENCODE
    if worker:  # the parent handles Ctrl-C / SIGTERM and stops the workers
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    config = dict(level=level, published=published, lexicon_dirs=lexicon_dirs)
    if _PIPELINE is None or config != _CONFIG:  # forked workers inherit the parent's pipeline
        _PIPELINE = Pipeline(lexicon_dirs=lexicon_dirs)
    _CONFIG.clear()
    _CONFIG.update(config)
    _ENCODE = encoder(fmt, level, excel)


def prepare(level: str, published: dt.date | None, lexicon_dirs: tuple[str, ...],
            fmt: str = "jsonl", excel: bool = False) -> None:
    """Build the pipeline in this process (so lexicon errors surface once, before any worker).

    The lexicons are hundreds of thousands of long-lived objects: freezing them out of the
    garbage collector's view, and collecting less often, speeds every stage by ~20%
    (measured with scripts/benchmark.py); memory stays flat because each article's objects
    are still freed by reference counting."""
    _init(level, published, lexicon_dirs, False, fmt, excel)
    tune_gc()


def tune_gc() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def process(src: Source) -> list[Outcome]:
    """Read one input and parse each of its articles."""
    assert _PIPELINE is not None
    out: list[Outcome] = []
    for item in read_source(src, _CONFIG["published"]):
        if isinstance(item, ReadFailure):
            out.append(Outcome(item.display, error=item.reason))
            continue
        out.append(parse_article(_PIPELINE, item, _CONFIG["level"]))
    return out


def parse_article(pipeline: Pipeline, art: Article, level: str) -> Outcome:
    doc = Document(art.text, art.meta)
    try:
        pipeline.run(doc)
    except StageError as exc:
        return Outcome(art.display, error=str(exc))
    res = to_result(doc, level)
    kinds = {"place": len(doc.places), "actor": len(doc.actors), "date": len(doc.dates),
             "casualty": len(doc.casualties)}
    rows = res.events if level == "events" else res.mentions
    return Outcome(art.display, rows=[_ENCODE(r) for r in rows], kinds=kinds, events=len(res.events))


def run(sources: Iterable[Source], *, jobs: int, level: str, published: dt.date | None,
        lexicon_dirs: tuple[str, ...] = (), fmt: str = "jsonl", excel: bool = False) -> Iterator[list[Outcome]]:
    """Yield each input's outcomes (rows encoded in `fmt`) in input order."""
    prepare(level, published, lexicon_dirs, fmt, excel)
    if jobs <= 1:
        for src in sources:
            yield process(src)
        return
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    pool = ctx.Pool(jobs, initializer=_init, initargs=(level, published, lexicon_dirs, True, fmt, excel))
    try:
        yield from pool.imap(process, sources, chunksize=16)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
