"""`rasd lexicons check [DIR]...`: validate built-in and user lexicons before they are used.

Analysts extend rasd with their own villages and militias; a typo there should be caught
with the file and line, not discovered as a silently missing place.  Files are composed
into YAML nodes (C loader) so every error can name its line even in the 1.5 MB gazetteer.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from rasd.lexicons import LEXICON_DIR, builtin_files, user_files

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLACE_REQUIRED = ("name", "ar", "feature", "country", "lat", "lon")
EVENT_REQUIRED = ("event_type", "sub_event_type", "words")


def compose(path: Path) -> tuple[yaml.Node | None, list[str]]:
    try:
        with path.open("r", encoding="utf-8") as fh:
            return yaml.compose(fh, Loader=_Loader), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        return None, [f"{path}:{mark.line + 1 if mark else 0}: {exc.problem or exc}"]
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, [f"{path}:0: cannot read: {exc}"]


def line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def section(root: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    for k, v in root.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def scalars(node: yaml.MappingNode) -> dict[str, tuple[str, yaml.Node]]:
    out = {}
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode):
            out[k.value] = (v.value if isinstance(v, yaml.ScalarNode) else None, v)
    return out


def _number(s: str | None) -> float | None:
    try:
        return float(s) if s is not None else None
    except ValueError:
        return None


CURATED = "landmarks.yaml"  # loaded after the generated place files (gazetteer.SOURCES)


class Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.files = 0

    def add(self, path: Path, node_or_line: yaml.Node | int, msg: str) -> None:
        ln = node_or_line if isinstance(node_or_line, int) else line(node_or_line)
        self.errors.append(f"{path}:{ln}: {msg}")

    # -- places ------------------------------------------------------------------------
    def places(self, docs: list[tuple[Path, yaml.Node | None, bool]]) -> None:
        defined: dict[str, tuple[Path, int]] = {}
        boxes: dict[str, list[float]] = {}
        features: set[str] = set()
        pending: list[tuple[Path, yaml.MappingNode, dict, bool]] = []
        for path, root, is_user in docs:
            seq = section(root, "places")
            if seq is None:
                continue
            if not isinstance(seq, yaml.SequenceNode):
                self.add(path, seq, "'places' must be a list of entries")
                continue
            for item in seq.value:
                if not isinstance(item, yaml.MappingNode):
                    self.add(path, item, "a place entry must be a mapping with an 'id'")
                    continue
                fields = scalars(item)
                pid = fields.get("id", (None, None))[0]
                if not pid:
                    self.add(path, item, "place entry without 'id'")
                    continue
                if "feature" in fields:  # a full definition
                    # user entries may redefine built-in ones, and the hand-curated
                    # landmarks.yaml may correct a generated entry by redefining it whole
                    corrects = path.name == CURATED and defined.get(pid, (path,))[0].name != CURATED
                    if pid in defined and not is_user and not corrects:
                        self.add(path, item, f"duplicate place id {pid!r} (also {defined[pid][0]}:{defined[pid][1]})")
                    defined.setdefault(pid, (path, line(item)))
                    if not is_user:
                        features.add(fields["feature"][0] or "")
                        lat, lon = _number(fields.get("lat", (None,))[0]), _number(fields.get("lon", (None,))[0])
                        country = fields.get("country", (None,))[0]
                        if lat is not None and lon is not None and country:
                            b = boxes.setdefault(country, [lat, lat, lon, lon, 0])
                            b[0], b[1], b[2], b[3], b[4] = min(b[0], lat), max(b[1], lat), min(b[2], lon), max(b[3], lon), b[4] + 1
                pending.append((path, item, fields, is_user))
        for path, item, fields, is_user in pending:
            pid = fields["id"][0]
            if "feature" not in fields:
                if pid not in defined:
                    self.add(path, item, f"entry extends unknown place id {pid!r} (a new place needs 'feature')")
                continue
            if not is_user:
                continue
            for key in PLACE_REQUIRED:
                if key not in fields or fields[key][0] in (None, ""):
                    self.add(path, item, f"place {pid!r}: missing '{key}'")
            feature = fields.get("feature", (None,))[0]
            if feature and features and feature not in features:
                self.add(path, fields["feature"][1], f"place {pid!r}: unknown feature {feature!r} "
                                                      f"(known: {', '.join(sorted(features))})")
            lat, lon = _number(fields.get("lat", (None,))[0]), _number(fields.get("lon", (None,))[0])
            if ("lat" in fields and lat is None) or ("lon" in fields and lon is None):
                self.add(path, item, f"place {pid!r}: lat/lon must be numbers")
                continue
            country = fields.get("country", (None,))[0]
            box = boxes.get(country or "")
            if lat is not None and lon is not None:
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    self.add(path, item, f"place {pid!r}: coordinates {lat}, {lon} are not on Earth")
                elif box and box[4] >= 10 and not (box[0] - 0.5 <= lat <= box[1] + 0.5 and box[2] - 0.5 <= lon <= box[3] + 0.5):
                    self.add(path, item, f"place {pid!r}: coordinates {lat}, {lon} are outside {country} "
                                         f"(lat {box[0]:.1f}–{box[1]:.1f}, lon {box[2]:.1f}–{box[3]:.1f}); swapped?")
            elif country and country not in boxes and boxes:
                self.add(path, item, f"place {pid!r}: unknown country {country!r}")

    # -- event triggers -------------------------------------------------------------------
    def events(self, docs: list[tuple[Path, yaml.Node | None, bool]], taxonomy: set[tuple[str, str]]) -> None:
        for path, root, is_user in docs:
            classes = section(root, "classes")
            if classes is None:
                continue
            if not isinstance(classes, yaml.MappingNode):
                self.add(path, classes, "'classes' must map a class name to its spec")
                continue
            for k, v in classes.value:
                if not isinstance(v, yaml.MappingNode):
                    self.add(path, v, f"trigger class {k.value!r} must be a mapping")
                    continue
                f = scalars(v)
                if not is_user or "event_type" in f or "sub_event_type" in f:
                    for key in EVENT_REQUIRED:
                        if key not in f:
                            self.add(path, v, f"trigger class {k.value!r}: missing '{key}'")
                et, st = f.get("event_type", (None,))[0], f.get("sub_event_type", (None,))[0]
                if et and st and taxonomy and (et, st) not in taxonomy:
                    self.add(path, v, f"trigger class {k.value!r}: {et!r} / {st!r} is not an ACLED event/sub-event type")
                words = f.get("words", (None, None))[1]
                if words is not None and not (isinstance(words, yaml.SequenceNode)
                                              and all(isinstance(w, yaml.ScalarNode) and w.value.strip() for w in words.value)):
                    self.add(path, words, f"trigger class {k.value!r}: 'words' must be a list of phrases")


def run_check(dirs: list[str]) -> int:
    """Validate built-in lexicons plus user folders; print FILE:LINE errors; exit code."""
    for d in dirs:
        if not Path(d).is_dir():
            sys.stderr.write(f"rasd: {d}: not a folder\n")
            return 2
    chk = Checker()
    docs: list[tuple[Path, yaml.Node | None, bool]] = []
    for path, is_user in [(p, False) for p in builtin_files()] + [(p, True) for p in user_files(tuple(dirs))]:
        root, errs = compose(path)
        chk.errors.extend(errs)
        chk.files += 1
        if root is not None and not isinstance(root, yaml.MappingNode):
            chk.add(path, root, "expected a mapping at the top level (e.g. 'places:' or 'actors:')")
            root = None
        docs.append((path, root, is_user))
    taxonomy = _taxonomy()
    chk.places(docs)
    chk.events(docs, taxonomy)
    # stages that own a schema validate it themselves (FILE:LINE messages)
    from rasd.extractors import actor_lexicon, dates

    chk.errors.extend(actor_lexicon.check(tuple(dirs)))
    chk.errors.extend(dates.check(tuple(dirs)))
    errors = list(dict.fromkeys(chk.errors))
    for e in errors:
        sys.stdout.write(e + "\n")
    where = ", ".join(dirs) if dirs else "built-in lexicons"
    if errors:
        sys.stderr.write(f"rasd: {len(errors)} error(s) in lexicons ({where})\n")
        return 1
    sys.stderr.write(f"rasd: lexicons OK ({chk.files} files: {where}{' + built-in' if dirs else ''})\n")
    return 0


def _taxonomy() -> set[tuple[str, str]]:
    path = LEXICON_DIR / "acled.yaml"
    if not path.exists():
        return set()
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    out: set[tuple[str, str]] = set()
    for et, subs in (data.get("event_types") or {}).items():
        for st in subs:
            out.add((et, st))
    return out

