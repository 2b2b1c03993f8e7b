"""`rasd lexicons check` and broken `--lexicons` folders, run as a user would."""
from __future__ import annotations

import pytest
from conftest import run_rasd

GOOD_PLACES = """places:
  - {id: "rasd:tal-hamid", name: Tal Hamid, ar: تل حميد, feature: village, country: Syria,
     admin1: Idleb, lat: 35.91, lon: 36.63}
"""


def test_builtin_lexicons_are_valid():
    r = run_rasd("lexicons", "check")
    assert r.returncode == 0, r.stdout.decode()[:2000]
    assert b"lexicons OK" in r.stderr


def test_good_user_folder(tmp_path):
    (tmp_path / "places.yaml").write_text(GOOD_PLACES, encoding="utf-8")
    r = run_rasd("lexicons", "check", str(tmp_path))
    assert r.returncode == 0, r.stdout


@pytest.mark.parametrize(
    "content, line, message",
    [
        ("places:\n  - {id: x, name: [unclosed\n", 3, ""),
        ("places:\n  - id: rasd:a\n    name: A\n    feature: village\n    country: Syria\n    lat: 35.1\n    lon: 36.2\n",
         2, "missing 'ar'"),
        ("places:\n  - {id: rasd:b, name: B, ar: ب, feature: village, country: Syria, lat: 36.2, lon: 35.1}\n"
         "  - {id: rasd:c, name: C, ar: ج, feature: village, country: Syria, lat: 3.5, lon: 36.2}\n", 3, "outside Syria"),
        ("places:\n  - {id: rasd:d, name: D, ar: د, feature: planet, country: Syria, lat: 35.1, lon: 36.2}\n", 2,
         "unknown feature"),
        ("places:\n  - {id: NOPE123, alt: [مكان]}\n", 2, "unknown place id"),
        ("classes:\n  my_raids:\n    event_type: Battles\n    sub_event_type: Picnic\n    words: [نزهة]\n", 3,
         "not an ACLED"),
        ("- just\n- a list\n", 1, "mapping at the top level"),
    ],
)
def test_errors_are_file_line_messages(tmp_path, content, line, message):
    f = tmp_path / "mine.yaml"
    f.write_text(content, encoding="utf-8")
    r = run_rasd("lexicons", "check", str(tmp_path))
    out = r.stdout.decode()
    assert r.returncode == 1
    assert any(x.startswith(f"{f}:{line}: ") and message in x for x in out.splitlines()), out
    assert b"Traceback" not in r.stderr


def test_parse_with_broken_user_lexicon_is_a_usage_error(tmp_path):
    (tmp_path / "bad.yaml").write_text("places: [\n", encoding="utf-8")
    r = run_rasd("parse", "-", "--lexicons", str(tmp_path), input="قتل شخص".encode())
    assert r.returncode == 2
    assert f"{tmp_path / 'bad.yaml'}:".encode() in r.stderr
    assert b"Traceback" not in r.stderr


def test_missing_lexicon_folder():
    r = run_rasd("lexicons", "check", "no-such-folder")
    assert r.returncode == 2
