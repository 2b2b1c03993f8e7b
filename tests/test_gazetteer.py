"""The gazetteer: YAML ↔ cache sync, the name index, and the data's invariants."""
from __future__ import annotations

import pickle
import re

import pytest
from conftest import arabic_text
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.extractors import gazetteer
from rasd.extractors.gazetteer import CACHE, NameIndex, Tokens
from rasd.extractors.normalise import fold

OCHA_ADMIN1 = {"Damascus", "Aleppo", "Rural Damascus", "Homs", "Hama", "Lattakia", "Idleb", "Al-Hasakeh",
               "Deir-ez-Zor", "Tartous", "Ar-Raqqa", "Dar'a", "As-Sweida", "Quneitra"}


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


def test_cache_is_in_sync_with_the_yaml() -> None:
    """Rebuild with `python scripts/build_gazetteer.py --cache-only` after editing YAML."""
    with CACHE.open("rb") as fh:
        cached = pickle.load(fh)
    assert cached.digest == gazetteer.digest(), "gazetteer.pickle is stale: run scripts/build_gazetteer.py --cache-only"
    fresh = gazetteer.compile_gazetteer()
    assert len(fresh.places) == len(cached.places)
    assert fresh.names.values == cached.names.values


def test_syria_uses_ocha_admin1_names(gaz: gazetteer.Gazetteer) -> None:
    syria = {p.admin1 for p in gaz.places if p.country == "Syria" and p.admin1}
    assert syria == OCHA_ADMIN1


def test_ids_are_unique(gaz: gazetteer.Gazetteer) -> None:
    ids = [p.id for p in gaz.places]
    assert len(ids) == len(set(ids))


def test_coverage(gaz: gazetteer.Gazetteer) -> None:
    assert sum(p.feature == "governorate" and p.country == "Syria" for p in gaz.places) == 14
    assert sum(p.feature == "district" and p.country == "Syria" for p in gaz.places) == 62
    assert sum(p.id.startswith("C") for p in gaz.places) > 7600
    assert sum(p.feature == "neighbourhood" and p.country == "Syria" for p in gaz.places) > 400


@pytest.mark.parametrize(("name", "place_id"), [
    ("حلب", "C1007"), ("قاعدة التنف", "rasd:tanf"), ("كوباني", "C1946"), ("الطبقة", "C8745"),
    ("ديرالزور", "C5086"), ("سورية", "SY"), ("إسرائيل", "iso3166:IL"), ("مخيم الركبان", "rasd:rukban"),
])
def test_names_reach_their_place(gaz: gazetteer.Gazetteer, name: str, place_id: str) -> None:
    ids = {gaz.places[i].id for i in gaz.names.values[" ".join(fold(name).split())]}
    assert place_id in ids


def test_countries_have_no_admin1(gaz: gazetteer.Gazetteer) -> None:
    assert all(p.admin1 is None for p in gaz.places if p.feature == "country")


def _spans(index: NameIndex, text: str) -> list[tuple[str, str]]:
    norm = fold(text)
    return [(norm[m.nstart:m.nend], m.clitic) for m in index.iter(norm)]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    ix = NameIndex()
    for i, name in enumerate(["حلب", "ريف دمشق", "اليمن", "طريق حمص - دمشق", "دمشق", "حمص", "لبنان"]):
        ix.add(fold(name), i)
    return ix


