"""`rasd eval`: the scoring rules, exact hand-computed scores, folder problems, and agreement
with the reference scorer (shared/eval/score.py) on the dev corpus when it is present."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SHARED

from rasd.cli import evaluate
from rasd.cli.evaluate import SearchText, admin_key, date_matches, run_eval, total_bound, within
from rasd.extractors import Result, StageError

DATA = ROOT / "tests" / "data" / "eval"
DEV = SHARED / "corpus" / "dev"
SCORE_PY = SHARED / "eval" / "score.py"
SCORE_KEYS = [
    "articles",
    "place_precision", "place_recall", "place_f1", "actor_precision", "actor_recall", "actor_f1",
    "date_precision", "date_recall", "date_f1", "casualty_precision", "casualty_recall", "casualty_f1",
    "admin1_accuracy", "date_value_accuracy", "casualty_count_accuracy", "killed_total_exact",
    "injured_total_exact", "killed_mae", "injured_mae", "casualty_event_precision",
    "casualty_event_recall", "casualty_event_f1", "event_type_accuracy", "offset_mismatches",
    "gold_texts_not_found", "failed_inputs",
]


# -- finding gold texts --------------------------------------------------------------------
@pytest.mark.parametrize(("text", "needle", "expected"), [
    ("قصف على حلب امس", "حلب", ["حلب"]),
    ("غارات بريف حمص الشرقي", "ريف حمص الشرقي", ["ريف حمص الشرقي"]),          # clitic ب
    ("وقسد تنفي", "قسد", ["قسد"]),                                           # clitic و
    ("دورية تابعة لقسد", "قسد", ["قسد"]),                                     # clitic ل
    ("فبالحسكة اشتباكات", "الحسكة", ["الحسكة"]),                              # ف + ب
    ("وللجيش نقاط", "جيش", ["جيش"]),                                         # و + ل + ل(ال)
    ("للجيش العراقي", "جيش العراقي", ["جيش العراقي"]),
    ("القوات الإسرائيلية قصفت", "إسرائيل", []),                                # glued inside a word
    ("قصف إسرائيلي", "إسرائيل", []),                                          # glued to a suffix
    ("مقتل عنصرين", "قتل", []),                                               # م is not a clitic
    ("قُتِلَ ثلاثةُ مدنيين", "قتل ثلاثة مدنيين", ["قُتِلَ ثلاثةُ مدنيين"]),          # diacritics in the text
    ("قتل ثلاثة مدنيين", "قُتل ثلاثة مدنيين", ["قتل ثلاثة مدنيين"]),               # diacritics in the gold
    ("اشتباكات في ادلب", "إدلب", ["ادلب"]),                                   # hamza seat on alef
    ("مدينة الرقة", "مدينه الرقه", ["مدينة الرقة"]),                           # ta marbuta
    ("قرى مصياف", "قري مصياف", ["قرى مصياف"]),                                # alef maksura
    ("الجيـــش السوري", "الجيش السوري", ["الجيـــش السوري"]),                    # tatweel
    ("داعش وداعش، ثم لداعش", "داعش", ["داعش", "داعش", "داعش"]),
    ("الفرقة 25 والفرقة 250", "الفرقة 25", ["الفرقة 25", "الفرقة 25"]),         # digits: no letter test
    ("في 2018", "2018", ["2018"]),
    ("", "حلب", []),
    ("حلب", "\u064e", []),                                                   # a needle of diacritics only
])
def test_occurrences(text, needle, expected):
    spans = SearchText.of(text).occurrences(needle)
    assert [text[s:e] for s, e in spans] == expected


def test_occurrence_end_excludes_trailing_diacritics():
    text = "قُتل في حمصَ أمس"
    [(s, e)] = SearchText.of(text).occurrences("حمص")
    assert text[s:e] == "حمص" and text[e] == "\u064e"


# -- small rules ---------------------------------------------------------------------------
@pytest.mark.parametrize(("a", "b", "same"), [
    ("Idlib", "Idleb", True),
    ("Deir ez-Zor", "Deir-ez-Zor", True),
    ("Deir al-Zor", "Dayr az-Zawr", True),
    ("Rif Dimashq", "Rural Damascus", True),
    ("Damascus", "Rural Damascus", False),
    ("Dar'a", "Daraa", True),
    ("Al-Hasakeh", "Hasaka", True),
    ("Lattakia", "Latakia", True),
    ("Hodeidah", "Al Hudaydah", True),
    ("Sanaa City", "Amanat Al Asimah", True),
    ("Salahuddin", "Salah al-Din Governorate", True),
    ("South Lebanon", "Liban-Sud", True),
    ("Homs", "Hama", False),
    ("Kirkuk", "kirkuk", True),                                              # not listed: folded only
    ("Ḥamā", "Hama", True),                                                  # accents stripped
])
def test_admin_key(a, b, same):
    assert (admin_key(a) == admin_key(b)) is same


@pytest.mark.parametrize("name", [None, ""])
def test_admin_key_empty(name):
    assert admin_key(name) is None


@pytest.mark.parametrize(("gold", "value", "ok"), [
    ("2024-05-26", "2024-05-26", True),
    ("2024-05", "2024-05-26", True),
    ("2024", "2024-01-01", True),
    ("2024-05-26", "2024-05", False),
    ("2024-05-26", None, False),
    (None, None, True),
    (None, "", True),
    (None, "2024-05-26", False),
])
def test_date_matches(gold, value, ok):
    assert date_matches(gold, value) is ok


@pytest.mark.parametrize(("value", "event", "ok"), [
    (3, {"killed": 3}, True),
    (None, {"killed": 0}, True),
    (None, {}, True),
    (4, {"killed": 3}, False),
    (4, {"killed": 3, "killed_low": 3, "killed_high": 5}, True),
    (6, {"killed": 3, "killed_low": 3, "killed_high": 5}, False),
    (4, {"killed": 3, "killed_low": 3}, False),                              # half a range is no range
])
def test_within(value, event, ok):
    assert within(value, event, "killed") is ok


@pytest.mark.parametrize(("events", "side", "total", "expected"), [
    ([{"killed": 3}, {"killed": 2}], "low", 5, 5),                           # no ranges: the total
    ([{"killed": 3, "killed_low": 1, "killed_high": 9}, {"killed": 2}], "low", 5, 3),
    ([{"killed": 3, "killed_low": 1, "killed_high": 9}, {"killed": 2}], "high", 5, 11),
    ([], "high", 7, 7),
])
def test_total_bound(events, side, total, expected):
    assert total_bound(events, "killed", side, total) == expected


# -- exact scores on the bundled gold, with rasd's output fixed by the test ----------------
def _m(kind: str, surface: str, nth: int = 0, **fields):
    return ("m", kind, surface, nth, fields)


# What a (deliberately imperfect) rasd "found" in tests/data/eval; offsets come from the text.
CANNED = {
    "0001": {
        "mentions": [
            _m("place", "كنصفرة", admin1="Idlib"),                          # right; Idlib = Idleb
            _m("place", "ريف إدلب الجنوبي", admin1="Hama"),                  # right span, wrong admin1
            _m("place", "المدنيين", admin1=None),                            # false hit
            _m("actor", "قوات النظام"),
            _m("actor", "المرصد السوري"),                                    # overlaps optional gold only
            _m("date", "أمس الأحد", value="2024-05-26", text="امس الاحد"),     # offset mismatch, still right
            _m("casualty", "قُتل ثلاثة مدنيين", status="killed", count=3),
            _m("casualty", "أصيب خمسة", status="injured", count=5),
            _m("casualty", "عدد القتلى بلغ خمسة", status="killed", count=5),  # repeat: count not scored
        ],
        "events": [{"admin1": "Idlib", "fatalities": 5, "injured": 5,
                    "event_type": "Explosions/Remote violence"}],                # 5 is inside 3..5
    },
    "0002": {
        "mentions": [
            _m("place", "دير الزور", admin1="Deir ez-Zor"),
            _m("place", "ريف دير الزور الشرقي", admin1="Deir-ez-Zor"),       # covers two gold spans
            _m("place", "الحسكة", admin1="Hasaka"),
            _m("place", "ريف الحسكة الجنوبي، اعتقلت دورية تابعة لقسد أربعة شبان خلال حملة دهم في مدينة الشدادي",
               admin1="Al-Hasakeh"),                                         # longer than 60: wrong
            _m("actor", "قوات سوريا الديمقراطية"),
            _m("actor", "قسد"),                                              # the second one is missed
            _m("actor", "داعش"),
            _m("actor", "تنظيم داعش", 1),
            _m("actor", "مسلحون"),                                           # false hit
            ("raw", {"kind": "actor", "text": "التحالف", "start": None, "end": None}),
            _m("date", "اليوم الأحد", value="2024-03-09"),                   # right span, wrong value
            _m("casualty", "مقتل عنصرين", status="killed", count=2),
            _m("casualty", "قُتل عنصران", status="killed", count=1),          # wrong count
            _m("casualty", "أربعة شبان", status="killed", count=4),          # wrong status
        ],
        "events": [{"admin1": "Deir ez-Zor", "fatalities": 1, "injured": 0, "event_type": "Battles"},
                   {"admin1": "Al-Hasakeh", "fatalities": 0, "injured": 0,
                    "event_type": "Strategic developments"}],
    },
}

# Worked out by hand from the gold files and CANNED above:
# places   gold 8 occurrences ("دير الزور" twice), found 6; rasd 7 rows, 5 right  → P 5/7 R 6/8
# actors   gold 6 (قسد ×2, تنظيم داعش ×2), found 5; rasd 7 (optional-only row ignored), 5 right
# dates    2/2 found, 2/2 right; values 1 of 2
# casualty gold 7, found 6, rasd 6 all right; counts scored on 4 (not repeats): 2 right
# admin1   6 scored, 1 wrong (ريف إدلب الجنوبي)
# totals   0001 killed 5 in 3..5, injured 5; 0002 killed 1 ≠ 2, injured 0 ≠ 1
# events   gold with casualties 2, rasd 2, matched 1 (0001), same type
EXPECTED = {
    "articles": 2,
    "place_precision": 0.714, "place_recall": 0.75, "place_f1": 0.732,
    "actor_precision": 0.714, "actor_recall": 0.833, "actor_f1": 0.769,
    "date_precision": 1.0, "date_recall": 1.0, "date_f1": 1.0,
    "casualty_precision": 1.0, "casualty_recall": 0.857, "casualty_f1": 0.923,
    "admin1_accuracy": 0.833, "date_value_accuracy": 0.5, "casualty_count_accuracy": 0.5,
    "killed_total_exact": 0.5, "injured_total_exact": 0.5, "killed_mae": 0.5, "injured_mae": 0.5,
    "casualty_event_precision": 0.5, "casualty_event_recall": 0.5, "casualty_event_f1": 0.5,
    "event_type_accuracy": 1.0, "offset_mismatches": 1, "gold_texts_not_found": 0, "failed_inputs": 0,
}
EXPECTED_ERRORS = [
    ("0001", "ADMIN1", "ريف إدلب الجنوبي"),
    ("0001", "FALSE", "المدنيين"),
    ("0002", "TOO-LONG", "ريف الحسكة الجنوبي، اعتقلت دورية تابعة لقسد أربعة شبان خلال حملة دهم في مدينة الشدادي"),
    ("0002", "MISS", "بلدة ذيبان"),
    ("0002", "MISS", "مدينة الشدادي"),
    ("0002", "NO-OFFSETS", "التحالف"),
    ("0002", "MISS", "قسد"),
    ("0002", "FALSE", "مسلحون"),
    ("0002", "DATE-VALUE", "فجر اليوم الأحد"),
    ("0002", "CASUALTY-COUNT", "قتل عنصران"),
    ("0002", "MISS", "أصيب ثالث"),
    ("0002", "CASUALTY-COUNT", "اعتقلت دورية تابعة لقسد أربعة شبان"),
    ("0002", "KILLED-TOTAL", None),
    ("0002", "INJURED-TOTAL", None),
    ("0002", "EVENT-MISS", None),
]


class CannedPipeline:
    """Stands in for rasd's pipeline so the scores do not move while the stages improve."""

    fail_on: set[str] = set()

    def __init__(self, stages=None, lexicon_dirs=()) -> None:
        self.lexicon_dirs = lexicon_dirs

    def parse_document(self, doc) -> Result:
        aid = doc.meta.id
        if aid in self.fail_on:
            raise StageError("places", KeyError("boom"))
        mentions = []
        for spec in CANNED[aid]["mentions"]:
            if spec[0] == "raw":
                mentions.append({"article": aid, **spec[1]})
                continue
            _, kind, surface, nth, fields = spec
            start = -1
            for _ in range(nth + 1):
                start = doc.text.index(surface, start + 1)
            row = {"article": aid, "kind": kind, "text": surface, "start": start, "end": start + len(surface)}
            mentions.append({**row, **fields})
        events = [{"article": aid, **e} for e in CANNED[aid]["events"]]
        return Result(article=aid, events=events, mentions=mentions)


