"""Typed mentions and event rows: the values stages produce and writers serialise.

Plain dataclasses so they pickle (for `--jobs`) and turn into the SPEC §5 rows with one
call.  Field order here is the output column order.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


@dataclass
class Mention:
    text: str
    start: int
    end: int
    sentence: int
    kind: ClassVar[str] = ""

    def row(self, article: str) -> dict[str, Any]:
        out: dict[str, Any] = {"article": article, "kind": self.kind}
        names = _FIELD_NAMES.get(type(self))
        if names is None:  # dataclasses.fields() is slow; mentions are many
            names = _FIELD_NAMES[type(self)] = tuple(f.name for f in fields(self) if not f.name.startswith("_"))
        for name in names:
            out[name] = getattr(self, name)
        return out


@dataclass
class PlaceMention(Mention):
    place_id: str | None = None
    name: str | None = None
    name_ar: str | None = None
    feature: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    modifier: str | None = None
    confidence: float | None = None
    kind: ClassVar[str] = "place"


@dataclass
class ActorMention(Mention):
    actor_id: str | None = None
    name: str | None = None
    name_ar: str | None = None
    inter: int | None = None
    parent: str | None = None
    kind: ClassVar[str] = "actor"


@dataclass
class DateMention(Mention):
    value: str | None = None
    precision: str | None = None
    value_end: str | None = None
    duration: bool = False
    kind: ClassVar[str] = "date"


@dataclass
class CasualtyMention(Mention):
    status: str = "killed"
    count: int | None = None
    low: int | None = None
    high: int | None = None
    victim: str | None = None
    victim_type: str = "unknown"
    repeat: bool = False
    update: bool = False
    aggregate: bool = False
    non_conflict: bool = False
    kind: ClassVar[str] = "casualty"


@dataclass
class EventRow:
    """One SPEC §5 event row (article metadata is filled in by `Result`)."""

    event: int
    event_date: str | None = None
    date_precision: str | None = None
    time_precision: int | None = None
    date_text: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    assoc_actor_1: list[str] = field(default_factory=list)
    assoc_actor_2: list[str] = field(default_factory=list)
    inter1: int | None = None
    inter2: int | None = None
    interaction: int | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None = None
    location_ar: str | None = None
    place_id: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    injured: int | None = None
    captured: int | None = None
    casualties: list[dict[str, Any]] = field(default_factory=list)
    evidence: str = ""
    evidence_start: int = 0
    evidence_end: int = 0
    confidence: float = 0.0
    # which words each field came from (field -> list of (text, start, end)); for
    # `rasd explain`, not an output column
    why: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict, repr=False, compare=False)
