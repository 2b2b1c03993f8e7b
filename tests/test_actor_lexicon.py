"""Actor lexicon loading and validation (what `rasd lexicons check` reports for actors)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from rasd.extractors import Pipeline
from rasd.extractors.actor_lexicon import check, key, load, nisba_forms


def test_builtin_lexicon_is_valid() -> None:
    assert check() == []


def test_builtin_actors_have_acled_inter_codes_and_known_parents() -> None:
    lex = load()
    assert len(lex.actors) > 80
    for a in lex.actors.values():
        assert a.inter in range(1, 9), a.id
        assert a.parent is None or a.parent in lex.actors, a.id


def test_period_split_alias_has_two_owners() -> None:
    owners = load().aliases[key("الجيش السوري")]
    assert set(owners) == {"sy_saa_generic", "sy_army_2024"}


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("روسي", {"روسي", "الروسي", "روسيه", "الروسيه", "الروسيين", "روسيون"}),
        ("إسرائيلي", {"اسراييلي", "الاسراييليه", "الاسراييليين"}),
        ("أكراد", {"اكراد", "الاكراد"}),
    ],
)
def test_nisba_forms(stem: str, expected: set[str]) -> None:
    assert expected <= set(nisba_forms(stem))


def _write(tmp_path: Path, body: str, name: str = "test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


BAD = [
    (
        "duplicate id",
        """
        actors:
          - id: a
            name: A
            inter: 2
          - id: a
            name: B
            inter: 2
        """,
        ":5: duplicate actor id 'a'",
    ),
    (
        "inter out of range",
        """
        actors:
          - id: a
            name: A
            inter: 9
        """,
        ":4: inter must be an ACLED code 1-8",
    ),
    (
        "inter not a number",
        """
        actors:
          - id: a
            name: A
            inter: state
        """,
        ":4: inter must be an ACLED code 1-8",
    ),
    (
        "unknown parent",
        """
        actors:
          - id: a
            name: A
            inter: 1
            parent: nobody
        """,
        ":5: parent refers to unknown actor id 'nobody'",
    ),
    (
        "alias claimed twice in one period",
        """
        actors:
          - id: a
            name: A
            inter: 1
            aliases: [الجيش الوطني]
          - id: b
            name: B
            inter: 2
            aliases:
              - الجيش  الوطني
        """,
        ":10: alias 'الجيش الوطني' is also claimed by 'a'",
    ),
    (
        "overlapping periods",
        """
        actors:
          - id: a
            name: A
            inter: 1
            valid_to: 2020-01-01
            aliases: [قوات الحكومة]
          - id: b
            name: B
            inter: 1
            valid_from: 2019-06-01
            aliases: [قوات الحكومة]
        """,
        "claimed by 'a'",
    ),
    (
        "generic alias twice in one country",
        """
        actors:
          - id: a
            name: A
            inter: 1
            country: Iraq
            generic: [الجيش]
          - id: b
            name: B
            inter: 1
            country: Iraq
            generic: [الجيش]
        """,
        "in Iraq in an overlapping period",
    ),
    (
        "missing name",
        """
        actors:
          - id: a
            inter: 1
        """,
        ":2: actor without `name`",
    ),
    (
        "unknown key",
        """
        actors:
          - id: a
            name: A
            inter: 1
            alias: [x]
        """,
        ":5: unknown actor key 'alias'",
    ),
    (
        "bad date",
        """
        actors:
          - id: a
            name: A
            inter: 1
            valid_from: soon
        """,
        ":5: valid_from must be an ISO date",
    ),
    (
        "dates out of order",
        """
        actors:
          - id: a
            name: A
            inter: 1
            valid_from: 2025-01-01
            valid_to: 2024-01-01
        """,
        ":2: valid_from 2025-01-01 is after valid_to 2024-01-01",
    ),
    (
        "nisba target unknown",
        """
        actors:
          - id: a
            name: A
            inter: 1
        nisba:
          - forms: [مريخي]
            default: martians
        """,
        ":7: nisba default refers to unknown actor id 'martians'",
    ),
    (
        "yaml syntax",
        """
        actors:
          - id: a
            name: "A
        """,
        "test.yaml:",
    ),
]


@pytest.mark.parametrize(("what", "body", "message"), BAD, ids=[b[0] for b in BAD])
def test_check_reports_file_line_errors(tmp_path: Path, what: str, body: str, message: str) -> None:
    path = _write(tmp_path, body)
    errors = check(files=[path])
    assert any(message in e and e.startswith(str(path)) for e in errors), errors


@pytest.mark.parametrize(
    "body",
    [
        # the same words for two actors in periods that do not overlap
        """
        actors:
          - id: a
            name: A
            inter: 1
            valid_to: 2024-12-07
            aliases: [الجيش السوري]
          - id: b
            name: B
            inter: 1
            valid_from: 2024-12-08
            aliases: [الجيش السوري]
        """,
        # the same generic word in two countries
        """
        actors:
          - id: a
            name: A
            inter: 1
            country: Iraq
            generic: [الجيش]
          - id: b
            name: B
            inter: 1
            country: Yemen
            generic: [الجيش]
        """,
    ],
)
def test_check_accepts_distinct_periods_and_countries(tmp_path: Path, body: str) -> None:
    assert check(files=[_write(tmp_path, body)]) == []


def test_overlay_directory_adds_and_replaces_actors(tmp_path: Path) -> None:
    (tmp_path / "actors").mkdir()
    _write(tmp_path / "actors", """
        actors:
          - id: sy_ndf
            name: "National Defence Forces (user label)"
            inter: 3
            country: Syria
            aliases: [قوات الدفاع الوطني]
          - id: xx_local_brigade
            name: "Local Brigade X"
            inter: 3
            country: Syria
            aliases: [كتيبة الجبل الأخضر]
        """, "local.yaml")
    assert check(lexicon_dirs=[tmp_path]) == []
    pipe = Pipeline(stages=["normalise", "segment", "actors"], lexicon_dirs=[str(tmp_path)])
    rows = pipe.parse("هاجمت كتيبة الجبل الأخضر وقوات الدفاع الوطني القرية", published="2019-01-01",
                      country="Syria").mentions
    names = {r["text"]: r["name"] for r in rows}
    assert names["كتيبة الجبل الأخضر"] == "Local Brigade X"
    assert names["قوات الدفاع الوطني"] == "National Defence Forces (user label)"