@pytest.mark.parametrize(("text", "expected"), [
    ("في حلب", [("حلب", "")]),
    ("وبحلب", [("حلب", "وب")]),
    ("فلحلب", [("حلب", "فل")]),
    ("حلبية", []),                          # glued to more letters: another word
    ("مستحلب", []),                          # letters before that are not a proclitic
    ("وبريف دمشق", [("ريف دمشق", "وب"), ("دمشق", "")]),
    ("لليمن", [("يمن", "ل")]),                # fused ل + ال: the span leaves out the ل
    ("للبنان", [("لبنان", "ل")]),
    ("على طريق حمص - دمشق", [("طريق حمص - دمشق", ""), ("حمص", ""), ("دمشق", "")]),
    ("حمص، دمشق", [("حمص", ""), ("دمشق", "")]),
    ("قصف على (حلب) أمس", [("حلب", "")]),     # punctuation glued to the name
    ("وصل إلى ريف\nدمشق", [("دمشق", "")]),    # a line break ends a name
    ("طريق حمص–دمشق", [("طريق حمص-دمشق", ""), ("حمص", ""), ("دمشق", "")]),  # en dash, folded
    ("قصف 3حلب", []),                         # a digit glued in front: another word
    ("حلب_2024", [("حلب", "")]),               # "_" separates words, as punctuation
])
def test_name_index_matching(index: NameIndex, text: str, expected: list[tuple[str, str]]) -> None:
    assert sorted(_spans(index, text)) == sorted(expected)


def test_landmark_extension_of_unknown_id_is_an_error(tmp_path) -> None:
    (tmp_path / "places").mkdir()
    (tmp_path / "places" / "mine.yaml").write_text("places:\n  - {id: NOPE, alt: [x]}\n", encoding="utf-8")
    with pytest.raises(gazetteer.LexiconError):
        gazetteer.compile_gazetteer((str(tmp_path),))


def test_user_overlay_adds_a_place(tmp_path) -> None:
    (tmp_path / "places").mkdir()
    (tmp_path / "places" / "mine.yaml").write_text(
        "places:\n  - {id: 'rasd:test-farm', name: Test Farm, ar: مزرعة الاختبار, feature: village,"
        " country: Syria, admin1: Homs, lat: 34.7, lon: 36.7}\n", encoding="utf-8")
    gaz = gazetteer.compile_gazetteer((str(tmp_path),))
    assert "مزرعة الاختبار" in gaz.names


_WORD = re.compile(r"[^\W_]+")


def _check_tokens(norm: str) -> None:
    """Tokens agree with a plain regex tokenisation: same words, offsets, separators."""
    toks = Tokens(norm)
    spans = [m.span() for m in _WORD.finditer(norm)]
    assert toks.words == [norm[s:e] for s, e in spans]
    assert len(toks.seps) == max(len(spans) - 1, 0)
    assert [(toks.start(i), toks.end(i)) for i in range(toks.n)] == spans
    for i in range(len(spans) - 1):
        gap = norm[spans[i][1]:spans[i + 1][0]]
        assert toks.gap(i) == gap
        assert toks.spaced(i) == gap.isspace()
        assert toks.seps[i] == gap.replace("\n", " ")


@pytest.mark.parametrize("norm", [
    "",
    "   ",
    "قتل 3 مدنيين في حلب, وادلب.",
    "قال \"المرصد\": ان القصف طال (ريف دمشق) امس",
    "  بدات   الاشتباكات\n\nفي  مدينة  درعا  ",
    "طريق حمص - دمشق الدولي -- مغلق",
    "2024-05-27 حلب/ادلب حلب_ادلب x_y",
    "حلب\u200cالشرقيه و\u200fدمشق",
    "ال ال الال ال. ال",                  # a word that hits inside others
    "علي علي, عليه علي",
])
def test_tokens_match_regex_words(norm: str) -> None:
    _check_tokens(norm)


@settings(max_examples=300, deadline=None)
@given(arabic_text)
def test_tokens_property(text: str) -> None:
    _check_tokens(fold(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["حلب", "ال", "علي", "عليه", "و", "وحلب", ",", "-", "\n", "  ", "(", "5"]), max_size=40))
def test_offsets_with_repeated_words(pieces: list[str]) -> None:
    """Each occurrence of a repeated word gets its own offset, not a hit inside another word."""
    norm = " ".join(pieces)
    toks = Tokens(norm)
    spans = [m.span() for m in _WORD.finditer(norm)]
    assert [(toks.start(i), toks.end(i)) for i in range(toks.n)] == spans
