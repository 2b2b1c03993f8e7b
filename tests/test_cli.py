"""End to end: run `rasd` as a user would, on the bundled examples and on bad folders."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from conftest import EXAMPLES, run_rasd

from rasd.extractors.fields import EVENT_FIELDS, MENTION_FIELDS


def test_version_and_help():
    r = run_rasd("--version")
    assert r.returncode == 0 and r.stdout.decode().startswith("rasd ")
    h = run_rasd("parse", "--help")
    assert h.returncode == 0 and b"rasd parse examples/" in h.stdout


def test_mentions_jsonl_have_exact_offsets():
    r = run_rasd("parse", str(EXAMPLES), "-f", "jsonl", "--level", "mentions")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.decode().splitlines()]
    texts = {}
    for row in rows:
        assert set(row) <= set(MENTION_FIELDS)
        if row["article"] not in texts:
            texts[row["article"]] = article_text(row["article"])
        assert texts[row["article"]][row["start"]:row["end"]] == row["text"]


def article_text(aid: str) -> str:
    from rasd.cli.readers import Source, read_source

    for p in sorted(EXAMPLES.iterdir()):
        for a in read_source(Source(display=str(p), path=p, rel=p.name)):
            if a.meta.id == aid:
                return a.text
    raise KeyError(aid)


def test_json_and_csv_formats_parse_back(tmp_path):
    j = run_rasd("parse", str(EXAMPLES), "-f", "json")
    assert j.returncode == 0
    events = json.loads(j.stdout)
    assert isinstance(events, list)
    c = run_rasd("parse", str(EXAMPLES), "-f", "csv", "--excel")
    assert c.returncode == 0
    text = c.stdout.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert rows == [] or list(rows[0]) == list(EVENT_FIELDS)
    assert len(rows) == len(events)
    out = tmp_path / "out.csv"
    o = run_rasd("parse", str(EXAMPLES), "-o", str(out), "-f", "csv")
    assert o.returncode == 0 and o.stdout == b""
    assert next(csv.reader(io.StringIO(out.read_text(encoding="utf-8")))) == list(EVENT_FIELDS)


def test_summary_on_stderr_and_quiet():
    r = run_rasd("parse", str(EXAMPLES))
    assert b"articles read" in r.stderr and b"articles/s" in r.stderr
    q = run_rasd("parse", str(EXAMPLES), "--quiet")
    assert q.stderr == b""


def test_stdin_with_published():
    r = run_rasd("parse", "-", "--published", "2024-05-27", "--level", "mentions", "-q",
                 input="قتل ثلاثة مدنيين في حلب أمس".encode())
    assert r.returncode == 0, r.stderr
    for line in r.stdout.decode().splitlines():
        assert json.loads(line)["article"] == "-"


def test_jobs_gives_identical_output():
    one = run_rasd("parse", str(EXAMPLES), "--level", "mentions", "-q")
    two = run_rasd("parse", str(EXAMPLES), "--level", "mentions", "-q", "--jobs", "2")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout


@pytest.fixture
def messy(tmp_path):
    d = tmp_path / "messy"
    shutil.copytree(EXAMPLES, d)
    (d / "zz-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (d / "zz-empty.txt").write_bytes(b"")
    (d / "zz-cp1256.txt").write_bytes("قتل شخص في حمص أمس".encode("cp1256"))
    (d / "zz-utf16.txt").write_bytes(b"\xff\xfe" + "أصيب شخصان في درعا".encode("utf-16-le"))
    (d / "zz-broken.md").write_text("---\ntitle: [x\n---\nنص", encoding="utf-8")
    return d


def test_bad_files_are_reported_and_the_run_goes_on(messy, tmp_path):
    out = tmp_path / "o.jsonl"
    r = run_rasd("parse", str(messy), "--level", "mentions", "-o", str(out))
    err = r.stderr.decode()
    assert r.returncode == 1
    assert f"rasd: {messy / 'zz-binary.txt'}: binary file" in err
    assert f"rasd: {messy / 'zz-empty.txt'}: empty file" in err
    assert f"rasd: {messy / 'zz-broken.md'}: front matter: invalid YAML" in err
    assert "zz-cp1256" not in err and "zz-utf16" not in err
    assert "Traceback" not in err
    n_examples = len([p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".md", ".json", ".jsonl")])
    assert f"{n_examples + 2} articles read, 3 failed" in err
    assert out.exists()


def test_strict_stops_and_leaves_no_file(messy, tmp_path):
    out = tmp_path / "o.jsonl"
    r = run_rasd("parse", str(messy), "--strict", "-o", str(out))
    assert r.returncode == 1
    assert b"--strict" in r.stderr
    assert not out.exists()
    assert list(tmp_path.glob(".o.jsonl*")) == []


def test_missing_path_and_empty_dir(tmp_path):
    (tmp_path / "empty").mkdir()
    r = run_rasd("parse", str(tmp_path / "nope"), str(tmp_path / "empty"), "-f", "json")
    assert r.returncode == 1
    assert json.loads(r.stdout) == []
    assert b"no such file or directory" in r.stderr and b"no articles found" in r.stderr


@pytest.mark.parametrize(
    "args",
    [["parse"], ["parse", "x", "-f", "xml"], ["parse", "x", "--published", "27/05/2024"],
     ["parse", "x", "--jobs", "0"], ["nonsense"]],
)
def test_usage_errors_exit_2(args):
    r = run_rasd(*args)
    assert r.returncode == 2
    assert b"Traceback" not in r.stderr


def test_shell_completion_script():
    r = run_rasd("--show-completion", "bash")
    assert r.returncode == 0 and b"complete" in r.stdout


def test_every_command_help_shows_an_example():
    for args in (["parse"], ["explain"], ["eval"], ["lexicons", "check"]):
        r = run_rasd(*args, "--help")
        assert r.returncode == 0 and b"Examples:" in r.stdout, args
