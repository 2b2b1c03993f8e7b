"""The stage registry, the Pipeline contract and offset plumbing through a test stage."""
from __future__ import annotations

import pickle
import re

import pytest
from conftest import arabic_text
from hypothesis import given, settings

from rasd.extractors import CasualtyMention, Document, Pipeline, Result, StageError, stage
from rasd.extractors.normalise import fold


class MarkNumbers:
    """A stage defined here (not shipped) that marks every number: proves offsets survive."""

    name = "marknumbers"
    requires = ("segment",)
    assigns = ("casualties",)

    def __call__(self, doc: Document) -> None:
        for m in re.finditer(r"\d+", doc.norm):
            s, e, t = doc.span_text(m.start(), m.end())
            doc.casualties.append(CasualtyMention(t, s, e, doc.sentence_index(m.start()), count=int(m.group())))


def pipeline_with_marker() -> Pipeline:
    from rasd.extractors.normalise import Normaliser
    from rasd.extractors.segment import Segmenter

    return Pipeline([Normaliser(), Segmenter(), MarkNumbers()])


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("قُتِلَ ٣ مدنيين وأُصيب ١٢ آخرون", [3, 12]),
        ("مقتـــل ۲۵ عنصراً في ٢٠٢٤/٥/٢٠", [25, 2024, 5, 20]),
        ("«قتل ٧» و“أصيب 4”، ثم؛ ١٠٠؟", [7, 4, 100]),
        ("\u200fقُتِّلَ\u200c ٤٢\u0651", [42]),
    ],
)
def test_offsets_exact_through_a_stage(text, numbers):
    res = pipeline_with_marker().parse(text)
    assert [m["count"] for m in res.mentions] == numbers
    for m in res.mentions:
        assert text[m["start"]:m["end"]] == m["text"]


@given(arabic_text)
@settings(max_examples=200)
def test_offsets_exact_for_random_text(text):
    res = pipeline_with_marker().parse(text)
    for m in res.mentions:
        assert text[m["start"]:m["end"]] == m["text"]
        assert int(fold(m["text"])) == m["count"]


def test_default_pipeline_parses_and_result_pickles():
    res = Pipeline().parse("قتل ثلاثة مدنيين في حلب أمس", published="2024-05-27", id="x", source="test")
    assert isinstance(res, Result)
    assert res.article == "x"
    again = pickle.loads(pickle.dumps(res))
    assert again == res


def test_stage_order_is_checked():
    with pytest.raises(ValueError, match="needs"):
        Pipeline([MarkNumbers()])


def test_unknown_stage_name():
    with pytest.raises(ValueError, match="unknown stage"):
        Pipeline(["normalise", "nope"])


def test_registered_stage_runs_by_name():
    @stage("test_upper", requires=("normalise",), assigns=())
    class Upper:
        def __init__(self, lexicon_dirs=()):
            pass

        def __call__(self, doc):
            doc.meta.title = "seen"

    doc = Pipeline(["normalise", "test_upper"]).run(Document("نص"))
    assert doc.meta.title == "seen"
    assert doc.done == {"normalise", "test_upper"}


def test_stage_exception_becomes_stage_error():
    class Boom:
        name, requires, assigns = "boom", (), ()

        def __call__(self, doc):
            raise KeyError("x")

    with pytest.raises(StageError, match="boom"):
        Pipeline([Boom()]).parse("نص")
