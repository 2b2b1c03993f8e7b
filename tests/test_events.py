"""Event assembly, tested alone: mentions are placed by hand on texts written for the test."""
from __future__ import annotations

import datetime as dt

import pytest

from rasd.extractors import Document, Meta, Pipeline
from rasd.extractors.events import EventAssembler, best_place, compatible
from rasd.extractors.mentions import ActorMention, CasualtyMention, DateMention, PlaceMention

ALEPPO = dict(country="Syria", admin1="Aleppo", admin2="Jebel Saman", geo_precision=1)
IDLIB_BARA = dict(place_id="C3915", name="Al Bara", name_ar="البارة", country="Syria", admin1="Idleb",
                  admin2="Ariha", geo_precision=1, latitude=35.68, longitude=36.53)
HOMS_EAST = dict(name="Homs", country="Syria", admin1="Homs", feature="region", geo_precision=3)


def doc_of(text: str, published: str | None = "2024-03-12", country: str = "Syria") -> Document:
    meta = Meta(id="t", published=dt.date.fromisoformat(published) if published else None, country=country)
    return Pipeline(["normalise", "segment"]).run(Document(text, meta))


def at(doc: Document, cls, needle: str, nth: int = 0, **kw):
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(needle, start + 1)
    m = cls(needle, start, start + len(needle), doc.sentence_index(_npos(doc, start)), **kw)
    target = {PlaceMention: doc.places, ActorMention: doc.actors, DateMention: doc.dates,
              CasualtyMention: doc.casualties}[cls]
    target.append(m)
    return m


def _npos(doc: Document, orig: int) -> int:
    for s in doc.sentences:
        if s.start <= orig < s.end:
            return s.nstart
    return 0


def assemble(doc: Document):
    EventAssembler()(doc)
    return doc.events


