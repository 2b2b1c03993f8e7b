"""Hostile folders, interrupts, failing stages, determinism, no network (issue 9).

Every hostile input is generated here; nothing binary is committed.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_rasd

GOOD = "---\nid: good\npublished: 2024-05-27\n---\nقُتل ثلاثة مدنيين بقصف على بلدة البارة في ريف إدلب الجنوبي أمس.\n"


def make_article(i: int) -> str:
    towns = ["البارة", "كنصفرة", "سراقب", "معرة النعمان", "الأتارب", "دارة عزة"]
    return (f"---\nid: a{i:05d}\npublished: 2024-0{1 + i % 9}-1{i % 10}\n---\n"
            f"قصف مدفعي على بلدة {towns[i % len(towns)]}\n"
            f"قُتل {i % 7 + 1} مدنيين وأصيب {i % 5} آخرون اليوم بقصف لقوات النظام على بلدة {towns[i % len(towns)]}.\n")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    d = tmp_path / "hostile"
    (d / "deep" / "a" / "b" / "c" / "d" / "e").mkdir(parents=True)
    w = lambda name, data: (d / name).write_bytes(data)  # noqa: E731
    w("good.txt", GOOD.encode())
    w("cp1256.txt", "قتل شخصان في حمص أمس".encode("cp1256"))
    w("utf16le.txt", b"\xff\xfe" + "أصيب ثلاثة في درعا".encode("utf-16-le"))
    w("utf16be.txt", b"\xfe\xff" + "أصيب ثلاثة في درعا".encode("utf-16-be"))
    w("utf8bom.txt", b"\xef\xbb\xbf" + "قتل مدني في حلب".encode())
    w("latin1.txt", "Un événement à Alep, déclaré « grave »".encode("latin-1"))
    w("crlf.txt", "سطر أول\r\nقتل عنصر في إدلب\rسطر ثالث\n".encode())
    w("nul.txt", "قتل".encode() + b"\x00\x00" + "شخص".encode())
    w("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    w("zero.txt", b"")
    w("blank.md", b"   \n\t \r\n")
    w("name with spaces و عربي.txt", "قتل شخص في حماة".encode())
    w("deep/a/b/c/d/e/nested.txt", "قتل شخص في طرطوس".encode())
    w("unclosed.md", b"---\nid: x\ntitle: t\n" + "نص".encode())
    w("nonmapping.md", b"---\n- 1\n- 2\n---\n" + "نص".encode())
    w("badtype.md", b"---\npublished: [2024]\n---\n" + "نص".encode())
    w("feed.jsonl", b'{"id": "j1", "text": "\xd9\x82\xd8\xaa\xd9\x84 \xd8\xb4\xd8\xae\xd8\xb5"}\n{oops\n{"id": "j3", "text": "x"}\n')
    w("page.txt", "<div class='post'><p>قُتل <b>ثلاثة</b> مدنيين في <a href='#'>دوما</a></p></div>".encode())
    os.symlink(d / "deep", d / "deep" / "a" / "loop")
    return d


def test_hostile_folder_reports_each_bad_file_and_goes_on(hostile, tmp_path):
    out = tmp_path / "out.jsonl"
    r = run_rasd("parse", str(hostile), "--level", "mentions", "-o", str(out))
    err = r.stderr.decode()
    assert r.returncode == 1
    assert "Traceback" not in err
    expected = {
        "latin1.txt": "unknown encoding", "nul.txt": "binary file", "image.txt": "binary file",
        "zero.txt": "empty file", "blank.md": "empty file", "unclosed.md": "no closing '---'",
        "nonmapping.md": "expected 'key: value'", "badtype.md": "not a date", "feed.jsonl:2": "invalid JSON",
    }
    lines = [x for x in err.splitlines() if x.startswith("rasd: /")]
    reported = {x[len(f"rasd: {hostile}/"):].split(": ", 1)[0]: x.split(": ", 2)[2] for x in lines}
    for name, reason in expected.items():
        assert reason in reported.get(name, ""), (name, reported)
    assert len(lines) == len(expected)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    arts = {row["article"] for row in rows}
    assert {"good", "j1"} <= arts or "good" in arts
    summary = err.strip().splitlines()[-1]
    assert f"{len(expected)} failed" in summary


def test_strict_stops_at_first_bad_file(hostile, tmp_path):
    out = tmp_path / "out.csv"
    r = run_rasd("parse", str(hostile), "--strict", "-f", "csv", "-o", str(out))
    assert r.returncode == 1
    assert len([x for x in r.stderr.decode().splitlines() if x.startswith("rasd: /")]) == 1
    assert not out.exists() and not list(tmp_path.glob(".out.csv*"))


def test_file_deleted_between_listing_and_reading(tmp_path):
    from rasd.cli.readers import ReadFailure, list_sources, read_source

    (tmp_path / "a.txt").write_text("نص", encoding="utf-8")
    [src] = list(list_sources([str(tmp_path)]))
    (tmp_path / "a.txt").unlink()
    [f] = list(read_source(src))
    assert isinstance(f, ReadFailure) and "No such file" in f.reason


def test_oversized_article_is_refused_without_reading(tmp_path):
    big = tmp_path / "dump.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing read
    r = run_rasd("parse", str(big))
    assert r.returncode == 1
    assert b"file too large (52.4 MB" in r.stderr


def test_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their permissions")
    p = tmp_path / "secret.txt"
    p.write_text("نص", encoding="utf-8")
    p.chmod(0)
    r = run_rasd("parse", str(p))
    assert r.returncode == 1 and b"Permission denied" in r.stderr


def test_failing_stage_marks_article_failed_in_one_and_many_processes(tmp_path, monkeypatch):
    from rasd.cli import runner
    from rasd.cli.readers import list_sources
    from rasd.extractors import Pipeline as RealPipeline

    class Boom:
        name, requires, assigns = "boom", ("segment",), ()

        def __call__(self, doc):
            if "BOOM" in doc.text:
                raise ValueError("bad luck")

    def pipeline(lexicon_dirs=()):
        p = RealPipeline(lexicon_dirs=lexicon_dirs)
        p.stages.append(Boom())
        p.timings["boom"] = 0.0
        return p

    monkeypatch.setattr(runner, "Pipeline", pipeline)
    monkeypatch.setattr(runner, "_PIPELINE", None)
    for i in range(6):
        (tmp_path / f"{i}.txt").write_text("قتل شخص BOOM" if i == 2 else "قتل شخص", encoding="utf-8")
    for jobs in (1, 2):
        srcs = list(list_sources([str(tmp_path)]))
        outcomes = [o for batch in runner.run(srcs, jobs=jobs, level="mentions", published=None) for o in batch]
        errors = [o for o in outcomes if o.error]
        assert len(outcomes) == 6 and len(errors) == 1
        assert "stage 'boom'" in errors[0].error and errors[0].display.endswith("2.txt")
        monkeypatch.setattr(runner, "_PIPELINE", None)


def test_output_is_deterministic_across_runs_and_jobs(tmp_path):
    d = tmp_path / "many"
    d.mkdir()
    for i in range(300):
        (d / f"{i:04d}.txt").write_text(make_article(i), encoding="utf-8")
    outs = []
    for jobs in ("1", "2", "3", "1"):
        r = run_rasd("parse", str(d), "--jobs", jobs, "-q", "--level", "mentions")
        assert r.returncode == 0
        outs.append(r.stdout)
    assert outs[0] and all(o == outs[0] for o in outs)
    ev1 = run_rasd("parse", str(d), "-q", "-f", "csv").stdout
    ev2 = run_rasd("parse", str(d), "-q", "-f", "csv", "--jobs", "2").stdout
    assert ev1 == ev2


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupt_leaves_no_output_and_no_workers(tmp_path, sig, code):
    d = tmp_path / f"interrupt-{code}"
    d.mkdir()
    for i in range(4000):
        (d / f"{i:05d}.txt").write_text(make_article(i), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    exe = Path(sys.executable).with_name("rasd")
    proc = subprocess.Popen([str(exe), "parse", str(d), "--jobs", "2", "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)
    assert proc.poll() is None, "finished before the signal; make the folder bigger"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert b"no output file written" in err and b"Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".out.jsonl*"))
    time.sleep(0.5)
    ps = subprocess.run(["pgrep", "-f", str(d)], capture_output=True, text=True)
    assert ps.stdout.strip() == "", "stray worker processes"


def test_no_network_at_run_time(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("rasd tried to open a network socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from rasd.extractors import Pipeline

    res = Pipeline().parse("قُتل ثلاثة مدنيين بقصف على ريف إدلب الجنوبي أمس.", published="2024-05-27")
    assert res.article == "-"


def test_front_matter_paths_are_never_opened(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    art = tmp_path / "in" / "a.md"
    art.parent.mkdir()
    art.write_text(f"---\nid: x\nurl: file://{secret}\nsource: {secret}\n---\nنص قصير\n", encoding="utf-8")
    r = run_rasd("parse", str(art.parent), "--level", "mentions", "-q")
    assert b"SECRET" not in r.stdout


@pytest.mark.slow
def test_ten_thousand_files_in_flat_memory(tmp_path):
    """`pytest -m slow`: 10,000 generated articles in one folder, --jobs 2; peak RSS reported."""
    import resource

    d = tmp_path / "ten-thousand"
    d.mkdir()
    for i in range(10_000):
        (d / f"{i:05d}.txt").write_text(make_article(i), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    exe = Path(sys.executable).with_name("rasd")
    t0 = time.perf_counter()
    proc = subprocess.run([str(exe), "parse", str(d), "--jobs", "2", "-o", str(out)], capture_output=True)
    wall = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert b"10000 articles read, 0 failed" in proc.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) >= 10_000
    print(f"\n10,000 files: {wall:.1f} s, peak RSS of the largest process {rss_mb:.0f} MB")
    assert rss_mb < 400
