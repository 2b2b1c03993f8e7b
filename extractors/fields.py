"""Output column orders (SPEC §5), shared by the writers and `Result`."""
from __future__ import annotations

from dataclasses import fields

from .mentions import ActorMention, CasualtyMention, DateMention, EventRow, PlaceMention

META_FIELDS = ("source", "url", "published", "title")

EVENT_FIELDS: tuple[str, ...] = (
    "article",
    *(f.name for f in fields(EventRow) if f.name != "why"),
    *META_FIELDS,
)

_COMMON = ("article", "kind", "text", "start", "end", "sentence")


def _extra(cls) -> list[str]:
    return [f.name for f in fields(cls) if f.name not in _COMMON]


def _mention_fields() -> tuple[str, ...]:
    out: list[str] = list(_COMMON)
    for cls in (PlaceMention, ActorMention, DateMention, CasualtyMention):
        for name in _extra(cls):
            if name not in out:
                out.append(name)
    return tuple(out)


MENTION_FIELDS: tuple[str, ...] = _mention_fields()
