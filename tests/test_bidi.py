"""Right-to-left display order for terminals."""
from __future__ import annotations

import pytest

from rasd.cli.bidi import display, visual_order


def visual(s: str) -> str:
    return "".join(s[i] for i in visual_order(s))


@pytest.mark.parametrize(
    "logical, shown",
    [
        ("حلب", "بلح"),
        ("في حلب", "بلح يف"),
        ("قتل 25 شخصا", "اصخش 25 لتق"),
        ("طريق M4 الدولي", "يلودلا M4 قيرط"),
        ("abc", "abc"),
        ("", ""),
        ("عام 2018.", ".2018 ماع"),
    ],
)
def test_visual_order(logical, shown):
    assert visual(logical) == shown


def test_order_is_a_permutation():
    s = "قال «المرصد» إن 3 عناصر (من قسد) قتلوا في M4، أمس."
    assert sorted(visual_order(s)) == list(range(len(s)))


def test_brackets_mirror_inside_arabic():
    shown = "".join(ch for _, ch in display("عين العرب (كوباني)"))
    assert shown == "(ينابوك) برعلا نيع"
