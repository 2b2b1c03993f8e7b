"""Input reading: front matter, JSON/JSONL, encodings, dates, ids, and every bad input."""
from __future__ import annotations

import datetime as dt

import pytest

from rasd.cli.readers import (
    Article,
    ReadFailure,
    Source,
    date_from_name,
    decode,
    list_sources,
    read_source,
    split_front_matter,
)

ARTICLE = "قُتل مدنيان في قصف على ريف إدلب الجنوبي أمس.\n"


def read(path, published=None, rel=None):
    return list(read_source(Source(display=str(path), path=path, rel=rel or path.name), published))


def test_plain_text_article(write):
    [a] = read(write("a.txt", ARTICLE))
    assert isinstance(a, Article)
    assert a.text == ARTICLE
    assert a.meta.id == "a.txt"
    assert a.meta.published is None


def test_front_matter_body_starts_at_offset_zero(write):
    p = write("b.md", "---\nid: x1\npublished: 2024-05-27\ntitle: عنوان\nsource: SOHR\n---\n" + ARTICLE)
    [a] = read(p)
    assert a.text == ARTICLE
    assert (a.meta.id, a.meta.published, a.meta.title, a.meta.source) == ("x1", dt.date(2024, 5, 27), "عنوان", "SOHR")


def test_front_matter_keeps_crlf_line_endings(write):
    p = write("c.txt", "---\r\nid: c\r\n---\r\nسطر أول\r\nسطر ثان\r\n")
    [a] = read(p)
    assert a.text == "سطر أول\r\nسطر ثان\r\n"


@pytest.mark.parametrize(
    "front, expected",
    [
        ("published: 2020-01-02", dt.date(2020, 1, 2)),
        ("date: '2021-03-04'", dt.date(2021, 3, 4)),
        ("published: 2022-05-06T10:30:00", dt.date(2022, 5, 6)),
        ("published: '2019-07-08 09:00'", dt.date(2019, 7, 8)),
    ],
)
def test_published_from_front_matter(write, front, expected):
    [a] = read(write("2011-01-01-x.txt", f"---\n{front}\n---\n{ARTICLE}"))
    assert a.meta.published == expected


def test_published_precedence(write):
    p = write("report-2018-02-03.txt", "---\npublished: 2020-01-02\n---\n" + ARTICLE)
    assert read(p)[0].meta.published == dt.date(2020, 1, 2)
    assert read(p, published=dt.date(2024, 1, 1))[0].meta.published == dt.date(2024, 1, 1)
    q = write("report-2018-02-03b.txt", ARTICLE)
    assert read(q)[0].meta.published == dt.date(2018, 2, 3)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("2024-05-27-aleppo.txt", dt.date(2024, 5, 27)),
        ("BB-middleEast-12-20180218.txt", dt.date(2018, 2, 18)),
        ("report_20240230.txt", None),
        ("id-123456789.txt", None),
        ("plain.txt", None),
    ],
)
def test_date_from_file_name(name, expected):
    assert date_from_name(name) == expected


def test_json_article(write):
    p = write("a.json", '{"id": 7, "body": "نص الخبر", "published": "2024-01-02", "country": "Syria"}')
    [a] = read(p)
    assert (a.meta.id, a.text, a.meta.country, a.meta.published) == ("7", "نص الخبر", "Syria", dt.date(2024, 1, 2))


def test_jsonl_ids_and_broken_line(write):
    p = write("feed.jsonl", '{"text": "خبر أول"}\n{broken\n\n{"id": "k", "content": "خبر ثالث"}\n')
    out = read(p, rel="sub/feed.jsonl")
    assert [type(o).__name__ for o in out] == ["Article", "ReadFailure", "Article"]
    assert out[0].meta.id == "sub/feed.jsonl:1"
    assert out[1].display.endswith("feed.jsonl:2") and "invalid JSON" in out[1].reason
    assert out[2].meta.id == "k"


