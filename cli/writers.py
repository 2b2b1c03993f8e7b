"""Output: JSON Lines, a JSON array, or CSV, streamed row by row, written atomically.

Rows are written as they arrive so memory stays flat; with `-o FILE` they go to a temporary
file in the same folder that is renamed over FILE only when the run finishes, so an
interrupted run never leaves half a file.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from rasd.extractors.fields import EVENT_FIELDS, MENTION_FIELDS

FORMATS = ("jsonl", "json", "csv")


def columns(level: str) -> tuple[str, ...]:
    return EVENT_FIELDS if level == "events" else MENTION_FIELDS


def _json(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(", ", ": "))


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def encoder(fmt: str, level: str, excel: bool = False) -> Callable[[dict[str, Any]], str]:
    """Row -> its text in `fmt` (a CSV line with its terminator, a JSON object without).

    Kept apart from the writers so `--jobs` workers encode their own rows: the parent
    process only concatenates text, and the output is the same with or without workers."""
    if fmt != "csv":
        return _json
    cols = columns(level)
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n" if excel else "\n")

    def encode(row: dict[str, Any]) -> str:
        buf.seek(0)
        buf.truncate()
        out.writerow([_cell(row.get(c)) for c in cols])
        return buf.getvalue()

    return encode


class Writer:
    """Base: subclasses lay encoded rows out; `close()` finishes the document (JSON's `]`)."""

    def __init__(self, stream: IO[str], level: str, fmt: str, excel: bool = False) -> None:
        self.stream = stream
        self.level = level
        self.count = 0
        self.encode = encoder(fmt, level, excel)

    def write(self, row: dict[str, Any]) -> None:
        self.write_text(self.encode(row))

    def write_text(self, text: str) -> None:
        """Write one row already encoded by `encoder()` (in this process or a worker)."""
        raise NotImplementedError

    def close(self) -> None:
        self.stream.flush()


class JsonlWriter(Writer):
    def write_text(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.count += 1


class JsonWriter(Writer):
    def write_text(self, text: str) -> None:
        self.stream.write(("[\n" if self.count == 0 else ",\n") + text)
        self.count += 1

    def close(self) -> None:
        self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        super().close()


class CsvWriter(Writer):
    def __init__(self, stream: IO[str], level: str, excel: bool = False) -> None:
        super().__init__(stream, level, "csv", excel)
        if excel:
            stream.write("\ufeff")
        csv.writer(stream, lineterminator="\r\n" if excel else "\n").writerow(columns(level))

    def write_text(self, text: str) -> None:
        self.stream.write(text)
        self.count += 1


def make_writer(fmt: str, stream: IO[str], level: str, excel: bool = False) -> Writer:
    if fmt == "csv":
        return CsvWriter(stream, level, excel)
    return (JsonWriter if fmt == "json" else JsonlWriter)(stream, level, fmt)


class Output:
    """Where rows go: stdout, or FILE via a temporary file renamed on `commit()`."""

    def __init__(self, path: str | None) -> None:
        self.path = Path(path) if path and path != "-" else None
        self._tmp: str | None = None
        if self.path is None:
            self.stream: IO[str] = open(  # noqa: SIM115 - closed in commit/abort
                sys.stdout.fileno(), "w", encoding="utf-8", newline="", closefd=False
            )
        else:
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part",
                                             dir=self.path.parent if str(self.path.parent) else ".")
            self.stream = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115

    def commit(self) -> None:
        self.stream.flush()
        if self._tmp is not None:
            os.fsync(self.stream.fileno())
            self.stream.close()
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(self._tmp, 0o666 & ~mask)
            os.replace(self._tmp, self.path)  # type: ignore[arg-type]
            self._tmp = None
        else:
            self.stream.close()

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.stream.close()
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)
            self._tmp = None