def test_headline_and_body_are_one_event_with_range():
    text = ("مقتل 5 مدنيين بغارة على البارة\n"
            "قُتل خمسة مدنيين اليوم بغارة جوية روسية على بلدة البارة.\n"
            "وقال مصدر طبي إن عدد القتلى بلغ 7.")
    d = doc_of(text)
    at(d, PlaceMention, "البارة", 0, **IDLIB_BARA)
    at(d, PlaceMention, "البارة", 1, **IDLIB_BARA)
    at(d, CasualtyMention, "مقتل 5 مدنيين", status="killed", count=5, victim_type="civilians", repeat=True)
    at(d, CasualtyMention, "قُتل خمسة مدنيين", status="killed", count=5, victim_type="civilians")
    at(d, CasualtyMention, "عدد القتلى بلغ 7", status="killed", count=7, victim_type="civilians", repeat=True)
    at(d, DateMention, "اليوم", value="2024-03-12", precision="day")
    at(d, ActorMention, "روسية", name="Military Forces of Russia (2000-)", inter=8)
    [ev] = assemble(d)
    assert (ev.fatalities, ev.fatalities_low, ev.fatalities_high) == (5, 5, 7)
    assert (ev.event_type, ev.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert (ev.admin1, ev.location, ev.place_id, ev.geo_precision) == ("Idleb", "Al Bara", "C3915", 1)
    assert (ev.event_date, ev.time_precision, ev.date_text) == ("2024-03-12", 1, "اليوم")
    assert ev.actor1 == "Military Forces of Russia (2000-)"
    assert (ev.actor2, ev.inter2, ev.interaction) == ("Civilians (Syria)", 7, 78)
    assert d.text[ev.evidence_start:ev.evidence_end] == ev.evidence
    assert ev.evidence.startswith("قُتل خمسة") or ev.evidence.startswith("مقتل 5")
    assert 0 < ev.confidence <= 1


def test_earlier_incident_with_own_date_is_separate():
    text = ("قتل ثلاثة عناصر من قوات النظام بهجوم في بادية حمص الشرقية يوم الأحد.\n"
            "وكانت قوات النظام قد خسرت عنصرين بانفجار لغم في 28 شباط الماضي.")
    d = doc_of(text)
    at(d, PlaceMention, "بادية حمص الشرقية", **HOMS_EAST)
    at(d, DateMention, "يوم الأحد", value="2024-03-10", precision="day")
    at(d, DateMention, "28 شباط الماضي", value="2024-02-28", precision="day")
    at(d, CasualtyMention, "قتل ثلاثة عناصر", status="killed", count=3, victim_type="military")
    at(d, CasualtyMention, "خسرت عنصرين", status="killed", count=2, victim_type="military")
    evs = assemble(d)
    assert [(e.fatalities, e.event_date, e.admin1) for e in evs] == [(3, "2024-03-10", "Homs"), (2, "2024-02-28", "Homs")]
    assert evs[1].sub_event_type == "Remote explosive/landmine/IED"
    assert evs[0].event_type == "Battles"
    assert [e.event for e in evs] == [1, 2]


def test_two_towns_in_different_governorates_split():
    text = "قتل مدني في حلب برصاص قناص. وفي البارة قتل طفلان بقصف مدفعي."
    d = doc_of(text)
    at(d, PlaceMention, "حلب", **ALEPPO)
    at(d, PlaceMention, "البارة", **IDLIB_BARA)
    at(d, CasualtyMention, "قتل مدني", status="killed", count=1, victim_type="civilians")
    at(d, CasualtyMention, "قتل طفلان", status="killed", count=2, victim_type="civilians")
    evs = assemble(d)
    assert [(e.admin1, e.fatalities, e.sub_event_type) for e in evs] == [
        ("Aleppo", 1, "Attack"), ("Idleb", 2, "Shelling/artillery/missile attack")]


@pytest.mark.parametrize("flag", ["aggregate", "non_conflict"])
def test_aggregates_and_non_conflict_deaths_are_not_events(flag):
    d = doc_of("ووثق المرصد مقتل 300 شخص في حلب منذ مطلع العام.")
    at(d, PlaceMention, "حلب", **ALEPPO)
    at(d, CasualtyMention, "مقتل 300 شخص", status="killed", count=300, **{flag: True})
    assert assemble(d) == []


def test_analysis_without_incident_gives_no_rows():
    d = doc_of("يرى باحثون أن خريطة السيطرة في إدلب لن تتغير قريباً.")
    at(d, PlaceMention, "إدلب", country="Syria", admin1="Idleb", geo_precision=3)
    assert assemble(d) == []


def test_arrests_without_deaths_are_an_event():
    d = doc_of("شنت قسد حملة دهم واعتقال في بلدة ذيبان واعتقلت 12 شخصاً.")
    at(d, PlaceMention, "ذيبان", country="Syria", admin1="Deir-ez-Zor", geo_precision=1, name="Thiban")
    at(d, ActorMention, "قسد", name="SDF: Syrian Democratic Forces", inter=2)
    at(d, CasualtyMention, "اعتقلت 12 شخصاً", status="captured", count=12, victim_type="civilians")
    [ev] = assemble(d)
    assert (ev.event_type, ev.sub_event_type) == ("Strategic developments", "Arrests")
    assert (ev.captured, ev.fatalities, ev.actor1, ev.inter1) == (12, 0, "SDF: Syrian Democratic Forces", 2)


def test_toll_update_supersedes():
    d = doc_of("قتل 10 أشخاص بتفجير في حلب. وارتفعت حصيلة القتلى إلى 16.")
    at(d, PlaceMention, "حلب", **ALEPPO)
    at(d, CasualtyMention, "قتل 10 أشخاص", status="killed", count=10)
    at(d, CasualtyMention, "ارتفعت حصيلة القتلى إلى 16", status="killed", count=16, update=True)
    [ev] = assemble(d)
    assert ev.fatalities == 16 and ev.fatalities_low == 10 and ev.fatalities_high == 16


def test_victim_affiliation_becomes_actor2():
    d = doc_of("قتل عنصران من قوات النظام باشتباكات مع هيئة تحرير الشام في ريف حلب.")
    at(d, PlaceMention, "ريف حلب", country="Syria", admin1="Aleppo", geo_precision=2)
    at(d, ActorMention, "قوات النظام", name="Military Forces of Syria (2000-2024)", inter=1)
    at(d, ActorMention, "هيئة تحرير الشام", name="HTS: Hayat Tahrir al-Sham", inter=2)
    at(d, CasualtyMention, "قتل عنصران", status="killed", count=2, victim_type="military",
       victim="Military Forces of Syria (2000-2024)")
    [ev] = assemble(d)
    assert (ev.actor1, ev.actor2, ev.interaction) == ("HTS: Hayat Tahrir al-Sham", "Military Forces of Syria (2000-2024)", 12)


def test_place_inherited_from_headline_lowers_precision():
    d = doc_of("تفجير في مدينة الباب\nقتل 4 أشخاص بانفجار سيارة مفخخة صباح اليوم.")
    at(d, PlaceMention, "مدينة الباب", country="Syria", admin1="Aleppo", geo_precision=1, name="Al Bab")
    at(d, CasualtyMention, "قتل 4 أشخاص", status="killed", count=4)
    [ev] = assemble(d)
    assert ev.location == "Al Bab" and ev.geo_precision == 2
    assert ev.sub_event_type == "Remote explosive/landmine/IED"


def test_best_place_and_compatibility():
    country = PlaceMention("سوريا", 0, 5, 0, country="Syria")
    gov = PlaceMention("حلب", 0, 3, 0, country="Syria", admin1="Aleppo", feature="governorate", geo_precision=3)
    town = PlaceMention("الباب", 0, 5, 0, country="Syria", admin1="Aleppo", admin2="Al Bab", geo_precision=1)
    assert best_place([country, gov, town]) is town
    assert compatible(country, town) and compatible(gov, town)
    other = PlaceMention("البارة", 0, 6, 0, country="Syria", admin1="Idleb", geo_precision=1)
    assert not compatible(town, other)


def test_full_pipeline_runs_events_stage():
    p = Pipeline()
    assert "events" in p.names


def test_subject_of_an_attack_verb_is_actor1():
    d = doc_of("اغتال مسلحون مجهولون عنصراً سابقاً في فصائل المعارضة قرب حلب، وكانت قوات النظام قد اعتقلته سابقاً.")
    at(d, PlaceMention, "حلب", **ALEPPO)
    at(d, ActorMention, "مسلحون مجهولون", name="Unidentified Armed Group (Syria)", inter=3)
    at(d, ActorMention, "فصائل المعارضة", name="Opposition Rebels (Syria)", inter=2)
    at(d, ActorMention, "قوات النظام", name="Military Forces of Syria (2000-2024)", inter=1)
    at(d, CasualtyMention, "اغتال مسلحون مجهولون عنصراً سابقاً في فصائل المعارضة", status="killed", count=1,
       victim_type="armed group")
    [ev] = assemble(d)
    assert ev.actor1 == "Unidentified Armed Group (Syria)"
    assert ev.actor2 == "Opposition Rebels (Syria)"  # named inside the casualty phrase: the side hit
    assert ev.interaction == 23


def test_event_without_casualties_needs_its_own_day():
    background = doc_of("تتقاسم الفصائل السيطرة على مدينة إدلب منذ عام 2020.")
    at(background, PlaceMention, "مدينة إدلب", country="Syria", admin1="Idleb", geo_precision=1)
    at(background, DateMention, "عام 2020", value="2020-01-01", precision="year")
    assert assemble(background) == []
    news = doc_of("أرسلت قوات النظام اليوم تعزيزات عسكرية إلى مدينة إدلب بعد اشتباكات متقطعة.")
    at(news, PlaceMention, "مدينة إدلب", country="Syria", admin1="Idleb", geo_precision=1)
    at(news, DateMention, "اليوم", value="2024-03-12", precision="day")
    [ev] = assemble(news)
    assert ev.sub_event_type == "Change to group/activity"  # not the clash mentioned in passing
    assert ev.fatalities == 0


def test_a_sentence_with_its_own_time_adds_its_dead():
    d = doc_of("قتل شخص في اشتباكات في البصرة الأربعاء. وقال المصدر إن 6 أشخاص قتلوا خلال اليومين الماضيين.",
               country="Iraq")
    at(d, PlaceMention, "البصرة", country="Iraq", admin1="Basra", geo_precision=1)
    at(d, DateMention, "الأربعاء", value="2024-03-06", precision="day")
    at(d, DateMention, "اليومين الماضيين", value=None, precision=None)
    at(d, CasualtyMention, "قتل شخص", status="killed", count=1, victim_type="civilians")
    at(d, CasualtyMention, "6 أشخاص قتلوا", status="killed", count=6, victim_type="civilians")
    first, second = assemble(d)
    assert (first.fatalities, second.fatalities) == (1, 6)  # told at two times: two incidents
    assert first.event_date == "2024-03-06"
    assert second.event_date is None  # "the past two days" is no day: left undated, not the lead's
    assert second.admin1 == "Basra"


def test_the_time_nearest_a_figure_is_its_own():
    text = ("قتل ثمانية متظاهرين برصاص الجيش الإسرائيلي على حدود قطاع غزة الجمعة. "
            "وتأتي التظاهرات للجمعة الثانية بعد احتجاجات الأسبوع الماضي أسفرت عن مقتل 20 فلسطينيا. "
            "وأصيب 440 آخرون بجروح.")
    d = doc_of(text)
    at(d, PlaceMention, "قطاع غزة", country="Palestine", admin1=None, geo_precision=2)
    at(d, DateMention, "الجمعة", value="2018-04-06", precision="day")
    at(d, DateMention, "للجمعة", value="2018-04-06", precision="day")
    at(d, DateMention, "الأسبوع الماضي", value="2018-03-26", precision="week")
    at(d, CasualtyMention, "قتل ثمانية متظاهرين", status="killed", count=8, victim_type="civilians")
    at(d, CasualtyMention, "مقتل 20 فلسطينيا", status="killed", count=20, victim_type="civilians")
    at(d, CasualtyMention, "وأصيب 440 آخرون", status="injured", count=440, victim_type="unknown")
    friday, last_week = assemble(d)
    assert (friday.fatalities, friday.injured, friday.event_date) == (8, 440, "2018-04-06")
    assert (last_week.fatalities, last_week.injured, last_week.event_date) == (20, None, "2018-03-26")


def test_also_reported_is_another_source_not_more_victims():
    d = doc_of("أصيب 40 فلسطينيا برصاص الجيش في غزة. كما أفادت نقابة الصحافيين أن ستة صحافيين أصيبوا.")
    at(d, PlaceMention, "غزة", country="Palestine", admin1=None, geo_precision=2)
    at(d, CasualtyMention, "أصيب 40 فلسطينيا", status="injured", count=40, victim_type="civilians")
    at(d, CasualtyMention, "ستة صحافيين أصيبوا", status="injured", count=6, victim_type="civilians")
    [ev] = assemble(d)
    assert ev.injured == 40


def test_another_sources_figure_is_a_range_not_more_dead():
    d = doc_of("قتل 25 شخصاً بتفجير في حمص. وذكر التلفزيون الرسمي أن عدد القتلى 14.")
    at(d, PlaceMention, "حمص", country="Syria", admin1="Homs", geo_precision=1)
    at(d, CasualtyMention, "قتل 25 شخصاً", status="killed", count=25, victim_type="civilians")
    at(d, CasualtyMention, "عدد القتلى 14", status="killed", count=14)
    [ev] = assemble(d)
    assert (ev.fatalities, ev.fatalities_low, ev.fatalities_high) == (25, 14, 25)


def test_a_toll_retold_by_an_official_elsewhere_keeps_the_incidents_place():
    text = ("أسفر انفجار سيارة مفخخة وسط مدينة بنغازي عن إصابة 6 أشخاص. "
            "وقال مسؤول في حكومة طبرق إن الانفجار أسفر عن إصابة 6 أشخاص.")
    d = doc_of(text, country="Libya")
    at(d, PlaceMention, "وسط مدينة بنغازي", country="Libya", admin1="Benghazi", geo_precision=2)
    at(d, PlaceMention, "طبرق", country="Libya", admin1="Butnan", geo_precision=1)
    at(d, CasualtyMention, "إصابة 6 أشخاص", status="injured", count=6, victim_type="civilians")
    at(d, CasualtyMention, "إصابة 6 أشخاص", 1, status="injured", count=6, victim_type="civilians")
    [ev] = assemble(d)
    assert (ev.admin1, ev.injured) == ("Benghazi", 6)


def test_a_town_incident_with_new_dead_splits_from_the_regions_wounded():
    text = ("تواصل الطائرات الإسرائيلية غاراتها على قطاع غزة ردا على إصابة 4 جنود إسرائيليين. "
            "وانتشلت طواقم الإسعاف صباح الأحد جثماني فلسطينيين قتلا في قصف مدفعي شرق مدينة رفح.")
    d = doc_of(text, "2018-02-18", country="Palestine")
    at(d, PlaceMention, "قطاع غزة", country="Palestine", admin1=None, geo_precision=2, place_id="rasd:gaza-strip")
    at(d, PlaceMention, "شرق مدينة رفح", country="Palestine", admin1="Rafah", geo_precision=2)
    at(d, DateMention, "صباح الأحد", value="2018-02-18", precision="day")
    at(d, CasualtyMention, "إصابة 4 جنود إسرائيليين", status="injured", count=4, victim_type="military")
    at(d, CasualtyMention, "فلسطينيين قتلا", status="killed", count=2, victim_type="civilians")
    strip, rafah = assemble(d)
    assert (strip.admin1, strip.injured, strip.fatalities) == (None, 4, 0)
    assert (rafah.admin1, rafah.fatalities) == ("Rafah", 2)


def test_towns_of_two_governorates_named_together_make_the_region_the_place():
    text = ("قتل ثمانية فلسطينيين برصاص الجيش الإسرائيلي على حدود قطاع غزة الجمعة. "
            "وأصيب ستة صحافيين بالرصاص. وتركزت المواجهات شرق مدينتي خان يونس وغزة.")
    d = doc_of(text, "2018-04-06", country="Palestine")
    at(d, PlaceMention, "قطاع غزة", country="Palestine", admin1=None, geo_precision=2, place_id="rasd:gaza-strip",
       name="Gaza Strip")
    at(d, PlaceMention, "شرق مدينتي خان يونس", country="Palestine", admin1="Khan Younis", geo_precision=1,
       name="Khan Younis")
    at(d, PlaceMention, "غزة", 1, country="Palestine", admin1="Gaza", geo_precision=1, name="Gaza")
    at(d, DateMention, "الجمعة", value="2018-04-06", precision="day")
    at(d, CasualtyMention, "قتل ثمانية فلسطينيين", status="killed", count=8, victim_type="civilians")
    at(d, CasualtyMention, "أصيب ستة صحافيين", status="injured", count=6, victim_type="civilians")
    [ev] = assemble(d)
    assert (ev.admin1, ev.location, ev.fatalities, ev.injured) == (None, "Gaza Strip", 8, 6)


@pytest.mark.parametrize("source", ["في صنعاء بأن", "في صنعاء إن", "في صنعاء أن"])
def test_the_place_a_source_speaks_from_is_not_the_incidents(source):
    text = ("قتل 51 شخصا في غارة على سوق ضحيان بمحافظة صعدة. "
            f"وقال بيان للجنة الدولية للصليب الأحمر {source} الغارة أوقعت كذلك 79 جريحا.")
    d = doc_of(text, country="Yemen")
    at(d, PlaceMention, "محافظة صعدة", country="Yemen", admin1="Sa'dah", geo_precision=2)
    at(d, PlaceMention, "صنعاء", country="Yemen", admin1="Amanat Al Asimah", geo_precision=1)
    at(d, CasualtyMention, "قتل 51 شخصا", status="killed", count=51, victim_type="civilians")
    at(d, CasualtyMention, "79 جريحا", status="injured", count=79, victim_type="unknown")
    [ev] = assemble(d)
    assert (ev.admin1, ev.fatalities, ev.injured) == ("Sa'dah", 51, 79)


@pytest.mark.parametrize("toll, figure", [("أكثر من 350 ألف قتيل", 350000), ("نصف مليون قتيل", 500000)])
def test_a_wars_toll_is_never_an_events_figure(toll, figure):
    text = f"قتل 3 مدنيين بقصف على بلدة البارة اليوم. وخلفت الحرب {toll} منذ 2011."
    d = doc_of(text)
    at(d, PlaceMention, "البارة", **IDLIB_BARA)
    at(d, CasualtyMention, "قتل 3 مدنيين", status="killed", count=3, victim_type="civilians")
    at(d, CasualtyMention, toll, status="killed", count=figure, victim_type="unknown")
    [ev] = assemble(d)
    assert ev.fatalities == 3 and ev.fatalities_high is None


def test_a_figure_since_a_date_is_the_periods_toll_but_not_its_neighbours():
    text = ("وقتل 149 فلسطينيا على الأقل بنيران إسرائيلية منذ 30 آذار بينما قتل جندي إسرائيلي "
            "الجمعة على حدود قطاع غزة.")
    d = doc_of(text, "2018-07-21", country="Palestine")
    at(d, PlaceMention, "قطاع غزة", country="Palestine", admin1=None, geo_precision=2, place_id="rasd:gaza-strip")
    at(d, DateMention, "30 آذار", value="2018-03-30", precision="day")
    at(d, DateMention, "الجمعة", value="2018-07-20", precision="day")
    at(d, CasualtyMention, "قتل 149 فلسطينيا", status="killed", count=149, victim_type="civilians")
    at(d, CasualtyMention, "قتل جندي إسرائيلي", status="killed", count=1, victim_type="military")
    [ev] = assemble(d)
    assert (ev.fatalities, ev.event_date) == (1, "2018-07-20")


def test_ago_is_a_date_not_a_period():
    d = doc_of("قتل 4 مدنيين منذ يومين بغارة على بلدة البارة.")
    at(d, PlaceMention, "البارة", **IDLIB_BARA)
    at(d, DateMention, "منذ يومين", value="2024-03-10", precision="day")
    at(d, CasualtyMention, "قتل 4 مدنيين", status="killed", count=4, victim_type="civilians")
    [ev] = assemble(d)
    assert ev.fatalities == 4


@pytest.mark.parametrize("text, needle, sub", [
    ("قتل متظاهر برصاص قوات الأمن خلال مواجهات مع المحتجين في البصرة.", "قتل متظاهر", "Excessive force against protesters"),
    ("أصيب 12 شخصا خلال تظاهرات في البصرة.", "أصيب 12 شخصا", "Excessive force against protesters"),
    ("أصيب 5 عناصر أمن في أعمال شغب رافقت احتجاجات في البصرة.", "أصيب 5 عناصر أمن", "Violent demonstration"),
    ("قتل عنصران في اشتباكات مع مسلحين في البصرة.", "قتل عنصران", "Armed clash"),
    ("أصيب 12 عنصرا من الأمن خلال تظاهرات في البصرة.", "أصيب 12 عنصرا", "Violent demonstration"),
])
def test_people_hit_at_a_protest_recast_the_clash(text, needle, sub):
    d = doc_of(text, country="Iraq")
    at(d, PlaceMention, "البصرة", country="Iraq", admin1="Basra", geo_precision=1)
    count = 12 if "12" in needle else 5 if "5" in needle else 2 if "عنصران" in needle else 1
    status = "injured" if needle.startswith("أصيب") else "killed"
    victims = "military" if "عنصر" in needle else "civilians"
    at(d, CasualtyMention, needle, status=status, count=count, victim_type=victims)
    [ev] = assemble(d)
    assert ev.sub_event_type == sub
    assert ev.why["event_type"]  # the words that typed it


def test_a_related_storys_headline_is_its_own_incident_and_lends_nothing():
    text = ("قتل جنديان إسرائيليان في عملية دهس قرب مدينة جنين الجمعة.\n"
            "اقرأ أيضا: مقتل 4 جنود إسرائيليين في حادث دهس في القدس\n"
            "وقال الجيش إن المنفذ اعتقل لاحقا.")
    d = doc_of(text, "2018-03-17", country="Palestine")
    at(d, PlaceMention, "مدينة جنين", country="Palestine", admin1="Jenin", geo_precision=1)
    at(d, PlaceMention, "القدس", country="Palestine", admin1="Jerusalem", geo_precision=1)
    at(d, DateMention, "الجمعة", value="2018-03-16", precision="day")
    at(d, CasualtyMention, "قتل جنديان إسرائيليان", status="killed", count=2, victim_type="military")
    at(d, CasualtyMention, "مقتل 4 جنود إسرائيليين", status="killed", count=4, victim_type="military")
    jenin, teaser = assemble(d)
    assert (jenin.admin1, jenin.fatalities, jenin.event_date) == ("Jenin", 2, "2018-03-16")
    assert (teaser.admin1, teaser.fatalities, teaser.event_date) == ("Jerusalem", 4, None)


@pytest.mark.parametrize("since, counted", [
    ("منذ إعلان ترامب بشأن القدس", False),
    ("منذ بدء الهجوم", False),
    ("منذ الصباح", True),
])
def test_since_an_event_is_a_periods_toll_since_this_morning_is_not(since, counted):
    d = doc_of(f"قتل 30 مدنيا في قصف على بلدة البارة {since}.")
    at(d, PlaceMention, "البارة", **IDLIB_BARA)
    at(d, CasualtyMention, "قتل 30 مدنيا", status="killed", count=30, victim_type="civilians")
    assert [ev.fatalities for ev in assemble(d)] == ([30] if counted else [])


def test_since_dawn_today_is_the_days_toll():
    d = doc_of("قتل 12 مدنيا في قصف على بلدة البارة منذ فجر اليوم.")
    at(d, PlaceMention, "البارة", **IDLIB_BARA)
    at(d, DateMention, "فجر اليوم", value="2024-03-12", precision="day")
    at(d, CasualtyMention, "قتل 12 مدنيا", status="killed", count=12, victim_type="civilians")
    [ev] = assemble(d)
    assert (ev.fatalities, ev.event_date) == (12, "2024-03-12")


def test_a_region_is_compatible_only_with_towns_inside_it():
    regions = {"rasd:gaza-strip": frozenset({"Gaza", "Rafah"})}
    strip = PlaceMention("قطاع غزة", 0, 8, 0, country="Palestine", admin1=None, place_id="rasd:gaza-strip")
    rafah = PlaceMention("رفح", 10, 13, 0, country="Palestine", admin1="Rafah")
    jenin = PlaceMention("جنين", 20, 24, 0, country="Palestine", admin1="Jenin")
    assert compatible(strip, rafah, regions) and not compatible(strip, jenin, regions)
    assert compatible(strip, jenin)  # without region data a region is compatible with anything


def test_the_next_sentence_narrows_a_region_to_a_town_in_it():
    text = ("قتل جنديان إسرائيليان في عملية دهس شمالي الضفة الغربية الجمعة. "
            "ووقع الهجوم قرب مستوطنة غربي مدينة جنين. "
            "وفي غزة، أصيب 25 فلسطينيا في مواجهات على حدود قطاع غزة.")
    d = doc_of(text, "2018-03-17", country="Palestine")
    at(d, PlaceMention, "شمالي الضفة الغربية", country="Palestine", admin1=None, place_id="rasd:west-bank",
       geo_precision=2)
    at(d, PlaceMention, "غربي مدينة جنين", country="Palestine", admin1="Jenin", geo_precision=2)
    at(d, PlaceMention, "غزة", 0, country="Palestine", admin1=None, place_id="rasd:gaza-strip", geo_precision=2)
    at(d, DateMention, "الجمعة", value="2018-03-16", precision="day")
    at(d, CasualtyMention, "قتل جنديان إسرائيليان", status="killed", count=2, victim_type="military")
    at(d, CasualtyMention, "أصيب 25 فلسطينيا", status="injured", count=25, victim_type="civilians")
    jenin, gaza = assemble(d)
    assert (jenin.admin1, jenin.fatalities) == ("Jenin", 2)
    assert (gaza.place_id, gaza.admin1, gaza.injured) == ("rasd:gaza-strip", None, 25)


def test_protests_that_began_on_a_date_give_a_periods_toll():
    text = "وقتل 120 فلسطينيا على أيدي القوات الإسرائيلية خلال مظاهرات بدأت في 30 آذار على حدود غزة."
    d = doc_of(text, "2018-06-01", country="Palestine")
    at(d, PlaceMention, "غزة", country="Palestine", admin1=None, place_id="rasd:gaza-strip", geo_precision=2)
    at(d, DateMention, "30 آذار", value="2018-03-30", precision="day")
    at(d, CasualtyMention, "قتل 120 فلسطينيا", status="killed", count=120, victim_type="civilians")
    assert assemble(d) == []


def test_two_towns_of_one_district_are_two_incidents_a_district_and_a_town_are_not():
    def town(name, pid, feature="town"):
        return PlaceMention(name, 0, 5, 0, country="Syria", admin1="Idleb", admin2="Maarrat An Nu'man",
                            geo_precision=1, place_id=pid, feature=feature)
    kafr, maarra = town("كفرنبل", "C1"), town("معرة النعمان", "C2", "city")
    district = town("منطقة معرة النعمان", "SY0703", "district")
    assert not compatible(kafr, maarra)
    assert compatible(district, kafr) and compatible(kafr, kafr)


@pytest.mark.parametrize("text, needle, sub", [
    ("ارتفع عدد ضحايا تفجيري بغداد إلى 80 قتيلا.", "80 قتيلا", "Remote explosive/landmine/IED"),
    ("قتل 5 أشخاص في التفجيرين اللذين ضربا بغداد.", "قتل 5 أشخاص", "Remote explosive/landmine/IED"),
    ("قتل 14 مقاتلا في الضربة العسكرية التي استهدفت مطار التيفور.", "قتل 14 مقاتلا", "Air/drone strike"),
    ("قتل 7 مدنيين في الغارات على بغداد.", "قتل 7 مدنيين", "Air/drone strike"),
])
def test_trigger_words_with_the_article_and_in_construct_type_the_event(text, needle, sub):
    d = doc_of(text, country="Iraq")
    at(d, PlaceMention, "بغداد" if "بغداد" in text else "مطار التيفور", country="Iraq", admin1="Baghdad",
       geo_precision=1)
    count = int(next(w for w in needle.split() if w.isdigit()))
    at(d, CasualtyMention, needle, status="killed", count=count, victim_type="civilians")
    [ev] = assemble(d)
    assert ev.sub_event_type == sub


def test_a_towns_share_of_a_regions_toll_is_its_own_row_and_the_region_keeps_the_rest():
    text = ("قتل ثلاثة فلسطينيين في سلسلة غارات إسرائيلية على قطاع غزة. "
            "وقالت وزارة الصحة إن طفلة ووالدتها قتلتا في غارة على مخيم النصيرات. وأصيب الأب بجروح. "
            "وأضافت أن عدد المصابين بلغ 12 مصابا.")
    d = doc_of(text, "2018-08-09", country="Palestine")
    at(d, PlaceMention, "قطاع غزة", country="Palestine", admin1=None, place_id="rasd:gaza-strip", geo_precision=2,
       name="Gaza Strip")
    at(d, PlaceMention, "مخيم النصيرات", country="Palestine", admin1="Deir al-Balah", place_id="rasd:nuseirat",
       geo_precision=1, feature="camp", name="Nuseirat camp")
    at(d, CasualtyMention, "قتل ثلاثة فلسطينيين", status="killed", count=3, victim_type="civilians")
    at(d, CasualtyMention, "طفلة ووالدتها قتلتا", status="killed", count=2, victim_type="civilians")
    at(d, CasualtyMention, "وأصيب الأب", status="injured", count=1, victim_type="civilians")
    at(d, CasualtyMention, "عدد المصابين بلغ 12", status="injured", count=12, victim_type="unknown")
    strip, camp = assemble(d)
    assert (camp.location, camp.fatalities, camp.injured) == ("Nuseirat camp", 2, 1)
    assert (strip.admin1, strip.fatalities, strip.injured) == (None, 1, 11)  # 3 - 2 dead, 12 - 1 hurt


def test_the_events_words_share_the_pipelines_single_scan():
    pipe = Pipeline()
    events = next(s for s in pipe.stages if s.name == "events")
    [words] = events.phrase_matchers
    assert getattr(words, "_shared", None) is not None  # one automaton pass with dates, actors, casualties