@pytest.fixture
def canned(monkeypatch):
    CannedPipeline.fail_on = set()
    monkeypatch.setattr(evaluate, "Pipeline", CannedPipeline)
    return CannedPipeline


def _json_run(capsys, folder: Path, **kw) -> tuple[int, dict, str]:
    rc = run_eval(folder, errors=kw.pop("errors", False), as_json=True, **kw)
    out = capsys.readouterr()
    return rc, json.loads(out.out), out.err


def test_scores_by_hand(canned, capsys):
    rc, scores, err = _json_run(capsys, DATA)
    assert rc == 0 and err == ""
    assert list(scores) == SCORE_KEYS
    assert scores == EXPECTED


def test_errors_in_json(canned, capsys):
    rc, scores, _ = _json_run(capsys, DATA, errors=True)
    errors = scores.pop("errors")
    assert scores == EXPECTED
    assert [(e["article"], e["type"], e["text"]) for e in errors] == EXPECTED_ERRORS
    by_type = {e["type"]: e["message"] for e in errors}
    assert by_type["ADMIN1"] == "0001 ADMIN1 ريف إدلب الجنوبي: gold Idlib got ['Hama']"
    assert by_type["DATE-VALUE"] == "0002 DATE-VALUE فجر اليوم الأحد: gold 2024-03-10 got ['2024-03-09']"
    assert by_type["KILLED-TOTAL"] == "0002 KILLED-TOTAL gold 2 (2-2) got 1"
    assert by_type["EVENT-MISS"] == "0002 EVENT-MISS Deir-ez-Zor killed=2 injured=1"
    assert by_type["TOO-LONG"].startswith("0002 TOO-LONG place (85 chars): ")


