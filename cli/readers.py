"""Input: find article files, decode them, split front matter, and yield articles.

Analysts' folders are messy (scraped pages in Windows-1256, UTF-16 exports, stray binaries),
so decoding is explicit and every failure becomes a `ReadFailure` naming the file and the
reason; the caller reports it and goes on.  Reading is per file so workers can stream.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rasd.extractors import Meta
from rasd.extractors.document import as_date

ARTICLE_SUFFIXES = (".txt", ".md", ".json", ".jsonl")
MAX_ARTICLE_BYTES = 10 * 1024 * 1024  # one article; JSONL files are streamed line by line
META_KEYS = ("title", "source", "url", "country")
_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_LETTER = re.compile(r"[^\W\d_]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])  # the same, as bytes
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe loading only, C speed
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)
# a front-matter line YAML would read as a plain lower-case key and a double-quoted string
# without escapes other than \" and \\ (what scrapers and rasd's own corpora write);
# anything else -- other escapes, unquoted values, control characters -- goes to YAML
_FM_PLAIN = r'[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]*'
_FM_LINE = re.compile(rf'([a-z][a-z_]*): "({_FM_PLAIN}(?:\\["\\]{_FM_PLAIN})*)"')
_YAML_WORDS = frozenset(("yes", "no", "on", "off", "true", "false", "null", "y", "n"))  # keys YAML resolves


class ReadError(Exception):
    """Why one input could not be read (the message is shown to the user as is)."""


@dataclass
class Source:
    """One input to read: a file (with the id base it was found under) or stdin's text."""

    display: str
    path: Path | None = None
    rel: str | None = None
    data: bytes | None = None  # stdin


@dataclass
class Article:
    text: str
    meta: Meta
    display: str


@dataclass
class ReadFailure:
    display: str
    reason: str


# -- finding inputs ------------------------------------------------------------------------
def _is_article_file(name: str) -> bool:
    return name.endswith(ARTICLE_SUFFIXES) and not name.endswith(".gold.json") and not name.startswith(".")


def list_sources(paths: list[str], stdin_bytes: bytes | None = None) -> Iterator[Source | ReadFailure]:
    """Expand the command line's paths: folders recursively in sorted order, files, '-'."""
    for p in paths:
        if p == "-":
            yield Source(display="-", data=stdin_bytes if stdin_bytes is not None else b"")
            continue
        path = Path(p)
        if path.is_dir():
            found = False
            for f in _walk(path):
                found = True
                yield Source(display=str(f), path=f, rel=f.relative_to(path).as_posix())
            if not found:
                yield ReadFailure(p, "no articles found (.txt, .md, .json, .jsonl)")
        elif path.is_file():
            yield Source(display=p, path=path, rel=p)
        elif path.exists():
            yield ReadFailure(p, "not a regular file")
        else:
            yield ReadFailure(p, "no such file or directory")


def _walk(root: Path) -> Iterator[Path]:
    seen: set[str] = set()

    def onerror(err: OSError) -> None:  # unreadable sub-folders are skipped, not fatal
        pass

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=onerror):
        real = os.path.realpath(dirpath)
        if real in seen:  # a symlink loop
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if _is_article_file(name):
                yield Path(dirpath) / name


