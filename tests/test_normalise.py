"""Normalisation keeps a character-exact map back to the original text."""
from __future__ import annotations

import re

import pytest
from conftest import arabic_text
from hypothesis import given, settings

from rasd.extractors.document import Document
from rasd.extractors.normalise import Normaliser, fold, normalise


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("حَلَبُ", "حلب"),
        ("إدلـــب", "ادلب"),
        ("أعزاز", "اعزاز"),
        ("آذار", "اذار"),
        ("مستشفى", "مستشفي"),
        ("حماة", "حماه"),
        ("مؤسسة", "موسسه"),
        ("رئيس", "رييس"),
        ("٢٠٢٤", "2024"),
        ("۱۲", "12"),
        ("قال، «نعم»؛ لماذا؟", 'قال, "نعم"; لماذا?'),
        ("“قسد”", '"قسد"'),
        ("M4 T4", "m4 t4"),
        ("قتل\u200f ٣", "قتل 3"),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded
    norm, _ = normalise(raw)
    assert norm == folded


@given(arabic_text)
@settings(max_examples=300)
def test_offset_map_round_trips(text):
    norm, _ = normalise(text)
    doc = Document(text)
    Normaliser()(doc)
    assert doc.norm == norm
    # every normalised character maps back to an original character that folds to it
    for i, ch in enumerate(norm):
        j, _ = doc.orig(i, i)
        assert fold(text[j]) == ch
    # any span of the normalised text maps to a span whose folding is that span
    for m in re.finditer(r"\S+", norm):
        s, e = doc.orig(m.start(), m.end())
        assert fold(text[s:e]) == m.group()
        assert 0 <= s <= e <= len(text)


def test_span_keeps_trailing_diacritics():
    doc = Document("في حَلَبَ اليوم")
    Normaliser()(doc)
    s, e, t = doc.span_text(3, 6)
    assert t == "حَلَبَ"


def test_charmap_matches_camel_tools():
    """lexicons/charmap.yaml is generated from camel-tools; it must not drift from it."""
    pytest.importorskip("camel_tools")
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "build_charmap", Path(__file__).resolve().parent.parent / "scripts" / "build_charmap.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    from rasd.lexicons import builtin

    assert builtin("charmap")["fold"] == mod.build()


@given(arabic_text)
@settings(max_examples=200)
def test_tokens_equal_camel_tools(text):
    """Our offset-keeping tokeniser splits like camel-tools' simple_word_tokenize."""
    from camel_tools.tokenizers.word import simple_word_tokenize

    doc = Document(text)
    Normaliser()(doc)
    ours = [t.text for t in doc.tokens]
    assert ours == simple_word_tokenize(doc.norm)
    for t in doc.tokens:
        assert fold(text[t.start:t.end]) == t.text


@given(arabic_text)
@settings(max_examples=200, deadline=None)
def test_normalise_equals_folding_every_character(text: str) -> None:
    """`normalise` replaces character by character (`str.replace`, for speed); the result
    must be what `fold` (`str.translate`) gives."""
    assert normalise(text)[0] == fold(text)
