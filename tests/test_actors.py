"""The actors stage: names, grammar (construct heads, nisba, units, loyalty links), periods.

Sentences are written for these tests in the style of Syrian and regional conflict
reporting; none is copied from an article.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.extractors import Pipeline
from rasd.extractors.actors import _next_word, _next_words, _prev_word, _prev_words

_PIPE = Pipeline(stages=["normalise", "segment", "actors"])


def actors(text: str, published: str | None = "2019-06-10", country: str | None = "Syria") -> list[dict]:
    rows = _PIPE.parse(text, published=published, country=country).mentions
    return [r for r in rows if r["kind"] == "actor"]


def pairs(text: str, **kw: str | None) -> set[tuple[str, str]]:
    return {(r["text"], r["actor_id"]) for r in actors(text, **kw)}


# (sentence, published, country, expected (span, actor_id) pairs)
FOUND = [
    # Syria, Assad era
    ("قصفت قوات النظام بلدة كفرنبل بريف إدلب الجنوبي", "2019-05-02", "Syria", [("قوات النظام", "sy_saa")]),
    ("استهدفت قواتُ النِّظام السوري بالمدفعية أطراف البلدة", "2019-05-02", "Syria", [("قواتُ النِّظام السوري", "sy_saa")]),
    ("وقالت مصادر إن ميليشيات النظام انسحبت من الحاجز", "2018-02-01", "Syria", [("ميليشيات النظام", "sy_saa")]),
    ("تقدم الجيش السوري نحو خان شيخون", "2019-08-20", "Syria", [("الجيش السوري", "sy_saa")]),
    ("أعلن الجيش العربي السوري السيطرة على التلال", "2025-01-15", "Syria", [("الجيش العربي السوري", "sy_saa")]),
    ("شن الطيران الحربي والمروحي غارات على مدينة اللطامنة", "2019-06-01", "Syria",
     [("الطيران الحربي والمروحي", "sy_saa")]),
    ("دخلت قوات الدفاع الوطني إلى الحي", "2016-03-01", "Syria", [("قوات الدفاع الوطني", "sy_ndf")]),
    ("قتل عنصران من لواء القدس في البادية", "2020-01-09", "Syria", [("لواء القدس", "sy_liwa_al_quds")]),
    ("وصلت تعزيزات للفرقة الرابعة إلى ريف درعا الغربي", "2020-03-01", "Syria", [("فرقة الرابعة", "sy_4th_div")]),
    ("بدأت قوات النمر هجومها على الهبيط", "2019-05-10", "Syria", [("قوات النمر", "sy_tiger_forces")]),
    ("اعتقلت دورية من المخابرات الجوية ثلاثة شبان في داريا", "2021-04-04", "Syria",
     [("المخابرات الجوية", "sy_air_intel")]),
    ("اشتبك عناصر من الفيلق الخامس مع مسلحين في بصرى الشام", "2021-06-01", "Syria",
     [("الفيلق الخامس", "sy_5th_corps")]),
    # Syria, after 2024-12-08
    ("اشتبك الجيش السوري مع فلول النظام في ريف جبلة", "2025-03-07", "Syria",
     [("الجيش السوري", "sy_army_2024"), ("فلول النظام", "sy_regime_remnants")]),
    ("انتشرت قوات الأمن العام في أحياء حمص", "2025-01-20", "Syria", [("قوات الأمن العام", "sy_general_security")]),
    ("أعلنت إدارة العمليات العسكرية دخول مدينة حماة", "2024-12-05", "Syria",
     [("إدارة العمليات العسكرية", "sy_mil_ops")]),
    # Kurdish-led forces, opposition, jihadists
    ("سيطرت قوات سوريا الديمقراطية على قرية جديدة شرق الفرات", "2018-11-01", "Syria",
     [("قوات سوريا الديمقراطية", "sy_sdf")]),
    ("وقصفت قسد مواقع للفصائل في ريف منبج", "2019-10-01", "Syria", [("قسد", "sy_sdf")]),
    ("اعتقلت قوات الأسايش ناشطا في القامشلي", "2022-02-02", "Syria", [("قوات الأسايش", "sy_asayish")]),
    ("هاجمت وحدات حماية الشعب الكردية نقطة تركية", "2018-01-25", "Syria",
     [("وحدات حماية الشعب الكردية", "sy_ypg")]),
    ("أعلن مجلس دير الزور العسكري بدء حملة تمشيط", "2022-09-01", "Syria",
     [("مجلس دير الزور العسكري", "sy_dzmc")]),
    ("استهدف مسلحو المعارضة مواقع في جورين", "2017-07-01", "Syria", [("مسلحو المعارضة", "sy_opposition")]),
    ("أعلنت هيئة تحرير الشام مقتل قيادي فيها", "2020-02-02", "Syria", [("هيئة تحرير الشام", "sy_hts")]),
    ("وتبنت جبهة النصرة التفجير", "2015-01-01", "Syria", [("جبهة النصرة", "sy_hts")]),
    ("داهمت فرقة الحمزة منزلا في عفرين", "2021-01-01", "Syria", [("فرقة الحمزة", "sy_sna")]),
    ("وأصيب مقاتل من الجبهة الشامية", "2021-01-01", "Syria", [("الجبهة الشامية", "sy_sna")]),
    ("شنت خلايا تنظيم داعش هجوما على حاجز", "2021-01-01", "Syria", [("خلايا تنظيم داعش", "isis")]),
    ("قتل خمسة من عناصر داعـــش في البادية", "2021-01-01", "Syria", [("عناصر داعـــش", "isis")]),
    ("أعدم تنظيم الدولة الإسلامية رجلين", "2016-01-01", "Syria", [("تنظيم الدولة الإسلامية", "isis")]),
    ("واشتبك مقاتلو حراس الدين مع دورية", "2019-01-01", "Syria", [("مقاتلو حراس الدين", "sy_hurras")]),
    # Iran-backed and foreign forces
    ("انتشرت الميليشيات الإيرانية في البوكمال", "2019-01-01", "Syria",
     [("الميليشيات الإيرانية", "ir_backed_militias")]),
    ("وقتل 3 من ميليشيات شيعية موالية لإيران", "2019-01-01", "Syria",
     [("ميليشيات شيعية موالية لإيران", "ir_backed_militias")]),
    ("استقدم لواء فاطميون تعزيزات إلى الميادين", "2019-01-01", "Syria", [("لواء فاطميون", "ir_backed_militias")]),
    ("وقصف حزب الله اللبناني مواقع في القصير", "2014-01-01", "Syria", [("حزب الله اللبناني", "lb_hezbollah")]),
    ("نفذ الطيران الروسي غارات على جبل الزاوية", "2020-01-01", "Syria", [("الطيران الروسي", "ru_military")]),
    ("شنت مقاتلات روسية أربع غارات", "2020-01-01", "Syria", [("مقاتلات روسية", "ru_military")]),
    ("سيرت القوات التركية دورية على طريق M4", "2020-05-01", "Syria", [("القوات التركية", "tr_military")]),
    ("قصفت القوات السورية والروسية أطراف المدينة", "2018-02-01", "Syria",
     [("القوات السورية", "sy_saa"), ("الروسية", "ru_military")]),
    ("وشنت طائرات حربية إسرائيلية غارات على محيط دمشق", "2021-01-01", "Syria",
     [("طائرات حربية إسرائيلية", "il_military")]),
    ("استهدفت طائرات التحالف الدولي سيارة في ريف إدلب", "2019-01-01", "Syria",
     [("طائرات التحالف الدولي", "us_coalition")]),
    ("وقالت مجموعة فاغنر إن عناصرها انسحبوا", "2019-01-01", "Syria", [("مجموعة فاغنر", "ru_wagner")]),
    ("وقتل اثنان من المقاتلين الأكراد في الاشتباكات", "2018-01-01", "Syria", [("المقاتلين الأكراد", "sy_ypg")]),
    ("اعتدى مسلحون مجهولون على صيدلية في درعا", "2022-01-01", "Syria", [("مسلحون مجهولون", "unidentified")]),
    ("أصيب شاب برصاص قناص في طفس", "2022-01-01", "Syria", [("قناص", "unidentified")]),
    ("هاجمت حركة رجال الكرامة مقرا أمنيا في السويداء", "2022-01-01", "Syria",
     [("حركة رجال الكرامة", "sy_druze_factions")]),
    ("أعلنت كتيبة أبو الفداء مسؤوليتها عن الهجوم", "2014-01-01", "Syria", [("كتيبة أبو الفداء", "unidentified")]),
    # Iraq
    ("أعلن الجيش العراقي مقتل ثلاثة إرهابيين", "2018-03-01", "Iraq", [("الجيش العراقي", "iq_military")]),
    ("اشتبكت قوات الحشد الشعبي مع خلايا التنظيم", "2018-03-01", "Iraq",
     [("قوات الحشد الشعبي", "iq_pmf"), ("خلايا التنظيم", "isis")]),
    ("قصفت قوات البيشمركة مواقع داعش", "2016-10-01", "Iraq", [("قوات البيشمركة", "iq_peshmerga"), ("داعش", "isis")]),
    ("شن حزب العمال الكردستاني هجوما في قنديل", "2019-01-01", "Iraq", [("حزب العمال الكردستاني", "iq_pkk")]),
    ("انتشرت قوات الأمن في شوارع البصرة", "2019-10-01", "Iraq", [("قوات الأمن", "iq_military")]),
    ("واعتقلت الشرطة العراقية مشتبها به", "2019-10-01", "Iraq", [("الشرطة العراقية", "iq_police")]),
    # Yemen
    ("قصف الحوثيون أحياء سكنية في تعز", "2018-04-01", "Yemen", [("الحوثيون", "ye_houthis")]),
    ("أطلقت ميليشيا الحوثي صاروخا باليستيا", "2018-04-01", "Yemen", [("ميليشيا الحوثي", "ye_houthis")]),
    ("وتصدت القوات الحكومية لهجوم في نهم", "2018-04-01", "Yemen", [("القوات الحكومية", "ye_gov")]),
    ("شنت مقاتلات التحالف العربي غارات على صعدة", "2018-04-01", "Yemen",
     [("مقاتلات التحالف العربي", "ye_saudi_coalition")]),
    ("تقدمت ألوية العمالقة نحو الحديدة", "2018-06-01", "Yemen", [("ألوية العمالقة", "ye_giants")]),
    ("داهمت قوات الحزام الأمني منزلا في عدن", "2019-01-01", "Yemen", [("قوات الحزام الأمني", "ye_security_belt")]),
    ("هاجم تنظيم القاعدة في جزيرة العرب نقطة عسكرية", "2019-01-01", "Yemen", [("تنظيم القاعدة في جزيرة العرب", "ye_aqap")]),
    ("واستهدف التحالف مخزنا للأسلحة", "2019-01-01", "Yemen", [("التحالف", "ye_saudi_coalition")]),
    # Sudan, Libya, Lebanon, Palestine
    ("هاجمت قوات الدعم السريع مدينة الفاشر", "2024-05-01", "Sudan", [("قوات الدعم السريع", "sd_rsf")]),
    ("قصف الجيش السوداني مواقع في الخرطوم بحري", "2024-05-01", "Sudan", [("الجيش السوداني", "sd_saf")]),
    ("تقدمت قوات حفتر نحو جنوب طرابلس", "2019-04-10", "Libya", [("قوات حفتر", "ly_lna")]),
    ("وردت قوات حكومة الوفاق بقصف مدفعي", "2019-04-10", "Libya", [("قوات حكومة الوفاق", "ly_gna")]),
    ("أطلق الجيش اللبناني النار على مسلحين", "2017-01-01", "Lebanon", [("الجيش اللبناني", "lb_military")]),
    ("أطلقت كتائب القسام رشقة صواريخ", "2021-05-11", "Palestine", [("كتائب القسام", "ps_qassam")]),
    ("أعلنت سرايا القدس استهداف آلية", "2021-05-11", "Palestine", [("سرايا القدس", "ps_quds_brigades")]),
    ("اقتحمت قوات الاحتلال مخيم جنين", "2023-01-01", "Palestine", [("قوات الاحتلال", "il_military")]),
    ("وقال الجيش الإسرائيلي إنه قصف أهدافا لحماس", "2023-01-01", "Palestine",
     [("الجيش الإسرائيلي", "il_military"), ("حماس", "ps_hamas")]),
    ("هاجم مستوطنون منازل في حوارة", "2023-02-26", "Palestine", [("مستوطنون", "il_settlers")]),
    ("وشنت إسرائيل غارات على القطاع", "2023-01-01", "Palestine", [("إسرائيل", "il_military")]),
    # clitics and the ل + ال fusion
    ("ونقلت مصادر محلية أن عناصر للجيش العراقي وصلوا", "2018-01-01", "Iraq", [("جيش العراقي", "iq_military")]),
    ("تعرضت مواقع لقوات النظام لقصف", "2019-01-01", "Syria", [("قوات النظام", "sy_saa")]),
    ("وبحسب مصادر فإن لقسد حواجز في المنطقة", "2019-01-01", "Syria", [("قسد", "sy_sdf")]),
]


@pytest.mark.parametrize(("text", "published", "country", "expected"), FOUND)
def test_actor_found(text: str, published: str, country: str, expected: list[tuple[str, str]]) -> None:
    got = pairs(text, published=published, country=country)
    for pair in expected:
        assert pair in got, f"{pair} not in {got}"


NOT_ACTORS = [
    # monitors, NGOs, media, ministries as political bodies, individuals, victims
    "وثق المرصد السوري لحقوق الإنسان مقتل ثلاثة مدنيين",
    "قال الدفاع المدني السوري إن فرقه انتشلت جثتين",
    "أدانت وزارة الخارجية السورية الهجوم",
    "وأكد الأمين العام للأمم المتحدة ضرورة وقف إطلاق النار",
    "وقال اللواء علي محمود إن الوضع مستقر",
    "قتل أربعة مدنيين بينهم طفلان",
    "ونقلت قناة الجزيرة عن مصادر محلية",
    "تحدث الرئيس السوري في خطاب متلفز",
    "زار وفد من الهلال الأحمر مخيم الركبان",
    "عاد آلاف النازحين إلى سوريا من لبنان",
    # soldiers counted as victims, not named as an actor
    "قتل أربعة جنود روس في الهجوم",
    "وأصيب العشرات من الجنود السودانيين",
    # a place name is not an actor unless it attacks
    "وصل وفد إلى إسرائيل لبحث التهدئة",
]


@pytest.mark.parametrize("text", NOT_ACTORS)
def test_not_an_actor(text: str) -> None:
    assert actors(text) == []


@pytest.mark.parametrize(
    ("published", "expected_id", "expected_name"),
    [
        ("2019-04-02", "sy_saa", "Military Forces of Syria (2000-2024)"),
        ("2024-12-07", "sy_saa", "Military Forces of Syria (2000-2024)"),
        ("2024-12-08", "sy_army_2024", "Military Forces of Syria (2024-)"),
        ("2025-02-14", "sy_army_2024", "Military Forces of Syria (2024-)"),
    ],
)
def test_syrian_army_by_period(published: str, expected_id: str, expected_name: str) -> None:
    (row,) = actors("انتشر الجيش السوري في محيط المدينة", published=published)
    assert (row["actor_id"], row["name"]) == (expected_id, expected_name)


@pytest.mark.parametrize(
    ("text", "expected_id"),
    [
        ("انتشر الجيش السوري في محيط المدينة", "sy_saa"),  # undated: the pre-2024 reading
        ("طارد الجيش السوري فلول النظام البائد في الريف", "sy_army_2024"),  # an era marker
        ("وانتشرت القوات الحكومية بعد سقوط نظام الأسد", "sy_army_2024"),
    ],
)
def test_undated_article_uses_era_markers(text: str, expected_id: str) -> None:
    rows = actors(text, published=None)
    assert rows[0]["actor_id"] == expected_id


@pytest.mark.parametrize(
    ("country", "expected_id"),
    [("Iraq", "iq_military"), ("Yemen", "ye_gov"), ("Lebanon", "lb_military"),
     ("Palestine", "il_military"), ("Tunisia", "state_military")],
)
def test_generic_army_depends_on_country(country: str, expected_id: str) -> None:
    (row,) = actors("وقصف الجيش مواقع المسلحين في المنطقة الجبلية", country=country)
    assert row["actor_id"] == expected_id


def test_template_names_take_the_country() -> None:
    by_id = {r["actor_id"]: r for r in actors("هاجم مسلحون مجهولون حاجزا، وتبنى تنظيم داعش الهجوم", country="Iraq")}
    assert by_id["unidentified"]["name"] == "Unidentified Armed Group (Iraq)"
    assert by_id["isis"]["name"] == "Islamic State (Iraq)"
    assert by_id["unidentified"]["inter"] == 3


@pytest.mark.parametrize(
    ("text", "country", "inter"),
    [
        ("نفذ الطيران الروسي غارات على ريف حماة", "Syria", 8),  # foreign state forces: external
        ("قصفت قوات النظام ريف حماة", "Syria", 1),
        ("اقتحم الجيش الإسرائيلي مدينة نابلس", "Palestine", 8),
        ("هاجمت قوات الدعم السريع قرية", "Sudan", 2),
    ],
)
def test_inter_codes(text: str, country: str, inter: int) -> None:
    assert actors(text, country=country)[0]["inter"] == inter


@pytest.mark.parametrize(
    ("text", "span", "name", "parent"),
    [
        ("قتل عنصران من اللواء 47 في ريف حماة", "اللواء 47",
         "Military Forces of Syria (2000-2024) 47th Brigade", "Military Forces of Syria (2000-2024)"),
        ("قتل ضابط من اللواء (١٢٢) مشاة", "اللواء (١٢٢) مشاة",
         "Military Forces of Syria (2000-2024) 122nd Brigade", "Military Forces of Syria (2000-2024)"),
        ("وصلت تعزيزات من الفرقة الحادية عشرة", "الفرقة الحادية عشرة",
         "Military Forces of Syria (2000-2024) 11th Division", "Military Forces of Syria (2000-2024)"),
        ("استهدف الهجوم الفوج 137 التابع للفرقة 17 قرب دير الزور", "الفوج 137",
         "Military Forces of Syria (2000-2024) 137th Regiment", "Military Forces of Syria (2000-2024) 17th Division"),
    ],
)
def test_numbered_units(text: str, span: str, name: str, parent: str) -> None:
    rows = {r["text"]: r for r in actors(text)}
    assert rows[span]["name"] == name
    assert rows[span]["parent"] == parent


def test_named_unit_has_lexicon_parent() -> None:
    (row,) = actors("قصفت الفرقة ٢٥ مهام خاصة قرية في سهل الغاب")
    assert row["actor_id"] == "sy_tiger_forces"
    assert row["parent"] == "Military Forces of Syria (2000-2024)"


def test_rank_is_not_a_unit() -> None:
    assert actors("وقال اللواء خليفة حفتر إن قواته تتقدم", country="Libya") == []


def test_offsets_point_into_the_original_text() -> None:
    text = "وَقَصَفَتْ قُوَّاتُ النِّظامِ، صَباحَ اليَوْمِ، بَلْدَةً للجيشِ الحُرِّ فيها مقرٌّ لـ«هيئة تحرير الشام»"
    rows = actors(text)
    assert rows
    for r in rows:
        assert text[r["start"]:r["end"]] == r["text"]


def test_mention_fields() -> None:
    (row,) = actors("وسيطرت قوات سوريا الديمقراطية على القرية")
    assert row["kind"] == "actor"
    assert row["name"] == "SDF: Syrian Democratic Forces"
    assert row["name_ar"] == "قوات سوريا الديمقراطية"
    assert row["sentence"] == 0
    assert row["parent"] is None


def test_country_from_places_when_metadata_has_none() -> None:
    pipe = Pipeline(stages=["normalise", "segment", "actors"])
    from rasd.extractors.document import Document, Meta
    from rasd.extractors.mentions import PlaceMention

    doc = Document("وقصف الجيش قرية قرب الموصل", Meta(published=None))
    pipe.stages[0](doc)
    pipe.stages[1](doc)
    doc.places.append(PlaceMention("الموصل", 20, 26, 0, country="Iraq"))
    pipe.stages[2](doc)
    assert doc.actors[0].actor_id == "iq_military"


def test_previous_words_stop_at_punctuation() -> None:
    text = "قصفت القوات، الروسية"
    assert _prev_words(text, text.index("الروسية"), 3) == []


@pytest.mark.parametrize(
    ("text", "before", "expected"),
    [
        ("وقصفت القوات الروسية ريف ادلب", "الروسية", "القوات"),
        ("وقصفت القوات  الروسية", "الروسية", "القوات"),  # two spaces
        ("قصفت القوات، الروسية", "الروسية", None),  # a comma in between
        ("(القوات الروسية", "الروسية", "القوات"),  # a bracket glued before the word
        ("قتل 25 عنصرا", "عنصرا", "25"),
        ("الروسية", "الروسية", None),  # nothing before
        ("x" * 30 + " الروسية", "الروسية", None),  # beyond the look-back window
    ],
)
def test_previous_word(text: str, before: str, expected: str | None) -> None:
    span = _prev_word(text, text.index(before))
    assert (text[span[0]:span[1]] if span else None) == expected


@pytest.mark.parametrize(
    ("text", "after", "expected"),
    [
        ("اعلنت ايران استهدافها قاعدة", "ايران", "استهدافها"),
        ("اعلنت ايران، استهدافها", "ايران", None),
        ("الفرقة 25 مشاة", "الفرقة", "25"),
        ("ايران", "ايران", None),
        ("ايران " + "x" * 30, "ايران", None),  # beyond the look-ahead window
    ],
)
def test_next_word(text: str, after: str, expected: str | None) -> None:
    span = _next_word(text, text.index(after) + len(after))
    assert (text[span[0]:span[1]] if span else None) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="بتال 1,.(\n", max_size=60), st.data())
def test_single_word_scans_agree_with_the_general_ones(text: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(text)))
    prev, nxt = _prev_words(text, pos, 1), _next_words(text, pos, 1)
    assert _prev_word(text, pos) == (prev[0] if prev else None)
    assert _next_word(text, pos) == (nxt[0] if nxt else None)


@pytest.mark.parametrize(
    ("text", "country", "absent", "present"),
    [
        # an adjective agrees in definiteness with its head
        ("ونشرت الميليشيات مسلحين على الحواجز", "Libya", "الميليشيات مسلحين", "مسلحين"),
        # a construct head takes a bare genitive, not one behind a preposition
        ("ونقلت مصادر أن عناصر للجيش العراقي انتشروا", "Iraq", "عناصر للجيش", "جيش العراقي"),
        # a second adjective describes the group, it does not name another actor
        ("قتل عشرة من مليشيا الحوثي الإيرانية في صرواح", "Yemen", "الإيرانية", "مليشيا الحوثي"),
        # "اللواء 93" style units still need the number right after the noun
        ("وصلت قافلة إلى اللواء في المساء", "Syria", "اللواء", None),
    ],
)
def test_grammar_guards(text: str, country: str, absent: str, present: str | None) -> None:
    spans = {r["text"] for r in actors(text, country=country)}
    assert absent not in spans
    if present:
        assert present in spans


def test_loyalty_link_keeps_the_adjective_actor() -> None:
    rows = actors("أطلقت الميليشيا الحوثية التابعة لإيران صاروخا", country="Yemen")
    assert [(r["text"], r["actor_id"]) for r in rows] == [("الميليشيا الحوثية التابعة لإيران", "ye_houthis")]
