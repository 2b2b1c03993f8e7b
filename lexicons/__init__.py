"""rasd's language data: YAML files people edit, loaded once per process.

Built-in lexicons live next to this file.  Users may add directories with `--lexicons DIR`;
a file there with the same relative name as a built-in one extends it (entries with the
same `id` replace the built-in entry).  Loading is cached because every worker process and
every stage asks for the same files.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_DIR = Path(__file__).resolve().parent

try:  # the C loader is ~10x faster on the large gazetteer files
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pyyaml built without libyaml
    _Loader = yaml.SafeLoader


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message starts with FILE:LINE."""


def read_yaml(path: Path) -> Any:
    """Safe-load one YAML file, turning syntax errors into FILE:LINE messages."""
    try:
        with path.open("r", encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 0
        raise LexiconError(f"{path}:{line}: {exc.problem or exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}:0: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}:0: {exc}") from None


@cache
def builtin(name: str) -> Any:
    """The parsed built-in lexicon `name` (a path relative to lexicons/, without .yaml)."""
    return read_yaml(LEXICON_DIR / f"{name}.yaml")


def builtin_files(pattern: str = "**/*.yaml") -> list[Path]:
    return sorted(LEXICON_DIR.glob(pattern))


def user_files(dirs: tuple[str, ...]) -> list[Path]:
    """YAML files of user lexicon folders, in command-line order then sorted."""
    out: list[Path] = []
    for d in dirs:
        out.extend(sorted(p for p in Path(d).rglob("*.y*ml") if p.suffix in (".yaml", ".yml")))
    return out


def check_user_dirs(dirs: tuple[str, ...]) -> None:
    """Parse every user lexicon file once so a syntax error stops the run with FILE:LINE."""
    for path in user_files(dirs):
        data = read_yaml(path)
        if data is not None and not isinstance(data, dict):
            raise LexiconError(f"{path}:1: expected a mapping at the top level (e.g. 'places:' or 'actors:')")


@cache
def user_sections(dirs: tuple[str, ...], key: str) -> list[tuple[Path, Any]]:
    """Every user file's value under top-level `key` (e.g. 'places', 'actors', 'classes')."""
    out = []
    for path in user_files(dirs):
        data = read_yaml(path)
        if isinstance(data, dict) and key in data:
            out.append((path, data[key]))
    return out
