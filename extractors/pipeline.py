"""Stages, their registry, and the `Pipeline` that runs them in order.

Modelled on spaCy's components: each stage is a small class registered under a name,
declaring what it needs (`requires`) and what it fills (`assigns`), so a pipeline can check
its order once at construction and a stage can be tested alone.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

from .document import Document, Meta, as_date
from .mentions import EventRow

DEFAULT_STAGES: tuple[str, ...] = (
    "normalise", "segment", "dates", "places", "actors", "casualties", "events",
)


class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, doc: Document) -> None: ...


REGISTRY: dict[str, type] = {}


def stage(name: str, *, requires: tuple[str, ...], assigns: tuple[str, ...]) -> Callable[[type], type]:
    """Register a stage class under `name` with its declared inputs and outputs."""

    def deco(cls: type) -> type:
        cls.name = name  # type: ignore[attr-defined]
        cls.requires = requires  # type: ignore[attr-defined]
        cls.assigns = assigns  # type: ignore[attr-defined]
        REGISTRY[name] = cls
        return cls

    return deco


class StageError(RuntimeError):
    """A stage raised on one article; the CLI reports the article as failed and goes on."""

    def __init__(self, stage_name: str, exc: BaseException) -> None:
        super().__init__(f"internal error in stage '{stage_name}': {type(exc).__name__}: {exc}")
        self.stage_name = stage_name


@dataclass
class Result:
    """What `Pipeline.parse` returns: the same rows (dicts) the CLI writes."""

    article: str
    events: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)


def _load_builtin_stages() -> None:
    # importing the modules registers their stages
    from . import normalise, segment  # noqa: F401

    for mod in ("dates", "places", "actors", "casualties", "events"):
        try:
            __import__(f"rasd.extractors.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"rasd.extractors.{mod}":
                raise


class Pipeline:
    """An ordered list of stages; `parse` turns one article into a `Result`.

    >>> from rasd.extractors import Pipeline
    >>> r = Pipeline().parse("قتل ثلاثة مدنيين في حلب أمس", published="2024-05-27")
    """

    def __init__(self, stages: Iterable[str | Stage] | None = None, lexicon_dirs: Iterable[str] = ()) -> None:
        _load_builtin_stages()
        self.lexicon_dirs = tuple(str(d) for d in lexicon_dirs)
        names = DEFAULT_STAGES if stages is None else stages
        self.stages: list[Stage] = []
        for s in names:
            if isinstance(s, str):
                if s not in REGISTRY:
                    if stages is None:
                        continue  # a default stage not built yet
                    raise ValueError(f"unknown stage {s!r}; known: {', '.join(sorted(REGISTRY))}")
                self.stages.append(REGISTRY[s](self.lexicon_dirs))
            else:
                self.stages.append(s)
        self._check_order()
        # stages that match phrases on doc.norm scan it once between them
        from .matcher import share_scan  # here: matcher imports normalise, which imports us

        share_scan(m for s in self.stages for m in getattr(s, "phrase_matchers", ()))
        self.timings: dict[str, float] = {s.name: 0.0 for s in self.stages}

    def _check_order(self) -> None:
        seen: set[str] = set()
        for s in self.stages:
            missing = [r for r in s.requires if r not in seen]
            if missing:
                raise ValueError(f"stage {s.name!r} needs {missing} from an earlier stage")
            seen.add(s.name)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def run(self, doc: Document) -> Document:
        """Run every stage on `doc`; a stage's exception becomes a `StageError`."""
        for s in self.stages:
            t0 = time.perf_counter()
            try:
                s(doc)
            except Exception as exc:  # one bad article must not end a batch
                raise StageError(s.name, exc) from exc
            self.timings[s.name] += time.perf_counter() - t0
            doc.done.add(s.name)
        return doc

    def parse_document(self, doc: Document) -> Result:
        self.run(doc)
        return to_result(doc)

    def parse(self, text: str, published: Any = None, **meta: Any) -> Result:
        """Parse one article given as a string (`published`: date, datetime or ISO string)."""
        m = Meta(
            id=str(meta.pop("id", "-")),
            published=as_date(published),
            **{k: meta.get(k) for k in ("title", "source", "url", "country")},
        )
        return self.parse_document(Document(text, m))


def to_result(doc: Document, level: str | None = None) -> Result:
    """Turn an enriched document into output rows (only one level's rows when `level` says
    which: building mention dicts nobody writes costs as much as a small stage)."""
    aid = doc.meta.id
    meta = {
        "source": doc.meta.source,
        "url": doc.meta.url,
        "published": doc.meta.published.isoformat() if doc.meta.published else None,
        "title": doc.meta.title,
    }
    events = []
    names = [f.name for f in fields(EventRow) if f.name != "why"] if doc.events else []
    for ev in doc.events:
        row: dict[str, Any] = {"article": aid}
        row.update((n, getattr(ev, n)) for n in names)
        row.update(meta)
        events.append(row)
    mentions = [m.row(aid) for m in doc.mentions] if level in (None, "mentions") else []
    return Result(article=aid, events=events, mentions=mentions)
