"""Actor lexicon: load `lexicons/actors/*.yaml` into lookup tables, and validate it.

The YAML holds the language data (names, aliases, nisba adjectives, grammar words); this
module turns it into the few tables the `actors` stage needs, once per process.  Validation
is separate (`check`) because it re-reads the files with line numbers, which the fast C
loader used at run time does not keep.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from rasd.lexicons import LEXICON_DIR, LexiconError, read_yaml

from .document import as_date
from .normalise import fold

ACTOR_DIR = LEXICON_DIR / "actors"
GRAMMAR_FILE = "grammar.yaml"
INTER_CODES = range(1, 9)
HEAD_CLASSES = ("military", "security", "militia", "fighters", "personnel")
NISBA_TARGETS = ("default", *HEAD_CLASSES, "proxy")
ACTOR_KEYS = frozenset({
    "id", "name", "name_ar", "inter", "country", "parent", "valid_from", "valid_to",
    "aliases", "generic", "generic_in", "bound", "same_as", "note",
})
NISBA_KEYS = frozenset({"forms", "names", "people", *NISBA_TARGETS})
GRAMMAR_KEYS = frozenset({
    "construct_heads", "nisba_heads", "nisba_fillers", "unit_nouns", "unit_types", "ordinals",
    "parent_links", "loyal_links", "attack_verbs", "non_actors", "era_markers", "unit_parent",
    "unit_name_starters", "partitive", "named_group",
})
ANY = "*"  # country of a template actor that fits any article


def key(phrase: str) -> str:
    """The matching form of a lexicon phrase (folded, single-spaced)."""
    return " ".join(fold(str(phrase)).split())


_date = as_date  # dates in actor YAML: ISO strings or YAML dates


@dataclass(frozen=True)
class Actor:
    """One armed actor; `name` may hold "{country}", filled from the article."""

    id: str
    name: str
    name_ar: str | None
    inter: int
    country: str
    parent: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    generic_in: frozenset[str] = frozenset()
    same_as: str | None = None  # another entry's id: same actor, different period or scope

    def valid_on(self, day: dt.date | None) -> bool:
        """True if the actor existed on `day`; None means "no date": only timeless actors."""
        if day is None:
            return self.valid_from is None
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def display(self, country: str | None) -> str:
        if "{country}" not in self.name:
            return self.name
        if country:
            return self.name.replace("{country}", country)
        return self.name.replace(" ({country})", "").replace(" of {country}", "").replace("{country}", "").strip()


@dataclass(frozen=True)
class Nisba:
    """An adjective of origin ("روسي") and the actors it names by head class."""

    forms: tuple[str, ...]
    names: tuple[str, ...]
    targets: dict[str, tuple[str, ...]]
    people: bool = False

    def ids(self, head_class: str | None, actors: dict[str, Actor] | None = None) -> tuple[str, ...]:
        """Actors named by this nisba after a head of `head_class`.

        Group words ("المسلحين الليبيين", "الجماعة الليبية") do not fall back to a state's
        army: without their own target they name an actor only when the default is not a
        state force (Kurdish, Houthi, Druze fighters).
        """
        if head_class and head_class in self.targets:
            return self.targets[head_class]
        if head_class == "personnel" and "military" in self.targets:
            return self.targets["military"]  # soldiers belong to the forces
        default = self.targets.get("default", ())
        if head_class in ("militia", "fighters") and actors is not None:
            return tuple(i for i in default if i in actors and actors[i].inter != 1)
        return default


@dataclass
class Grammar:
    construct_heads: frozenset[str] = frozenset()
    nisba_heads: dict[str, str] = field(default_factory=dict)  # folded phrase -> class
    nisba_fillers: frozenset[str] = frozenset()
    unit_nouns: dict[str, str] = field(default_factory=dict)  # folded noun -> kind
    unit_types: frozenset[str] = frozenset()
    unit_name_starters: frozenset[str] = frozenset()
    ordinals: dict[str, int] = field(default_factory=dict)
    parent_links: frozenset[str] = frozenset()
    loyal_links: frozenset[str] = frozenset()
    attack_verbs: frozenset[str] = frozenset()
    non_actors: tuple[str, ...] = ()
    era_markers: dict[str, dt.date] = field(default_factory=dict)  # folded phrase -> date
    unit_parent: str = ""  # the generic phrase whose actor owns an unnamed numbered unit
    named_group: str = ""  # the generic phrase whose actor a named but unknown group gets
    partitive: str = ""  # "من" in "العشرات من الجنود"


@dataclass
class ActorLexicon:
    """Everything the actors stage looks up; built once per process and lexicon overlay."""

    actors: dict[str, Actor]
    aliases: dict[str, list[str]]  # folded phrase -> actor ids (any article)
    generic: dict[str, list[str]]  # folded phrase -> actor ids (by the article's country)
    bound: dict[str, list[str]]  # folded phrase -> actor ids (only after a construct head)
    nisbas: list[Nisba]
    nisba_forms: dict[str, int]  # folded form (with and without ال) -> index in nisbas
    country_names: dict[str, int]  # folded country name -> index in nisbas
    grammar: Grammar


def nisba_forms(stem: str) -> list[str]:
    """Inflected forms of a nisba stem: "روسي" -> روسي روسيه روسيين روسيون روسيان (+ ال)."""
    s = key(stem)
    forms = [s]
    if " " not in s and not s.endswith(("ين", "ون")):
        # broken plurals ("روس") get forms no text uses; harmless, and simpler than a flag
        forms += [s + "ه", s + "ين", s + "ون", s + "ان"]
    out = []
    for f in forms:
        out.append(f)
        if not f.startswith("ال"):
            out.append("ال" + f)
    return out


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


_ACTOR_FILE = re.compile(r"^(?:actors|nisba):", re.M)


def actor_files(lexicon_dirs: Sequence[str | Path] = ()) -> list[Path]:
    """Built-in actor files, then each overlay directory's actor files, in that order.

    In an overlay directory, actor files are `actors/*.yaml` and any top-level `*.yaml` with
    an `actors:` (or `nisba:`) key, so one folder can hold a user's places and actors.
    """
    files = sorted(p for p in ACTOR_DIR.glob("*.yaml") if p.name != GRAMMAR_FILE)
    for d in lexicon_dirs:
        top = []
        for p in sorted(Path(d).glob("*.yaml")):
            try:
                if _ACTOR_FILE.search(p.read_text(encoding="utf-8")):
                    top.append(p)
            except (OSError, UnicodeDecodeError):
                top.append(p)  # let the loader report it with its FILE:LINE message
        files += top + sorted(p for p in (Path(d) / "actors").glob("*.yaml") if p.name != GRAMMAR_FILE)
    return files


def grammar_files(lexicon_dirs: Sequence[str | Path] = ()) -> list[Path]:
    files = [ACTOR_DIR / GRAMMAR_FILE]
    files += [p for d in lexicon_dirs if (p := Path(d) / "actors" / GRAMMAR_FILE).exists()]
    return files


def _grammar(datas: Iterable[dict[str, Any]]) -> Grammar:
    g = Grammar()
    construct: set[str] = set()
    fillers: set[str] = set()
    types: set[str] = set()
    starters: set[str] = set()
    links: set[str] = set()
    loyal: set[str] = set()
    verbs: set[str] = set()
    non: list[str] = []
    for data in datas:
        construct |= {key(w) for w in _as_list(data.get("construct_heads"))}
        for cls, words in (data.get("nisba_heads") or {}).items():
            g.nisba_heads.update({key(w): cls for w in _as_list(words)})
        fillers |= {key(w) for w in _as_list(data.get("nisba_fillers"))}
        for noun, kind in (data.get("unit_nouns") or {}).items():
            g.unit_nouns[key(noun)] = str(kind)
        types |= {key(w) for w in _as_list(data.get("unit_types"))}
        starters |= {key(w) for w in _as_list(data.get("unit_name_starters"))}
        g.ordinals.update({key(w): int(n) for w, n in (data.get("ordinals") or {}).items()})
        links |= {key(w) for w in _as_list(data.get("parent_links"))}
        loyal |= {key(w) for w in _as_list(data.get("loyal_links"))}
        verbs |= {key(w) for w in _as_list(data.get("attack_verbs"))}
        non += [key(w) for w in _as_list(data.get("non_actors"))]
        for single in ("unit_parent", "named_group", "partitive"):
            if data.get(single):
                setattr(g, single, key(data[single]))
        for day, words in (data.get("era_markers") or {}).items():
            g.era_markers.update({key(w): _date(day) for w in _as_list(words)})
    g.construct_heads = frozenset(construct)
    g.nisba_fillers = frozenset(fillers)
    g.unit_types = frozenset(types)
    g.unit_name_starters = frozenset(starters)
    g.parent_links = frozenset(links)
    g.loyal_links = frozenset(loyal)
    g.attack_verbs = frozenset(verbs)
    g.non_actors = tuple(non)
    return g


def _actor(entry: dict[str, Any]) -> Actor:
    country = str(entry.get("country") or ANY)
    gin = _as_list(entry.get("generic_in")) or [country]
    return Actor(
        id=str(entry["id"]),
        name=str(entry["name"]),
        name_ar=entry.get("name_ar"),
        inter=int(entry["inter"]),
        country=country,
        parent=entry.get("parent"),
        valid_from=_date(entry.get("valid_from")),
        valid_to=_date(entry.get("valid_to")),
        generic_in=frozenset(str(c) for c in gin),
        same_as=entry.get("same_as"),
    )


@cache
def load(lexicon_dirs: tuple[str, ...] = ()) -> ActorLexicon:
    """Read the built-in actor lexicon plus overlays (an overlay entry replaces the same id)."""
    entries: dict[str, dict[str, Any]] = {}
    nisba_entries: list[dict[str, Any]] = []
    for path in actor_files(lexicon_dirs):
        data = read_yaml(path) or {}
        if not isinstance(data, dict):
            raise LexiconError(f"{path}:1: expected a mapping with `actors:` and `nisba:`")
        for e in data.get("actors") or []:
            entries[str(e["id"])] = e
        nisba_entries += data.get("nisba") or []
    grammar = _grammar(read_yaml(p) or {} for p in grammar_files(lexicon_dirs))

    actors: dict[str, Actor] = {}
    aliases: dict[str, list[str]] = {}
    generic: dict[str, list[str]] = {}
    bound: dict[str, list[str]] = {}
    for aid, e in entries.items():
        actors[aid] = _actor(e)
        for table, field_name in ((aliases, "aliases"), (generic, "generic"), (bound, "bound")):
            for phrase in _as_list(e.get(field_name)):
                ids = table.setdefault(key(phrase), [])
                if aid not in ids:
                    ids.append(aid)
    nisbas: list[Nisba] = []
    forms: dict[str, int] = {}
    names: dict[str, int] = {}
    for i, e in enumerate(nisba_entries):
        targets = {t: tuple(str(x) for x in _as_list(e.get(t))) for t in NISBA_TARGETS if e.get(t)}
        stems = [str(s) for s in _as_list(e.get("forms"))]
        n = Nisba(tuple(stems), tuple(str(x) for x in _as_list(e.get("names"))), targets, bool(e.get("people")))
        nisbas.append(n)
        for s in stems:
            for f in nisba_forms(s):
                forms.setdefault(f, i)
        for nm in n.names:
            names.setdefault(key(nm), i)
    return ActorLexicon(actors, aliases, generic, bound, nisbas, forms, names, grammar)


# ---- validation ---------------------------------------------------------------------------

def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar_map(node: yaml.Node) -> dict[str, tuple[Any, yaml.Node]]:
    """A mapping node as {key: (python value, value node)}, scalars constructed safely."""
    out: dict[str, tuple[Any, yaml.Node]] = {}
    if not isinstance(node, yaml.MappingNode):
        return out
    loader = yaml.SafeLoader("")
    for k, v in node.value:
        out[str(k.value)] = (loader.construct_object(v, deep=True), v)
    return out


def _periods_overlap(a: Actor, b: Actor) -> bool:
    lo = max(a.valid_from or dt.date.min, b.valid_from or dt.date.min)
    hi = min(a.valid_to or dt.date.max, b.valid_to or dt.date.max)
    return lo <= hi


def check(lexicon_dirs: Sequence[str | Path] = (), files: Sequence[Path] | None = None) -> list[str]:
    """Validate actor YAML; return "FILE:LINE: message" strings (empty when all is well).

    Checks: YAML syntax, known keys, required fields, unique ids (an overlay directory may
    replace a built-in id), inter codes 1-8, ISO dates in order, known parents and nisba
    targets, and that no alias is claimed by two actors in overlapping periods (generic
    aliases: in the same country).
    """
    paths = list(files) if files is not None else actor_files(lexicon_dirs)
    builtin = set(actor_files(())) if files is None else set()
    errors: list[str] = []
    seen: dict[str, tuple[Path, int, bool]] = {}
    actors: dict[str, Actor] = {}
    where: dict[str, tuple[Path, int]] = {}
    claims: list[tuple[str, str, str, Path, int]] = []  # (table, folded alias, id, file, line)
    refs: list[tuple[str, Path, int, str]] = []  # (id, file, line, what)

    for path in paths:
        try:
            with path.open(encoding="utf-8") as fh:
                root = yaml.compose(fh, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            errors.append(f"{path}:{mark.line + 1 if mark else 0}: {exc.problem or exc}")
            continue
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(f"{path}:0: cannot read: {exc}")
            continue
        if root is None:
            continue
        top = _scalar_map(root)
        if not isinstance(root, yaml.MappingNode):
            errors.append(f"{path}:{_line(root)}: expected a mapping with `actors:` and `nisba:`")
            continue
        for k, (_, vnode) in top.items():
            if k not in ("actors", "nisba"):
                errors.append(f"{path}:{_line(vnode)}: unknown top-level key {k!r}")
        actors_node = top.get("actors", (None, None))[1]
        for anode in getattr(actors_node, "value", []) if isinstance(actors_node, yaml.SequenceNode) else []:
            errors += _check_actor(path, anode, seen, builtin, actors, where, claims, refs)
        nisba_node = top.get("nisba", (None, None))[1]
        for nnode in getattr(nisba_node, "value", []) if isinstance(nisba_node, yaml.SequenceNode) else []:
            fields = _scalar_map(nnode)
            line = _line(nnode)
            for k in fields:
                if k not in NISBA_KEYS:
                    errors.append(f"{path}:{_line(fields[k][1])}: unknown nisba key {k!r}")
            if not _as_list(fields.get("forms", (None,))[0]):
                errors.append(f"{path}:{line}: nisba entry without `forms`")
            for t in NISBA_TARGETS:
                for aid in _as_list(fields.get(t, (None,))[0]):
                    refs.append((str(aid), path, _line(fields[t][1]), f"nisba {t}"))

    for aid, path, line, what in refs:
        if aid not in actors:
            errors.append(f"{path}:{line}: {what} refers to unknown actor id {aid!r}")
    errors += _alias_conflicts(claims, actors)
    return errors


def _check_actor(
    path: Path,
    node: yaml.Node,
    seen: dict[str, tuple[Path, int, bool]],
    builtin: set[Path],
    actors: dict[str, Actor],
    where: dict[str, tuple[Path, int]],
    claims: list[tuple[str, str, str, Path, int]],
    refs: list[tuple[str, Path, int, str]],
) -> list[str]:
    errors: list[str] = []
    line = _line(node)
    fields = _scalar_map(node)
    if not fields:
        return [f"{path}:{line}: an actor must be a mapping"]
    for k, (_, vnode) in fields.items():
        if k not in ACTOR_KEYS:
            errors.append(f"{path}:{_line(vnode)}: unknown actor key {k!r}")
    for req in ("id", "name", "inter"):
        if req not in fields or fields[req][0] in (None, ""):
            errors.append(f"{path}:{line}: actor without `{req}`")
    if "id" not in fields:
        return errors
    aid = str(fields["id"][0])
    is_builtin = path in builtin
    if aid in seen:
        prev_path, prev_line, prev_builtin = seen[aid]
        if prev_builtin == is_builtin:
            errors.append(f"{path}:{line}: duplicate actor id {aid!r} (first at {prev_path}:{prev_line})")
        else:  # an overlay replaces a built-in actor: drop the built-in claims
            claims[:] = [c for c in claims if c[2] != aid]
    seen[aid] = (path, line, is_builtin)
    inter = fields.get("inter", (None,))[0]
    if "inter" in fields and (not isinstance(inter, int) or isinstance(inter, bool) or inter not in INTER_CODES):
        errors.append(f"{path}:{_line(fields['inter'][1])}: inter must be an ACLED code 1-8, got {inter!r}")
        inter = 1
    dates: dict[str, dt.date | None] = {}
    for dk in ("valid_from", "valid_to"):
        if dk in fields:
            try:
                dates[dk] = _date(fields[dk][0])
            except ValueError:
                errors.append(f"{path}:{_line(fields[dk][1])}: {dk} must be an ISO date, got {fields[dk][0]!r}")
    if dates.get("valid_from") and dates.get("valid_to") and dates["valid_from"] > dates["valid_to"]:
        errors.append(f"{path}:{line}: valid_from {dates['valid_from']} is after valid_to {dates['valid_to']}")
    for ref_key in ("parent", "same_as"):
        if ref_key in fields and fields[ref_key][0]:
            refs.append((str(fields[ref_key][0]), path, _line(fields[ref_key][1]), ref_key))
    country = str(fields.get("country", (ANY,))[0] or ANY)
    gin = [str(c) for c in _as_list(fields.get("generic_in", (None,))[0])] or [country]
    actors[aid] = Actor(
        aid, str(fields.get("name", ("",))[0]), None, inter if isinstance(inter, int) else 1, country,
        valid_from=dates.get("valid_from"), valid_to=dates.get("valid_to"), generic_in=frozenset(gin),
    )
    where[aid] = (path, line)
    for table in ("aliases", "generic", "bound"):
        if table not in fields:
            continue
        vnode = fields[table][1]
        if not isinstance(vnode, yaml.SequenceNode):
            errors.append(f"{path}:{_line(vnode)}: `{table}` must be a list")
            continue
        mine: set[str] = set()
        for item in vnode.value:
            text = item.value if isinstance(item, yaml.ScalarNode) else None
            k = key(text) if text else ""
            if not k:
                errors.append(f"{path}:{_line(item)}: empty or non-text alias in `{table}`")
                continue
            if k in mine:
                errors.append(f"{path}:{_line(item)}: alias {text!r} listed twice for {aid!r}")
                continue
            mine.add(k)
            claims.append((table, k, aid, path, _line(item)))
    return errors


def _alias_conflicts(claims: list[tuple[str, str, str, Path, int]], actors: dict[str, Actor]) -> list[str]:
    """Two actors claiming one alias (in one country, for generic ones) in overlapping periods."""
    errors: list[str] = []
    by_key: dict[tuple[str, str], list[tuple[str, Path, int]]] = {}
    for table, k, aid, path, line in claims:
        a = actors.get(aid)
        if a is None:
            continue
        scopes = sorted(a.generic_in) if table == "generic" else ["*"]
        for scope in scopes:
            group = "generic" if table == "generic" else "name"
            by_key.setdefault((f"{group}:{scope}", k), []).append((aid, path, line))
    for (scope, k), owners in by_key.items():
        for i, (aid, path, line) in enumerate(owners):
            for bid, bpath, bline in owners[:i]:
                if aid != bid and _periods_overlap(actors[aid], actors[bid]):
                    where = scope.split(":", 1)[1]
                    in_country = f" in {where}" if scope.startswith("generic") and where != ANY else ""
                    errors.append(
                        f"{path}:{line}: alias {k!r} is also claimed by {bid!r} ({bpath.name}:{bline})"
                        f"{in_country} in an overlapping period"
                    )
                    break
    return errors
