"""Writers: every format parses back, empty results stay valid, CSV columns are fixed."""
from __future__ import annotations

import csv
import io
import json

import pytest

from rasd.cli.writers import Output, make_writer
from rasd.extractors.fields import EVENT_FIELDS, MENTION_FIELDS

ROWS = [
    {"article": "a", "event": 1, "assoc_actor_1": ["X", "Y"], "casualties": [{"status": "killed", "count": 3}],
     "evidence": "قتل ثلاثة، \"وأصيب\" آخر\nسطر", "fatalities": 3, "injured": None},
    {"article": "b", "event": 1, "fatalities": 0},
]


def render(fmt: str, rows, level="events", excel=False) -> str:
    buf = io.StringIO()
    w = make_writer(fmt, buf, level, excel)
    for r in rows:
        w.write(r)
    w.close()
    return buf.getvalue()


def test_jsonl():
    out = render("jsonl", ROWS)
    assert [json.loads(line) for line in out.splitlines()] == ROWS


def test_json_array():
    assert json.loads(render("json", ROWS)) == ROWS


@pytest.mark.parametrize("fmt, expected", [("json", []), ("jsonl", None), ("csv", None)])
def test_empty_results_are_valid(fmt, expected):
    out = render(fmt, [])
    if fmt == "json":
        assert json.loads(out) == []
    elif fmt == "jsonl":
        assert out == ""
    else:
        assert list(csv.reader(io.StringIO(out))) == [list(EVENT_FIELDS)]


def test_csv_columns_lists_and_casualties():
    out = render("csv", ROWS)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0].keys()) == list(EVENT_FIELDS)
    assert rows[0]["assoc_actor_1"] == "X;Y"
    assert json.loads(rows[0]["casualties"]) == [{"status": "killed", "count": 3}]
    assert rows[0]["evidence"] == ROWS[0]["evidence"]
    assert rows[0]["injured"] == "" and rows[1]["fatalities"] == "0"


def test_csv_mentions_columns_and_excel_bom():
    out = render("csv", [{"article": "a", "kind": "date", "duration": True}], level="mentions", excel=True)
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out[1:])))
    assert list(rows[0].keys()) == list(MENTION_FIELDS)
    assert rows[0]["duration"] == "true"


def test_output_file_is_atomic(tmp_path):
    target = tmp_path / "out.jsonl"
    out = Output(str(target))
    out.stream.write("partial")
    assert not target.exists()
    out.abort()
    assert not target.exists() and list(tmp_path.iterdir()) == []
    out = Output(str(target))
    out.stream.write("done\n")
    out.commit()
    assert target.read_text() == "done\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