def test_table_and_error_lines(canned, capsys):
    rc = run_eval(DATA, errors=True, as_json=False)
    out = capsys.readouterr().out
    assert rc == 0
    lines = out.splitlines()
    assert lines[0] == "0001 ADMIN1 ريف إدلب الجنوبي: gold Idlib got ['Hama']"
    assert lines[len(EXPECTED_ERRORS)] == ""                                 # errors, a blank line, tables
    table = "\n".join(lines[len(EXPECTED_ERRORS) + 1:])
    assert "rasd eval: 2 articles" in table
    for row in (("place", "0.714", "0.750", "0.732", "8", "6", "7", "5"),
                ("admin1 accuracy", "0.833", "5/6 places"),
                ("killed MAE", "0.50"),
                ("casualty event F1", "0.500"),
                ("offset mismatches", "1")):
        assert any(all(cell in line for cell in row) and line.split("│")[1].strip() == row[0]
                   for line in lines), row
    assert max(len(line) for line in lines[len(EXPECTED_ERRORS) + 1:]) <= 80


def test_table_without_errors(canned, capsys):
    assert run_eval(DATA, errors=False, as_json=False) == 0
    out = capsys.readouterr().out
    assert "MISS" not in out and out.lstrip().startswith("rasd eval: 2 articles")