# -- decoding ------------------------------------------------------------------------------
def decode(data: bytes) -> str:
    """Bytes → text: UTF-8 (± BOM), UTF-16 with BOM, or Windows-1256 when it reads as Arabic."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "UTF-16")
    if b"\x00" in data:
        raise ReadError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1256")
        except UnicodeDecodeError:
            raise ReadError("not UTF-8, UTF-16 or Windows-1256 text") from None
        letters = _LETTER.findall(text)
        if not letters or sum(1 for c in letters if _ARABIC_LETTER.match(c)) < 0.5 * len(letters):
            raise ReadError("not UTF-8 text, and not Arabic as Windows-1256 either (unknown encoding)") from None
    # UTF-8 and Windows-1256 write a control character as its own byte: deleting those
    # bytes (C speed) tells whether the slower character count is needed at all
    if len(data.translate(None, _CONTROL_BYTES)) != len(data) \
            and len(_CONTROL.findall(text, 0, 4096)) > 0.05 * min(len(text), 4096):
        raise ReadError("binary file (mostly control characters)")
    return text


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ReadError(f"invalid {label} at byte {exc.start}") from None


# -- metadata ------------------------------------------------------------------------------
def parse_date(value: Any, what: str) -> dt.date | None:
    try:
        return as_date(value)
    except ValueError:
        raise ReadError(f"{what}: {value!r} is not a date (use YYYY-MM-DD)") from None


def date_from_name(name: str) -> dt.date | None:
    for m in _NAME_DATE.finditer(name):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (front matter mapping, body); the body keeps its line endings."""
    if not text.startswith("---"):
        return {}, text
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].rstrip("\r") != "---":
        return {}, text
    m = _FM_CLOSE.search(text, first_nl + 1)
    if m is None:
        raise ReadError("front matter: no closing '---' line")
    raw = text[first_nl + 1 : m.start()]
    end = m.end()
    if text.startswith("\n", end):
        end += 1
    simple = _simple_front_matter(raw)
    if simple is not None:
        return simple, text[end:]
    try:
        data = yaml.load(raw, Loader=_YAML_LOADER) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise ReadError(f"front matter: invalid YAML{where}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ReadError("front matter: expected 'key: value' lines")
    return data, text[end:]


def _simple_front_matter(raw: str) -> dict[str, str] | None:
    """The mapping of front matter made only of `key: "value"` lines, as YAML would read
    it, or None when any line is not that simple (then YAML decides).

    Why: YAML costs about as much as a small pipeline stage per article, and scraped
    corpora write nothing else; a wrong guess here would change metadata, so the accepted
    form is deliberately narrow (no duplicate keys, no escapes but \\" and \\\\)."""
    data: dict[str, str] = {}
    for line in raw.removesuffix("\n").split("\n"):
        m = _FM_LINE.fullmatch(line)
        if m is None:
            return None
        key, value = m.groups()
        if key in data or key in _YAML_WORDS:
            return None
        if "\\" in value:  # \x00 cannot occur in `value`: it stands in for an escaped \\
            value = value.replace("\\\\", "\x00").replace('\\"', '"').replace("\x00", "\\")
        data[key] = value
    return data if data else None


def make_meta(fields: dict[str, Any], default_id: str, name: str, published: dt.date | None) -> Meta:
    pub = published
    if pub is None:
        for key in ("published", "date"):
            if fields.get(key) not in (None, ""):
                pub = parse_date(fields[key], key)
                break
    if pub is None:
        pub = date_from_name(name)
    meta = Meta(id=str(fields["id"]) if fields.get("id") not in (None, "") else default_id, published=pub)
    for key in META_KEYS:
        v = fields.get(key)
        if v is not None and not isinstance(v, (str, int, float)):
            raise ReadError(f"{key}: expected text, got {type(v).__name__}")
        setattr(meta, key, str(v) if v is not None else None)
    return meta


# -- reading -------------------------------------------------------------------------------
def read_source(src: Source, published: dt.date | None = None) -> Iterator[Article | ReadFailure]:
    """Yield the articles of one input (several for JSONL), or failures."""
    name = src.path.name if src.path else "-"
    rel = src.rel or src.display
    try:
        if src.path is not None and src.path.suffix.lower() == ".jsonl":
            yield from _read_jsonl(src, rel, name, published)
            return
        data = src.data if src.data is not None else _read_bytes(src.path)
        text = decode(data)
        if not text.strip():
            raise ReadError("empty file (no article text)")
        if src.path is not None and src.path.suffix.lower() == ".json":
            yield from _json_articles(text, src, rel, name, published)
        elif src.path is None and text.lstrip().startswith("{"):
            yield from _jsonl_lines(text.splitlines(), src, "-", name, published)
        else:
            fields, body = split_front_matter(text)
            if not body.strip():
                raise ReadError("no article text after the front matter")
            yield Article(body, make_meta(fields, rel, name, published), src.display)
    except ReadError as exc:
        yield ReadFailure(src.display, str(exc))
    except OSError as exc:
        yield ReadFailure(src.display, exc.strerror or str(exc))


def _read_bytes(path: Path | None) -> bytes:
    assert path is not None
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise ReadError(f"file too large ({size / 1e6:.1f} MB; the limit for one article is "
                        f"{MAX_ARTICLE_BYTES // (1024 * 1024)} MB — split it or use JSONL)")
    with path.open("rb") as fh:
        return fh.read()


def _article_from_obj(obj: Any, default_id: str, name: str, published: dt.date | None) -> Article | str:
    if not isinstance(obj, dict):
        return "expected a JSON object"
    text = next((obj[k] for k in ("text", "body", "content") if isinstance(obj.get(k), str)), None)
    if text is None:
        return "no 'text' (or 'body'/'content') string"
    if not text.strip():
        return "empty article text"
    try:
        meta = make_meta(obj, default_id, name, published)
    except ReadError as exc:
        return str(exc)
    return Article(text, meta, default_id)


def _json_articles(text: str, src: Source, rel: str, name: str, published: dt.date | None):
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    objs = obj if isinstance(obj, list) else [obj]
    for i, o in enumerate(objs):
        aid = rel if len(objs) == 1 else f"{rel}:{i + 1}"
        art = _article_from_obj(o, aid, name, published)
        if isinstance(art, str):
            yield ReadFailure(src.display if len(objs) == 1 else f"{src.display}:{i + 1}", art)
        else:
            art.display = src.display
            yield art


def _read_jsonl(src: Source, rel: str, name: str, published: dt.date | None):
    assert src.path is not None
    with src.path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(0)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 JSONL: small enough to decode whole
            lines = decode(fh.read()).splitlines()
        else:
            lines = (_decode_line(raw, src.display, i) for i, raw in enumerate(fh, 1))
        yield from _jsonl_lines(lines, src, rel, name, published)


def _decode_line(raw: bytes, display: str, lineno: int) -> str | ReadFailure:
    if len(raw) > MAX_ARTICLE_BYTES:
        return ReadFailure(f"{display}:{lineno}", "line too large for one article")
    try:
        return decode(raw.lstrip(b"\xef\xbb\xbf") if lineno == 1 else raw) if raw.strip() else ""
    except ReadError as exc:
        return ReadFailure(f"{display}:{lineno}", str(exc))


def _jsonl_lines(lines, src: Source, rel: str, name: str, published: dt.date | None):
    empty = True
    for lineno, line in enumerate(lines, 1):
        if isinstance(line, ReadFailure):
            empty = False
            yield line
            continue
        if not line.strip():
            continue
        empty = False
        where = f"{src.display}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadFailure(where, f"invalid JSON: {exc.msg}")
            continue
        art = _article_from_obj(obj, f"{rel}:{lineno}", name, published)
        if isinstance(art, str):
            yield ReadFailure(where, art)
        else:
            art.display = where
            yield art
    if empty:
        yield ReadFailure(src.display, "empty file (no JSON lines)")
