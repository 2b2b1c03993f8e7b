"""`--lexicons DIR`: a user's own village and militia are found and used in event rows."""
from __future__ import annotations

import json

from conftest import EXAMPLES, run_rasd

USER = EXAMPLES / "lexicons"
ARTICLE = ("اشتباكات في خربة الزيتونة الصغرى\n"
           "قُتل ثلاثة عناصر من لواء أحرار الجبل، اليوم الثلاثاء، في اشتباكات مع مسلحين مجهولين "
           "قرب خربة الزيتونة الصغرى بريف إدلب الغربي.\n")


def rows(*args: str) -> list[dict]:
    r = run_rasd("parse", "-", "--published", "2024-05-28", "-q", *args, input=ARTICLE.encode())
    assert r.returncode == 0, r.stderr
    return [json.loads(x) for x in r.stdout.decode().splitlines()]


def test_user_place_and_actor_are_found():
    mentions = rows("--level", "mentions", "--lexicons", str(USER))
    places = [m for m in mentions if m["kind"] == "place" and m["place_id"] == "user:khirbet-al-zaytouna"]
    assert places and places[0]["admin1"] == "Idleb" and places[0]["latitude"] == 35.79
    actors = [m for m in mentions if m["kind"] == "actor" and m["actor_id"] == "user_ahrar_al_jabal"]
    assert actors and actors[0]["name"] == "Ahrar al-Jabal Brigade" and actors[0]["inter"] == 3


def test_user_place_becomes_the_event_location():
    [ev] = rows("--lexicons", str(USER))
    assert ev["location"] == "Khirbet al-Zaytouna" and ev["place_id"] == "user:khirbet-al-zaytouna"
    assert ev["fatalities"] == 3


def test_without_the_overlay_they_are_unknown():
    mentions = rows("--level", "mentions")
    assert not any(m.get("place_id") == "user:khirbet-al-zaytouna" for m in mentions)
    assert not any(m.get("actor_id") == "user_ahrar_al_jabal" for m in mentions)


def test_example_lexicons_pass_the_check():
    r = run_rasd("lexicons", "check", str(USER))
    assert r.returncode == 0, r.stdout