def test_stage_failure_scores_the_article_as_empty(canned, capsys):
    canned.fail_on = {"0002"}
    rc, scores, err = _json_run(capsys, DATA)
    assert rc == 1
    assert scores["failed_inputs"] == 1
    assert scores["place_recall"] == 0.25                                     # 2 of 8 (0001 only)
    assert err.startswith("rasd: ") and "0002.txt: internal error in stage 'places'" in err
    assert "Traceback" not in err


# -- folders that cannot be scored ---------------------------------------------------------
def _copy(tmp_path: Path, *names: str) -> Path:
    for n in names:
        shutil.copy(DATA / n, tmp_path / n)
    return tmp_path


@pytest.mark.parametrize(("setup", "message"), [
    (lambda d: None, "no gold files (*.gold.json)"),
    (lambda d: _copy(d, "0001.txt"), "no gold files (*.gold.json)"),
    (lambda d: _copy(d, "0001.gold.json", "0002.gold.json", "0002.txt"), "no article for 0001.gold.json"),
    (lambda d: (d / "0001.gold.json").write_text("{\"places\": [", encoding="utf-8"), "invalid JSON at line 1"),
    (lambda d: (d / "0001.gold.json").write_text("[]", encoding="utf-8"), "expected a JSON object"),
    (lambda d: (d / "0001.gold.json").write_text('{"places": [{"admin1": "Homs"}]}', encoding="utf-8"),
     "places[0]: no 'text'"),
    (lambda d: (d / "0001.gold.json").write_text('{"dates": {"text": "أمس"}}', encoding="utf-8"),
     "'dates' must be a list"),
    (lambda d: (_copy(d, "0001.gold.json"), (d / "0001.txt").write_bytes(b"\x00\x01binary")),
     "0001.txt: binary file"),
    (lambda d: (_copy(d, "0001.gold.json"), (d / "0001.txt").write_text("---\nid: x\n", encoding="utf-8")),
     "0001.txt: front matter: no closing '---' line"),
    (lambda d: (d / "0001.gold.json").write_text('{"killed_total": "3"}', encoding="utf-8"),
     "killed_total: '3' is not a count"),
    (lambda d: (d / "0001.gold.json").write_text('{"events": [{"killed": 2, "killed_high": -1}]}', encoding="utf-8"),
     "events[0].killed_high: -1 is not a count"),
    (lambda d: ((d / "0001.gold.json").write_text('{"published": "last week"}', encoding="utf-8"),
                (d / "0001.txt").write_text("قتل مدني في حلب", encoding="utf-8")),
     "0001.gold.json: published: 'last week' is not a date"),
])
def test_unscorable_folder(tmp_path, capsys, canned, setup, message):
    setup(tmp_path)
    rc = run_eval(tmp_path, errors=False, as_json=True)
    out = capsys.readouterr()
    assert rc == 1 and out.out == ""
    assert out.err.startswith("rasd: ") and message in out.err, out.err
    assert "Traceback" not in out.err