def test_stdin_text_and_jsonl():
    [a] = list(read_source(Source(display="-", data=ARTICLE.encode())))
    assert a.meta.id == "-" and a.text == ARTICLE
    arts = list(read_source(Source(display="-", data=b'{"text": "x"}\n{"text": "y", "id": "q"}\n')))
    assert [x.meta.id for x in arts] == ["-:1", "q"]


@pytest.mark.parametrize(
    "data, text",
    [
        ("خبر عاجل".encode(), "خبر عاجل"),
        (b"\xef\xbb\xbf" + "خبر".encode(), "خبر"),
        (b"\xff\xfe" + "خبر".encode("utf-16-le"), "خبر"),
        (b"\xfe\xff" + "خبر".encode("utf-16-be"), "خبر"),
        ("قتل ثلاثة مدنيين في حلب".encode("cp1256"), "قتل ثلاثة مدنيين في حلب"),
    ],
)
def test_decode(data, text):
    assert decode(data) == text


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (bytes(range(1, 32)) * 20, "binary file"),
        ("Ceci n'est pas de l'arabe, élève".encode("latin-1"), "unknown encoding"),
        (b"---\ntitle: [unclosed\n---\n" + ARTICLE.encode(), "front matter: invalid YAML"),
        (b"---\nid: x\n" + ARTICLE.encode(), "no closing '---'"),
        (b"---\n- a\n- b\n---\n" + ARTICLE.encode(), "expected 'key: value'"),
        (b"---\npublished: yesterday\n---\n" + ARTICLE.encode(), "not a date"),
        (b"---\nid: x\n---\n\n", "no article text"),
    ],
)
def test_bad_inputs_fail_with_reason(write, content, reason):
    [f] = read(write("bad.txt", content))
    assert isinstance(f, ReadFailure)
    assert reason in f.reason


def test_bad_json(write):
    [f] = read(write("x.json", "{not json"))
    assert isinstance(f, ReadFailure) and "invalid JSON" in f.reason
    [g] = read(write("y.json", '{"title": "بلا نص"}'))
    assert isinstance(g, ReadFailure) and "no 'text'" in g.reason


def test_listing_is_recursive_sorted_and_filtered(tmp_path, write):
    for name in ["b/2.txt", "b/1.md", "a.json", "a.gold.json", "z.jsonl", "notes.csv", ".hidden.txt", "c/d/e.txt"]:
        write(name, ARTICLE)
    got = [s.rel for s in list_sources([str(tmp_path)])]
    assert got == ["a.json", "z.jsonl", "b/1.md", "b/2.txt", "c/d/e.txt"]


def test_listing_failures(tmp_path):
    (tmp_path / "empty").mkdir()
    [f] = list(list_sources([str(tmp_path / "empty")]))
    assert isinstance(f, ReadFailure) and "no articles" in f.reason
    [g] = list(list_sources([str(tmp_path / "missing")]))
    assert isinstance(g, ReadFailure) and "no such file" in g.reason


def test_split_front_matter_without_front_matter():
    assert split_front_matter("--- not front matter") == ({}, "--- not front matter")


@pytest.mark.parametrize(
    "front",
    [
        'id: "a1"\npublished: "2018-05-11"\ntitle: "قصف \\"عنيف\\" على حلب"',  # fast path
        'id: "a\\\\b"\nurl: "https://x.org/a?b=1"',  # fast path, escaped backslash
        'id: a1\npublished: 2018-05-11',  # plain scalars: YAML reads the date
        'id: "a1"\nid: "a2"',  # duplicate key: YAML decides
        'title: "tab\\there"',  # another escape: YAML decides
        'yes: "x"',  # a key YAML reads as a boolean
    ],
)
def test_front_matter_fast_path_reads_as_yaml_does(front):
    """Simple `key: "value"` front matter skips YAML; the result must be YAML's own."""
    import yaml

    fields, body = split_front_matter(f"---\n{front}\n---\n{ARTICLE}")
    assert fields == yaml.safe_load(front)
    assert body == ARTICLE
