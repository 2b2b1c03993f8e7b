"""Right-to-left display order for terminals that do not reorder Arabic themselves.

rich writes characters in logical order, and most terminals (xterm, VS Code, tmux, Windows
Terminal) show them left-to-right, so an Arabic sentence reads backwards.  `visual_order`
computes, for one line of an RTL paragraph, the order in which its characters should be
written; callers keep each character's style, which a plain reordered string (python-bidi)
would lose.  It implements the part of the Unicode bidi algorithm news text needs: runs of
Arabic, runs of Latin letters and digits kept left-to-right, neutrals taking the direction
of their neighbours, mirrored brackets.  Terminals with their own bidi support should get
logical order (`rasd explain --logical`).
"""
from __future__ import annotations

import unicodedata

MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def _direction(ch: str) -> str:
    bidi = unicodedata.bidirectional(ch)
    if bidi in ("R", "AL"):
        return "R"
    if bidi in ("L", "EN", "AN"):
        return "L"
    return "N"


def _resolve(line: str) -> list[str]:
    dirs = [_direction(c) for c in line]
    n = len(line)
    # neutrals between two runs of the same direction take it; others take the base (R)
    i = 0
    while i < n:
        if dirs[i] != "N":
            i += 1
            continue
        j = i
        while j < n and dirs[j] == "N":
            j += 1
        before = dirs[i - 1] if i > 0 else "R"
        after = dirs[j] if j < n else "R"
        fill = before if before == after else "R"
        for k in range(i, j):
            dirs[k] = fill
        i = j
    return dirs


def visual_order(line: str) -> list[int]:
    """Indices of `line` in left-to-right display order, for a right-to-left paragraph."""
    dirs = _resolve(line)
    runs: list[tuple[str, list[int]]] = []
    for idx, d in enumerate(dirs):
        if runs and runs[-1][0] == d:
            runs[-1][1].append(idx)
        else:
            runs.append((d, [idx]))
    order: list[int] = []
    for d, idxs in reversed(runs):
        order.extend(reversed(idxs) if d == "R" else idxs)
    return order


def display(line: str) -> list[tuple[int, str]]:
    """(index, character to print) in display order; brackets inside Arabic runs mirrored."""
    dirs = _resolve(line)
    return [(i, line[i].translate(MIRROR) if dirs[i] == "R" else line[i]) for i in visual_order(line)]