@pytest.mark.parametrize("name", ["missing", "a-file"])
def test_not_a_folder(tmp_path, capsys, name):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    assert run_eval(tmp_path / name, errors=False, as_json=False) == 1
    err = capsys.readouterr().err
    assert err == f"rasd: {tmp_path / name}: {'no such folder' if name == 'missing' else 'not a folder'}\n"


def test_broken_lexicon_is_reported(capsys, monkeypatch):
    from rasd.lexicons import LexiconError

    class Broken(CannedPipeline):
        def __init__(self, stages=None, lexicon_dirs=()) -> None:
            raise LexiconError(f"{lexicon_dirs[0]}/places.yaml:3: mapping values are not allowed here")

    monkeypatch.setattr(evaluate, "Pipeline", Broken)
    assert run_eval(DATA, errors=False, as_json=False, lexicon_dirs=("my-lexicons",)) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == "rasd: my-lexicons/places.yaml:3: mapping values are not allowed here\n"


def test_each_missing_article_is_named(tmp_path, capsys, canned):
    _copy(tmp_path, "0001.gold.json", "0002.gold.json")
    assert run_eval(tmp_path, errors=False, as_json=False) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 2)[2].split(" (")[0] for line in err] == [
        "no article for 0001.gold.json", "no article for 0002.gold.json"]


# -- other article files -------------------------------------------------------------------
def _article_obj(name: str) -> dict:
    from rasd.cli.readers import split_front_matter

    fields, body = split_front_matter((DATA / name).read_text(encoding="utf-8"))
    return {**fields, "published": str(fields["published"]), "text": body}


