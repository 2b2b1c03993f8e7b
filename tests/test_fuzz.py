"""Property tests over the whole pipeline: no exception, exact offsets, valid output.

The default run keeps the example counts small; `pytest -m slow` runs the 10,000-example
profile (documented in the README).
"""
from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import arabic_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasd.cli.readers import Article, ReadFailure, Source, read_source
from rasd.cli.writers import make_writer
from rasd.extractors import Pipeline

WORDS = ["قتل", "مقتل", "أصيب", "اعتقال", "عناصر", "مدنيين", "قوات النظام", "داعش", "قسد", "حلب", "ريف إدلب الجنوبي",
         "أمس", "اليوم الأحد", "الخميس الماضي", "20 آذار", "عام 2018", "ثلاثة", "خمسة عشر", "٢٥", "نحو", "أكثر من",
         "غارة", "قصف", "بلدة", "مدينة", "شرقي", "بين", "و", "في", "على", "،", ".", "\n", "«", "»", "ـ", "\u064e"]
news_like = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
texts = st.one_of(arabic_text, news_like)
PIPE = Pipeline()
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str, published: str | None) -> None:
    res = PIPE.parse(text, published=published)
    for m in res.mentions:
        assert text[m["start"]:m["end"]] == m["text"]
    for ev in res.events:
        assert text[ev["evidence_start"]:ev["evidence_end"]] == ev["evidence"]
        for c in ev["casualties"]:
            assert text[c["start"]:c["end"]] == c["text"]
    for level, rows in (("events", res.events), ("mentions", res.mentions)):
        for fmt in ("jsonl", "json", "csv"):
            buf = io.StringIO()
            w = make_writer(fmt, buf, level)
            for r in rows:
                w.write(r)
            w.close()
            out = buf.getvalue()
            if fmt == "json":
                assert len(json.loads(out)) == len(rows)
            elif fmt == "jsonl":
                assert len([json.loads(x) for x in out.splitlines()]) == len(rows)
            else:
                assert len(list(csv.reader(io.StringIO(out)))) == len(rows) + 1


@given(texts, st.sampled_from([None, "2018-03-01", "2024-12-31", "2025-01-01"]))
@settings(max_examples=150, **SETTINGS)
def test_pipeline_never_raises(text, published):
    check(text, published)


front_values = st.one_of(st.none(), st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=3),
                         st.sampled_from(["2024-05-27", "yesterday", "[", "{a: 1}", "2024-13-45"]))
front = st.dictionaries(st.sampled_from(["id", "title", "published", "date", "source", "url", "country", "x"]),
                        front_values, max_size=5)


@given(front, texts)
@settings(max_examples=100, **SETTINGS)
def test_random_front_matter_never_raises(fm, body):
    head = "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in fm.items()) + "---\n"
    for item in read_source(Source(display="-", data=(head + body).encode())):
        assert isinstance(item, (Article, ReadFailure))
        if isinstance(item, Article):
            check(item.text, item.meta.published.isoformat() if item.meta.published else None)


@pytest.mark.slow
@given(texts, st.sampled_from([None, "2018-03-01", "2025-01-01"]))
@settings(max_examples=10_000, **SETTINGS)
def test_pipeline_never_raises_10k(text, published):
    check(text, published)
