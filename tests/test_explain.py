"""`rasd explain`, run as a user would: plain text when piped, a rich RTL view with --color."""
from __future__ import annotations

import re

from conftest import EXAMPLES, run_rasd
from rich.cells import cell_len

ANSI = re.compile(r"\x1b\[[0-9;]*m")
ARTICLE = EXAMPLES / "idlib-shelling-jabal-al-zawiya.md"


def test_plain_when_piped_lists_every_mention_with_offsets():
    r = run_rasd("explain", str(ARTICLE))
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert "\x1b[" not in out
    assert "article: example-idlib-shelling" in out and "mentions:" in out
    body = out.split("\n\n", 1)[1].split("\n\nmentions:")[0]
    for line in out.split("mentions:\n", 1)[1].splitlines():
        m = re.match(r"  (\w+)\s+(\d+)-(\d+)\s+(.*?)(  → .*)?$", line)
        if not m:
            break
        start, end, text = int(m.group(2)), int(m.group(3)), m.group(4)
        assert body[start:end] == text


def test_rich_view_fits_100_columns_and_is_right_to_left():
    r = run_rasd("explain", str(ARTICLE), "--color")
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert "\x1b[" in out and "legend:" in out
    plain = ANSI.sub("", out)
    assert max(cell_len(line) for line in plain.splitlines()) <= 100
    # the first words of the article appear reversed (visual order) at the right of a line
    assert "لتُق" in plain or "لتق" in plain


def test_logical_and_no_color_options():
    r = run_rasd("explain", str(ARTICLE), "--color", "--logical")
    assert "قُتل ثلاثة" in ANSI.sub("", r.stdout.decode())
    n = run_rasd("explain", str(ARTICLE), "--no-color")
    assert "\x1b[" not in n.stdout.decode()


def test_missing_file_is_a_clear_error():
    r = run_rasd("explain", "does-not-exist.txt")
    assert r.returncode == 1
    assert b"rasd: does-not-exist.txt: no such file or directory" in r.stderr
    assert b"Traceback" not in r.stderr


def test_help_shows_an_example():
    r = run_rasd("explain", "--help")
    assert b"rasd explain examples/" in r.stdout
