"""Sentence and clause segmentation of Arabic news prose."""
from __future__ import annotations

import pytest

from rasd.extractors import Document, Pipeline


def sentences(text: str) -> list[str]:
    doc = Pipeline(["normalise", "segment"]).run(Document(text))
    return [doc.text[s.start:s.end] for s in doc.sentences]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("عنوان الخبر\nنص الخبر.", ["عنوان الخبر", "نص الخبر."]),
        ("قتل شخص. وأصيب آخر.", ["قتل شخص.", "وأصيب آخر."]),
        ("هل قتل أحد؟ نعم.", ["هل قتل أحد؟", "نعم."]),
        ("وقع الهجوم في 20.5.2024 صباحاً. ثم انسحبوا", ["وقع الهجوم في 20.5.2024 صباحاً.", "ثم انسحبوا"]),
        ("وقال المرصد «قتل ٣ أشخاص. وأصيب آخرون» اليوم. انتهى", ["وقال المرصد «قتل ٣ أشخاص. وأصيب آخرون» اليوم.", "انتهى"]),
        ('وقال: "انسحبنا. لن نعود." ثم غادر', ['وقال: "انسحبنا. لن نعود."', "ثم غادر"]),
        ("سطر أول\r\nسطر ثانٍ", ["سطر أول", "سطر ثانٍ"]),
        ("انفجار... ثم هدوء", ["انفجار...", "ثم هدوء"]),
        ("\n\n  \n", []),
        ("كلمة", ["كلمة"]),
    ],
)
def test_sentences(text, expected):
    assert sentences(text) == expected


def test_clauses_split_at_arabic_comma_and_semicolon():
    doc = Pipeline(["normalise", "segment"]).run(Document("قصف الطيران بلدة، وقتل شخص؛ وأصيب 1,500 آخرون"))
    clauses = [doc.norm[s:e] for s, e in doc.sentences[0].clauses]
    assert clauses == ["قصف الطيران بلده", " وقتل شخص", " واصيب 1,500 اخرون"]


def test_sentence_index():
    doc = Pipeline(["normalise", "segment"]).run(Document("أ.\nب ج. د"))
    assert [doc.sentence_index(s.nstart) for s in doc.sentences] == [0, 1, 2]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('قال: "انتهى. الآن" ثم مضى. وعاد', ['قال: "انتهى. الآن" ثم مضى.', "وعاد"]),
        ("قتل 3.!? ثم", ["قتل 3.!?", "ثم"]),
        ('قال "نعم." وذهب', ['قال "نعم."', "وذهب"]),  # the run closes the quote
        ("أ..\n\nب", ["أ..", "ب"]),
    ],
)
def test_terminator_runs_and_quotes(text: str, expected: list[str]) -> None:
    """A run of terminators is one mark; quotes inside it still open and close."""
    assert sentences(text) == expected