def test_json_article_and_jsonl_by_id(tmp_path, capsys, canned):
    _copy(tmp_path, "0001.gold.json", "0002.gold.json")
    (tmp_path / "0001.json").write_text(json.dumps(_article_obj("0001.txt"), ensure_ascii=False), encoding="utf-8")
    (tmp_path / "batch.jsonl").write_text(json.dumps(_article_obj("0002.txt"), ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    rc, scores, err = _json_run(capsys, tmp_path)
    assert (rc, err) == (0, "")
    assert scores == EXPECTED


def test_gold_published_is_used_when_the_article_has_none(tmp_path, capsys, monkeypatch):
    seen = {}

    class Spy(CannedPipeline):
        def parse_document(self, doc):
            seen[doc.meta.id] = doc.meta.published
            return super().parse_document(doc)

    monkeypatch.setattr(evaluate, "Pipeline", Spy)
    _copy(tmp_path, "0001.gold.json")
    body = (DATA / "0001.txt").read_text(encoding="utf-8").replace("published: 2024-05-27\n", "")
    (tmp_path / "0001.txt").write_text(body, encoding="utf-8")
    assert run_eval(tmp_path, errors=False, as_json=True) == 0
    assert str(seen["0001"]) == "2024-05-27"
    import datetime as dt

    assert run_eval(tmp_path, errors=False, as_json=True, published=dt.date(2024, 6, 1)) == 0
    assert str(seen["0001"]) == "2024-06-01"                                 # --published wins


# -- with rasd's real pipeline -------------------------------------------------------------
def test_real_pipeline_runs(capsys):
    rc, scores, err = _json_run(capsys, DATA, errors=True)
    assert rc == 0, err
    errors = scores.pop("errors")
    assert list(scores) == SCORE_KEYS and scores["articles"] == 2
    assert scores["offset_mismatches"] == 0 and scores["gold_texts_not_found"] == 0
    assert all(e["type"] != "GOLD-TEXT-NOT-FOUND" for e in errors)


@pytest.mark.skipif(not (DEV.is_dir() and SCORE_PY.is_file()), reason="shared dev corpus not available")
def test_equals_reference_scorer_on_dev():
    """Both scorers on the same code state, back to back: every field and every error line.

    rasd eval runs in a fresh process too, so no other test's state can change its numbers.
    """
    exe = Path(sys.executable).with_name("rasd")
    cmd = str(exe) if exe.exists() else f"{sys.executable} -m rasd.cli"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    ref = subprocess.run([sys.executable, str(SCORE_PY), str(DEV), "--json", "--errors", "--cmd", cmd],
                         capture_output=True, encoding="utf-8", timeout=600, env=env)
    assert ref.returncode == 0, ref.stderr
    code = ("import sys; from pathlib import Path; from rasd.cli.evaluate import run_eval; "
            "sys.exit(run_eval(Path(sys.argv[1]), errors=True, as_json=True))")
    ours = subprocess.run([sys.executable, "-c", code, str(DEV)], capture_output=True, encoding="utf-8",
                          timeout=600, env=env)
    mine = json.loads(ours.stdout)
    ref_errors, _, ref_json = ref.stdout.rpartition("\n\n{")
    expected = json.loads("{" + ref_json)
    # the reference says whether any input failed; rasd eval counts them
    assert min(mine.pop("failed_inputs"), 1) == expected.pop("failed_inputs")
    my_errors = [e["message"] for e in mine.pop("errors")]
    assert mine == expected
    assert my_errors == [line for line in ref_errors.splitlines() if line.strip()]


def test_eval_command_end_to_end():
    """`rasd eval` as a user runs it: a table by default, JSON with --json."""
    from conftest import ROOT, run_rasd

    folder = ROOT / "tests" / "data" / "eval"
    r = run_rasd("eval", str(folder), "--json")
    assert r.returncode == 0, r.stderr
    scores = json.loads(r.stdout)
    assert scores["articles"] == len(list(folder.glob("*.gold.json")))
    assert scores["offset_mismatches"] == 0
    t = run_rasd("eval", str(folder))
    assert t.returncode == 0 and b"casualty" in t.stdout
    h = run_rasd("eval", "--help")
    assert b"rasd eval my-gold/" in h.stdout
