"""The whole pipeline on the bundled example articles (written for the project), through the
CLI as a user runs it: the event rows an analyst would code from each report."""
from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, run_rasd


@pytest.fixture(scope="module")
def events() -> dict[str, list[dict]]:
    r = run_rasd("parse", str(EXAMPLES), "-q")
    assert r.returncode == 0, r.stderr
    out: dict[str, list[dict]] = {}
    for line in r.stdout.decode().splitlines():
        row = json.loads(line)
        out.setdefault(row["article"], []).append(row)
    return out


def test_campaign_report_headline_and_body_are_one_event(events):
    [ev] = events["example-homs-badia"]
    assert (ev["fatalities"], ev["injured"]) == (7, 4)  # not 25: "الفرقة 25" is a unit
    assert ev["admin1"] == "Homs" and ev["event_date"] == "2024-03-10"
    assert ev["actor1"] == "Islamic State (Syria)"
    assert ev["actor2"].startswith("Military Forces of Syria (2000-2024)")


def test_conflicting_sources_give_a_range(events):
    [ev] = events["example-aleppo-car-bomb"]
    assert (ev["fatalities"], ev["fatalities_low"], ev["fatalities_high"]) == (9, 6, 9)
    assert ev["injured"] == 20
    assert ev["sub_event_type"] == "Remote explosive/landmine/IED"
    assert (ev["admin1"], ev["location"]) == ("Aleppo", "Al Bab")


def test_earlier_incident_recounted_with_its_own_date_is_its_own_row(events):
    first, second = events["example-daraa-two-incidents"]
    assert (first["event_date"], first["fatalities"], first["location"]) == ("2024-08-22", 2, "Tafas")
    assert (second["event_date"], second["fatalities"]) == ("2024-08-18", 1)
    assert second["location"] == "Busra Esh-Sham"
    assert second["actor1"] == "Unidentified Armed Group (Syria)" and second["actor2"] == "Civilians (Syria)"


def test_analysis_piece_gives_no_event(events):
    assert "example-analysis" not in events


def test_post_2024_actors_and_both_sides_dead(events):
    clash, reinforcements = events["example-latakia-security"]
    assert clash["fatalities"] == 7 and clash["captured"] == 2  # 4 of its members + 3 attackers
    assert {clash["actor1"], clash["actor2"]} == {"Former Regime Loyalists (Syria)",
                                                 "Police Forces of Syria (2024-) General Security"}
    assert reinforcements["sub_event_type"] == "Change to group/activity"
    assert reinforcements["fatalities"] == 0


def test_explicit_zero_is_not_an_event(events):
    [ev] = events["example-idlib-shelling"]  # the Russian strikes "لم تسفر عن إصابات": no row
    assert (ev["fatalities"], ev["injured"], ev["admin1"]) == (3, 5, "Idleb")
    assert ev["actor1"] == "Military Forces of Syria (2000-2024)" and ev["actor2"] == "Civilians (Syria)"


def test_protest_report_this_weeks_and_last_weeks_dead_apart_and_no_campaign_toll(events):
    friday, last_week = events["example-gaza-border-protests"]
    # the Strip (admin1 null): the shooting spans Khan Younis and Gaza governorates
    assert (friday["admin1"], friday["location"], friday["event_date"]) == (None, "Gaza Strip", "2018-05-04")
    assert (friday["fatalities"], friday["injured"]) == (2, 120)  # 4 journalists "كما أفادت" are among them
    assert friday["sub_event_type"] == "Excessive force against protesters"
    assert friday["actor1"] == "Military Forces of Israel"
    assert (last_week["event_date"], last_week["fatalities"]) == ("2018-04-27", 3)
    # "أكثر من 45 … منذ 30 آذار" is the campaign's toll, not a third row
    assert sum(r["fatalities"] for r in events["example-gaza-border-protests"]) == 5


def test_every_row_has_its_evidence_and_metadata(events):
    from rasd.cli.readers import Source, list_sources, read_source

    texts = {}
    for src in list_sources([str(EXAMPLES)]):
        if isinstance(src, Source):
            for art in read_source(src):
                texts[art.meta.id] = art
    for aid, rows in events.items():
        art = texts[aid]
        for ev in rows:
            assert art.text[ev["evidence_start"]:ev["evidence_end"]] == ev["evidence"]
            assert ev["published"] == (art.meta.published.isoformat() if art.meta.published else None)
            assert 0 < ev["confidence"] <= 1
