"""Stage `segment`: sentences and clauses of the normalised text.

Arabic news prose runs long sentences joined by "و" and commas, puts the headline on its
own line, and quotes officials with «…» or "…".  So: a line break always ends a sentence;
. ! ? … end one when followed by space (not inside a number like 20.5.2024, and not inside
quoted speech on the same line); commas, semicolons and colons split clauses.
"""
from __future__ import annotations

import re

from .document import Document, Sentence
from .pipeline import stage

_QUOTE = '"'
_MAX_QUOTE = 400  # an unclosed quote stops protecting terminators after this many characters


# the only places where a sentence can end or quoting can change: line breaks, quotes, and
# runs of terminators (with quotes inside the run) -- scanning these is ~10x faster than
# walking every character in Python.  One character class, not an alternation of the three:
# the regex engine then skips other characters in a tight loop (3x faster); the run after a
# terminator is read in Python.
_MARKS = re.compile(r'[\n\r.!?\u2026"]')
_RUN = '.!?\u2026"'  # what a run of terminators may hold after its first character


def split_sentences(norm: str) -> list[tuple[int, int]]:
    """Spans (start, end) of sentences in `norm`, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    n = len(norm)
    start = 0
    quote_open = -1
    resume = 0  # marks before this belong to the last terminator run
    for m in _MARKS.finditer(norm):
        i = m.start()
        if i < resume:
            continue
        ch = norm[i]
        if ch == "\n" or ch == "\r":
            spans.append((start, i))
            start = i + 1
            quote_open = -1
            continue
        if ch == _QUOTE:
            quote_open = -1 if quote_open >= 0 else i
            continue
        j = i + 1
        while j < n and norm[j] in _RUN:
            if norm[j] == _QUOTE:
                quote_open = -1 if quote_open >= 0 else j
            j += 1
        resume = j
        in_quote = quote_open >= 0 and i - quote_open < _MAX_QUOTE
        if (j >= n or norm[j].isspace()) and not in_quote:
            spans.append((start, j))
            start = j
    spans.append((start, n))
    out = []
    for s, e in spans:
        while s < e and norm[s].isspace():
            s += 1
        while e > s and norm[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_CLAUSE_MARKS = ";:,"


def _clause_cuts(norm: str, s: int = 0, e: int | None = None) -> list[int]:
    """Positions of , ; : that end a clause (a comma between digits groups a number).

    Found with `str.find` per mark (a C scan) rather than a regex: ~3x faster."""
    n = len(norm)
    stop = n if e is None else e
    found = []
    for mark in _CLAUSE_MARKS:
        i = norm.find(mark, s, stop)
        while i != -1:
            found.append(i)
            i = norm.find(mark, i + 1, stop)
    found.sort()
    out = []
    for i in found:
        if norm[i] == "," and 0 < i < n - 1 and norm[i - 1].isdigit() and norm[i + 1].isdigit():
            continue
        out.append(i)
    return out


@stage("segment", requires=("normalise",), assigns=("sentences",))
class Segmenter:
    """Fill `doc.sentences` (with clauses); tokens are computed lazily on the document."""

    def __init__(self, lexicon_dirs: tuple[str, ...] = ()) -> None:
        pass

    def __call__(self, doc: Document) -> None:
        norm = doc.norm
        cuts = _clause_cuts(norm)  # one pass for all sentences
        sents = []
        k_cut = 0
        for k, (s, e) in enumerate(split_sentences(norm)):
            while k_cut < len(cuts) and cuts[k_cut] < s:
                k_cut += 1
            clauses = []
            cs = s
            while k_cut < len(cuts) and cuts[k_cut] < e:
                if cuts[k_cut] > cs:
                    clauses.append((cs, cuts[k_cut]))
                cs = cuts[k_cut] + 1
                k_cut += 1
            if e > cs:
                clauses.append((cs, e))
            os_, oe = doc.orig(s, e)
            sents.append(Sentence(k, s, e, os_, oe, clauses))
        doc.set_sentences(sents)
