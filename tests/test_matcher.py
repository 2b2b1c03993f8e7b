"""Clitic-aware whole-word phrase matching."""
from __future__ import annotations

import pytest

from rasd.extractors.matcher import PhraseMatcher
from rasd.extractors.normalise import fold

M = PhraseMatcher()
for phrase, value in [("حلب", "aleppo"), ("ريف حلب", "rural"), ("الجيش", "army"), ("حماة", "hama"),
                      ("قوات النظام", "saa"), ("M4", "m4"), ("إدلب", "idlib")]:
    M.add(phrase, value)


@pytest.mark.parametrize(
    "text, found",
    [
        ("في حلب اليوم", [("حلب", "")]),
        ("وبحلب", [("حلب", "وب")]),
        ("بريف حلب الشرقي", [("ريف حلب", "ب")]),
        ("وللجيش السوري", [("لجيش", "ول")]),
        ("للجيش", [("لجيش", "ل")]),
        ("لجيش", []),
        ("الحلب", []),
        ("مستحلب", []),
        ("حلبية", []),
        ("في حماةَ", [("حماه", "")]),
        ("فلقوات النظام", [("قوات النظام", "فل")]),
        ("مقوات النظام", []),
        ("وقوات النظام", [("قوات النظام", "و")]),
        ("طريق M4 الدولي", [("m4", "")]),
        ("كإدلب", [("ادلب", "ك")]),
        ("حلب،حماة", [("حلب", ""), ("حماه", "")]),
    ],
)
def test_find(text, found):
    norm = fold(text)
    got = [(norm[m.nstart:m.nend], m.clitic) for m in M.find(norm)]
    assert got == found


def test_iter_gives_nested_matches_and_find_keeps_the_longest():
    norm = fold("بريف حلب")
    assert sorted(m.key for m in M.iter(norm)) == ["حلب", "ريف حلب"]
    assert [m.key for m in M.find(norm)] == ["ريف حلب"]


def test_values_and_membership():
    m = PhraseMatcher()
    m.add("دوما", 1)
    m.add("دُوما", 2)
    assert "دوما" in m and len(m) == 1
    assert m.find("دوما")[0].values == (1, 2)
    assert PhraseMatcher().find("اي نص") == []


def test_a_shared_scan_gives_each_matcher_its_own_hits() -> None:
    """`share_scan`: one automaton pass for several matchers, each seeing exactly the hits
    (and order) its own automaton would report; `add` detaches a matcher again."""
    from rasd.extractors.matcher import share_scan

    a, b = PhraseMatcher(), PhraseMatcher()
    for phrase in ("حلب", "ريف حلب", "الجيش"):
        a.add(phrase, phrase)
    for phrase in ("حلب", "الجيش السوري", "امس"):
        b.add(phrase, "b")
    text = fold("وللجيش السوري في ريف حلب أمس، وبحلب")
    alone = [list(m.iter(text)) for m in (a, b)]
    share_scan([a, b])
    assert a._shared is not None and b._shared is not None
    assert [list(m.iter(text)) for m in (a, b)] == alone
    assert [list(m.iter(text)) for m in (b, a)] == alone[::-1]  # either may scan first
    a.add("إدلب", "idlib")
    assert a._shared is None
    assert [m.key for m in a.iter(fold("في إدلب"))] == [fold("إدلب")]


def test_proclitic_set_is_the_conjunction_then_preposition_pattern() -> None:
    """`_PROCLITICS` (a set: one look-up per glued hit) holds exactly what
    `[وف]?[بلك]?` matches."""
    import itertools
    import re

    from rasd.extractors.matcher import _PROCLITICS

    letters = "وفبلكا"
    pattern = re.compile("[وف]?[بلك]?")
    strings = {"".join(p) for n in range(4) for p in itertools.product(letters, repeat=n)}
    assert {s for s in strings if pattern.fullmatch(s)} == _PROCLITICS


def test_a_matcher_scans_a_text_once() -> None:
    """Asking again for the same text reuses the scan and gives the same matches."""
    m = PhraseMatcher()
    m.add("حلب", 1)
    text = fold("في حلب وبحلب")
    assert list(m.iter(text)) == list(m.iter(text)) == [(3, 6, "حلب", (1,), ""), (9, 12, "حلب", (1,), "وب")]
