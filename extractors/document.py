"""The `Document` every stage reads from and adds to.

A document is created from an article's original text and metadata; the `normalise` and
`segment` stages fill the matching form, sentences and tokens, and the extractor stages
append typed mentions.  Offsets in mentions always point into `text`, the original.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .mentions import ActorMention, CasualtyMention, DateMention, EventRow, PlaceMention


def as_date(value: object) -> dt.date | None:
    """A date from a date, datetime or ISO string ("2024-05-27", "2024-05-27T10:00");
    None for empty values; ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip()[:10])
    raise ValueError(f"{value!r} is not a date")


@dataclass
class Meta:
    """What the reader knows about the article besides its text."""

    id: str = "-"
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    country: str | None = None


@dataclass
class Sentence:
    """A sentence, as spans in the normalised text (`nstart`/`nend`) and in the original."""

    index: int
    nstart: int
    nend: int
    start: int
    end: int
    clauses: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Token:
    text: str  # normalised form
    nstart: int
    nend: int
    start: int
    end: int


_TOKEN_RE = re.compile(r"[^\W_]+|[^\w\s]|_")


class Document:
    """One article on its way through the pipeline."""

    def __init__(self, text: str, meta: Meta | None = None) -> None:
        self.text = text
        self.meta = meta or Meta()
        self.norm: str = ""
        self.offmap: list[int] | None = None  # see normalise.normalise
        self._del_orig: list[int] | None = None
        self.sentences: list[Sentence] = []
        self._sentence_starts: list[int] = []
        self._tokens: list[Token] | None = None
        self.places: list[PlaceMention] = []
        self.actors: list[ActorMention] = []
        self.dates: list[DateMention] = []
        self.casualties: list[CasualtyMention] = []
        self.events: list[EventRow] = []
        self.done: set[str] = set()

    # -- offsets -------------------------------------------------------------------------
    def orig(self, nstart: int, nend: int) -> tuple[int, int]:
        """Map a span of the normalised text to the original text.

        The end extends over deleted marks (diacritics, tatweel) written after the last
        letter, so they stay inside the span as gold texts copy them.
        """
        dels = self.offmap
        if dels is None:
            return nstart, nend
        start = nstart + bisect_right(dels, nstart)
        if nend <= nstart:
            return start, start
        end = nend - 1 + bisect_right(dels, nend - 1) + 1
        stop = nend + bisect_right(dels, nend)
        text = self.text
        while end < stop and not text[end].isspace():
            end += 1
        return start, end

    def norm_pos(self, orig: int) -> int:
        """Normalised position of original offset `orig` (a deleted mark maps to the next
        kept character): the inverse of `orig`, for stages that hold original offsets."""
        dels = self.offmap
        if dels is None:
            return orig
        if self._del_orig is None:
            self._del_orig = [d + r for r, d in enumerate(dels)]
        return orig - bisect_left(self._del_orig, orig)

    def span_text(self, nstart: int, nend: int) -> tuple[int, int, str]:
        s, e = self.orig(nstart, nend)
        return s, e, self.text[s:e]

    # -- structure -----------------------------------------------------------------------
    def set_sentences(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        self._sentence_starts = [s.nstart for s in sentences]

    def sentence_index(self, npos: int) -> int:
        """Index of the sentence holding normalised position `npos` (0 if none)."""
        i = bisect_right(self._sentence_starts, npos) - 1
        return max(i, 0)

    @property
    def tokens(self) -> list[Token]:
        """Word and punctuation tokens of the normalised text, computed on first use."""
        if self._tokens is None:
            toks = []
            for m in _TOKEN_RE.finditer(self.norm):
                s, e = self.orig(m.start(), m.end())
                toks.append(Token(m.group(), m.start(), m.end(), s, e))
            self._tokens = toks
        return self._tokens

    @property
    def mentions(self) -> list:
        """All mentions, in text order (kind order breaks ties, as in the output)."""
        order = {"place": 0, "actor": 1, "date": 2, "casualty": 3}
        allm = [*self.places, *self.actors, *self.dates, *self.casualties]
        return sorted(allm, key=lambda m: (m.start, order[m.kind], m.end))
