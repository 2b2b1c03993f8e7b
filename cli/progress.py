"""What a person sees on stderr: a rich progress bar (terminals only), errors, a summary."""
from __future__ import annotations

import sys
from collections import Counter

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

KIND_LABELS = (("place", "places"), ("actor", "actors"), ("date", "dates"), ("casualty", "casualties"))


class Reporter:
    def __init__(self, total: int, quiet: bool) -> None:
        self.quiet = quiet
        self.console = Console(stderr=True, highlight=False)
        self.progress: Progress | None = None
        if not quiet and sys.stderr.isatty() and total > 1:
            self.progress = Progress(TextColumn("rasd"), BarColumn(), MofNCompleteColumn(),
                                     TimeRemainingColumn(), console=self.console, transient=True)
            self.task = self.progress.add_task("parse", total=total)
            self.progress.start()

    def advance(self) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)

    def error(self, display: str, reason: str) -> None:
        line = f"rasd: {display}: {reason}".replace("\n", "\\n")
        if self.progress is not None:
            self.progress.console.print(line, markup=False, highlight=False)
        else:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def finish(self, *, articles: int, failed: int, events: int, kinds: Counter, seconds: float, level: str) -> None:
        self.stop()
        if self.quiet:
            return
        rate = articles / seconds if seconds > 0 else 0.0
        total_m = sum(kinds.values())
        by_kind = ", ".join(f"{kinds.get(k, 0)} {label}" for k, label in KIND_LABELS)
        msg = (f"rasd: {articles} articles read, {failed} failed; {events} events; "
               f"{total_m} mentions ({by_kind}); {seconds:.2f} s, {rate:.0f} articles/s")
        if sys.stderr.isatty():
            self.console.print(msg, markup=False, highlight=False)
        else:
            sys.stderr.write(msg + "\n")
