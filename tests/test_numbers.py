"""Number reading: digits and Arabic number words in every case, gender and form."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.extractors.normalise import fold
from rasd.extractors.numbers import find_numbers, read_number


def _numbers(text: str) -> list[tuple[int, str]]:
    norm = fold(text)
    return [(m.value, norm[m.nstart:m.nend]) for m in find_numbers(norm)]


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        # digits, Arabic-Indic digits, separators, scale words
        ("قتل 25 شخصا في القصف", 25, "25"),
        ("سقط ١٢ قتيلا", 12, "12"),
        ("أصيب ۴۵ مدنيا", 45, "45"),
        ("نزح 1,200 شخص", 1200, "1,200"),
        ("نزح ١٬٢٠٠ شخص", 1200, "1,200"),
        ("نزح 2.500 شخص", 2500, "2.500"),
        ("وثق مقتل 5 آلاف مدني", 5000, "5 الاف"),
        ("نزح 1.5 مليون سوري", 1_500_000, "1.5 مليون"),
        ("قتل 100 ألف شخص", 100_000, "100 الف"),
        ("و25 آخرون", 25, "25"),
        # units, every gender and case
        ("قتل واحد منهم", 1, "واحد"),
        ("أصيب اثنان من المارة", 2, "اثنان"),
        ("اعتقال اثنين من الشبان", 2, "اثنين"),
        ("مقتل اثنتين من النساء", 2, "اثنتين"),
        ("قتل ثلاثة عناصر", 3, "ثلاثه"),
        ("إصابة ثلاث نساء", 3, "ثلاث"),
        ("مقتل أربعة جنود", 4, "اربعه"),
        ("مقتل خمس سيدات", 5, "خمس"),
        ("جرح ستة أطفال", 6, "سته"),
        ("اختطاف سبعة مدنيين", 7, "سبعه"),
        ("مقتل ثماني نساء", 8, "ثماني"),
        ("مقتل ثمانية عناصر", 8, "ثمانيه"),
        ("أسر تسعة مقاتلين", 9, "تسعه"),
        ("مقتل عشرة أشخاص", 10, "عشره"),
        ("خلال عشر سنوات", 10, "عشر"),
        # definite, clitics, diacritics
        ("لقي الثلاثة حتفهم", 3, "الثلاثه"),
        ("وثلاثة آخرون", 3, "ثلاثه"),
        ("بثلاثة صواريخ", 3, "ثلاثه"),
        ("للثلاثة المعتقلين", 3, "ثلاثه"),
        ("والخمسة الباقون", 5, "الخمسه"),
        ("قُتِلَ ثَلَاثَةُ عناصر", 3, "ثلاثه"),
        # teens
        ("مقتل أحد عشر مدنيا", 11, "احد عشر"),
        ("إحدى عشرة امرأة", 11, "احدي عشره"),
        ("اثنا عشر عنصرا", 12, "اثنا عشر"),
        ("اثني عشر عنصرا", 12, "اثني عشر"),
        ("اثنتي عشرة سيدة", 12, "اثنتي عشره"),
        ("خمسة عشر قتيلا", 15, "خمسه عشر"),
        ("ثلاث عشرة طفلة", 13, "ثلاث عشره"),
        ("تسعة عشر جريحا", 19, "تسعه عشر"),
        # tens and compounds
        ("عشرون قتيلا", 20, "عشرون"),
        ("لقي عشرين شخصا", 20, "عشرين"),
        ("خمسة وعشرين شخصا", 25, "خمسه وعشرين"),
        ("خمسة و عشرون شخصا", 25, "خمسه و عشرون"),
        ("التسعة والثلاثين عاملا", 39, "التسعه والثلاثين"),
        ("تسعة وتسعين", 99, "تسعه وتسعين"),
        ("ستين جريحا", 60, "ستين"),
        # hundreds
        ("مئة شخص", 100, "ميه"),
        ("مائة قتيل", 100, "مايه"),
        ("مئتي شخص", 200, "ميتي"),
        ("مائتان وخمسون", 250, "مايتان وخمسون"),
        ("ثلاثمائة عنصر", 300, "ثلاثمايه"),
        ("ثلاث مئة عنصر", 300, "ثلاث ميه"),
        ("ثمانمئة", 800, "ثمانميه"),
        ("مائة وعشرين", 120, "مايه وعشرين"),
        ("ثلاثمئة وخمسة وعشرون", 325, "ثلاثميه وخمسه وعشرون"),
        # thousands
        ("ألف شخص", 1000, "الف"),
        ("ألفين", 2000, "الفين"),
        ("ألفان", 2000, "الفان"),
        ("ثلاثة آلاف", 3000, "ثلاثه الاف"),
        ("عشرة آلاف", 10_000, "عشره الاف"),
        ("عشرين ألفا", 20_000, "عشرين الفا"),
        ("خمسة عشر ألفا", 15_000, "خمسه عشر الفا"),
        ("ألف وخمسمائة", 1500, "الف وخمسمايه"),
        ("أربعة آلاف وخمسمئة", 4500, "اربعه الاف وخمسميه"),
        ("ثلاثمائة وخمسين ألفا", 350_000, "ثلاثمايه وخمسين الفا"),
        ("تسعمائة وتسعة وتسعين ألفا وتسعمائة وتسعة وتسعين", 999_999,
         "تسعمايه وتسعه وتسعين الفا وتسعمايه وتسعه وتسعين"),
    ],
)
def test_reads_one_number(text: str, value: int, span: str) -> None:
    assert _numbers(text) == [(value, span)]


@pytest.mark.parametrize(
    "text",
    [
        "يوم الاثنين الماضي",  # a weekday, not "the two"
        "صباح الأحد",
        "بنسبة 50 في المئة",  # the number is there, but "المئة" is not 100
        "لست أدري",  # "ل" + "ست" is not six
        "في 20.5.2024",  # a date, for the dates stage
        "قرابة الساعة 10:30",
        "على بعد 2.5 كم",
        "عشرات القتلى",  # vague quantities are read by the casualty stage
        "مئات الجرحى",
        "أحد العناصر",  # "one of" is not a number word alone
    ],
)
def test_not_a_count(text: str) -> None:
    assert [v for v, s in _numbers(text) if s != "50"] == []


def test_percent_is_flagged() -> None:
    norm = fold("تراجع بنسبة 40 % و60 بالمئة")
    assert [(m.value, m.percent) for m in find_numbers(norm)] == [(40, True), (60, True)]


def test_two_separate_numbers() -> None:
    assert _numbers("قتل 3 وأصيب خمسة") == [(3, "3"), (5, "خمسه")]
    assert _numbers("مقتل ثلاثة وإصابة 7") == [(3, "ثلاثه"), (7, "7")]


def test_read_number_at_clitic_or_word() -> None:
    norm = fold("وقتل وخمسة وعشرون شخصا")
    pos = norm.index("وخمسه")
    m = read_number(norm, pos)
    assert m is not None and (m.value, m.clitic) == (25, "و")
    assert norm[m.nstart:m.nend] == "خمسه وعشرون"
    assert read_number(norm, 0) is None
    assert read_number(norm, len(norm)) is None


def test_definite_flag() -> None:
    (m,) = find_numbers(fold("الثلاثة"))
    assert m.definite and m.value == 3


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهوية ءآأؤإئ0123456789٠١٢٣٤٥,.،%\n", max_size=80))
def test_random_text_never_raises(text: str) -> None:
    norm = fold(text)
    for m in find_numbers(norm):
        assert 0 <= m.nstart < m.nend <= len(norm)
        assert m.value >= 0


@pytest.mark.parametrize("text, value, clitic", [("و15", 15, "و"), ("وب20", 20, "وب"), ("ل3", 3, "ل")])
def test_proclitics_glued_to_digits(text: str, value: int, clitic: str) -> None:
    from rasd.extractors.numbers import read_number

    m = read_number(text, 0)
    assert m is not None and (m.value, m.clitic, m.nstart) == (value, clitic, len(clitic))
