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
