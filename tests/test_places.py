"""The places stage on phrasings written in the style of Syrian and regional reporting."""
from __future__ import annotations

import pytest

from rasd.extractors import Document, Meta, Pipeline

_PIPE = Pipeline(stages=["normalise", "segment", "places"])


def places(text: str, country: str | None = None) -> list:
    doc = Document(text, Meta(country=country))
    _PIPE.run(doc)
    return doc.places


def find(text: str, surface: str, country: str | None = None):
    for p in places(text, country):
        if p.text == surface:
            return p
    got = [p.text for p in places(text, country)]
    raise AssertionError(f"{surface!r} not found; got {got}")


# (sentence, expected mention text, expected country, expected admin1)
FOUND = [
    # plain names, clitics, hamza and diacritic variants
    ("قتل ثلاثة مدنيين في حلب اليوم", "حلب", "Syria", "Aleppo"),
    ("وصلت تعزيزات عسكرية إلى إدلب", "إدلب", "Syria", "Idleb"),
    ("سقطت قذائف على اطراف ادلب", "ادلب", "Syria", "Idleb"),
    ("غارات روسية استهدفت بحلب ومحيطها", "حلب", "Syria", "Aleppo"),
    ("وفي دمشق أعلنت السلطات حظر التجوال", "دمشق", "Syria", "Damascus"),
    ("انفجار عبوة ناسفة بإعزاز شمالي البلاد", "إعزاز", "Syria", "Aleppo"),
    ("قصف مدفعي استهدف مدينة إعزاز", "مدينة إعزاز", "Syria", "Aleppo"),
    ("مقتل عنصرين في دِمَشْق", "دِمَشْق", "Syria", "Damascus"),
    ("اشتباكات عنيفة في ديرالزور ليلاً", "ديرالزور", "Syria", "Deir-ez-Zor"),
    ("تقدمت القوات نحو البوكمال على الحدود", "البوكمال", "Syria", "Deir-ez-Zor"),
    ("سيطرت الفصائل على البو كمال بعد معارك", "البو كمال", "Syria", "Deir-ez-Zor"),
    ("دخلت القوات التركية إلى كوباني", "كوباني", "Syria", "Aleppo"),
    ("عاد النازحون إلى عين العرب", "عين العرب", "Syria", "Aleppo"),
    ("استهدف قصف مدينة الطبقة غربي الرقة", "مدينة الطبقة", "Syria", "Ar-Raqqa"),
    ("وللرقة نصيب من الغارات", "رقة", "Syria", "Ar-Raqqa"),
    # head words
    ("قتل شاب برصاص قناص في بلدة سرمدا", "بلدة سرمدا", "Syria", "Idleb"),
    ("تعرضت قرية كفرنبل لقصف جوي", "قرية كفرنبل", "Syria", "Idleb"),
    ("شهدت محافظة درعا توتراً أمنياً", "محافظة درعا", "Syria", "Dar'a"),
    ("قصف طال حي الوعر في مدينة حمص", "مدينة حمص", "Syria", "Homs"),
    ("ونقلت الجثث إلى بمدينة حماة", "مدينة حماة", "Syria", "Hama"),
    ("وبمحافظة القنيطرة سقطت قذيفتان", "محافظة القنيطرة", "Syria", "Quneitra"),
    ("هاجم التنظيم منطقة القلمون الشرقي", "منطقة القلمون الشرقي", "Syria", "Rural Damascus"),
    ("تقع بلدة الشيخ مسكين في ريف درعا", "بلدة الشيخ مسكين", "Syria", "Dar'a"),
    ("العاصمة دمشق شهدت انفجارين", "العاصمة دمشق", "Syria", "Damascus"),
    # spatial phrases
    ("قصفت الطائرات ريف إدلب الجنوبي", "ريف إدلب الجنوبي", "Syria", "Idleb"),
    ("وبريف حماة الشمالي دارت معارك", "ريف حماة الشمالي", "Syria", "Hama"),
    ("هجوم في الريف الشمالي لمحافظة حلب", "الريف الشمالي لمحافظة حلب", "Syria", "Aleppo"),
    ("استهدفت غارة شرق دير الزور", "شرق دير الزور", "Syria", "Deir-ez-Zor"),
    ("تحركات عسكرية شمال غرب درعا", "شمال غرب درعا", "Syria", "Dar'a"),
    ("كمين في بادية حمص الشرقية", "بادية حمص الشرقية", "Syria", "Homs"),
    ("انتشرت خلايا التنظيم في البادية السورية", "البادية السورية", "Syria", None),
    ("قصف متواصل على الغوطة الشرقية", "الغوطة الشرقية", "Syria", "Rural Damascus"),
    ("قتلى في ريف دمشق الغربي", "ريف دمشق الغربي", "Syria", "Rural Damascus"),
    ("اندلعت اشتباكات جنوبي محافظة السويداء", "جنوبي محافظة السويداء", "Syria", "As-Sweida"),
    # bases, airports, crossings, camps, fields, roads
    ("ضربة جوية على مطار التيفور العسكري", "مطار التيفور العسكري", "Syria", "Homs"),
    ("هبطت طائرات في قاعدة حميميم", "قاعدة حميميم", "Syria", "Lattakia"),
    ("استهدفت صواريخ قاعدة التنف", "قاعدة التنف", "Syria", "Homs"),
    ("أعيد فتح معبر باب الهوى أمام المساعدات", "معبر باب الهوى", "Syria", "Idleb"),
    ("تدهور الوضع الإنساني في مخيم الركبان", "مخيم الركبان", "Syria", "Homs"),
    ("نقل عشرات الأطفال إلى مخيم الهول", "مخيم الهول", "Syria", "Al-Hasakeh"),
    ("هجوم بطائرات مسيرة على حقل العمر النفطي", "حقل العمر النفطي", "Syria", "Deir-ez-Zor"),
    ("قطع الطريق الدولي M4 قرب أريحا", "الطريق الدولي M4", "Syria", None),
    ("استهداف مطار الشعيرات بصواريخ", "مطار الشعيرات", "Syria", "Homs"),
    # neighbourhoods
    ("سقطت قذيفة على حي الزهراء في حمص", "حي الزهراء", "Syria", "Homs"),
    ("اشتباكات في حي جوبر الدمشقي", "حي جوبر", "Syria", "Damascus"),
    ("قصف استهدف حي الشيخ مقصود في حلب", "حي الشيخ مقصود", "Syria", "Aleppo"),
    # other countries
    ("غارة إسرائيلية على قطاع غزة", "قطاع غزة", "Palestine", None),
    ("اقتحمت القوات مخيم جنين فجراً", "مخيم جنين", "Palestine", "Jenin"),
    ("سقط صاروخ على مدينة سديروت", "مدينة سديروت", "Israel", "Southern District"),
    ("تفجير انتحاري في حي الكرادة ببغداد", "حي الكرادة", "Iraq", "Baghdad"),
    ("هجوم على قاعدة عين الأسد غربي العراق", "قاعدة عين الأسد", "Iraq", "Anbar"),
    ("معارك عنيفة في محافظة صعدة اليمنية", "محافظة صعدة", "Yemen", "Sa'dah"),
    ("غارات للتحالف على مدينة الحديدة", "مدينة الحديدة", "Yemen", "Al Hudaydah"),
    ("تقدم القوات الحكومية في مديرية حيدان", "مديرية حيدان", "Yemen", "Sa'dah"),
    ("اشتباكات في مدينة بنغازي شرقي ليبيا", "مدينة بنغازي", "Libya", "Benghazi"),
    ("انفجار في مخيم عين الحلوة جنوبي لبنان", "مخيم عين الحلوة", "Lebanon", "South"),
    # countries (admin1 null) and their variants
    ("عاد اللاجئون من تركيا إلى سورية", "سورية", "Syria", None),
    ("زار الوفد روسيا وإيران", "روسيا", "Russia", None),
    ("قالت الولايات المتحدة الأمريكية إنها سترد", "الولايات المتحدة الأمريكية", "United States", None),
    ("وصل الوفد إلى السعودية أمس", "السعودية", "Saudi Arabia", None),
    ("أعلنت إسرائيل حالة التأهب", "إسرائيل", "Israel", None),
    ("مسيرات في شمال سوريا", "شمال سوريا", "Syria", None),
]


@pytest.mark.parametrize(("text", "surface", "country", "admin1"), FOUND)
def test_place_found_and_resolved(text: str, surface: str, country: str, admin1: str | None) -> None:
    p = find(text, surface)
    assert p.country == country
    assert p.admin1 == admin1
    assert text[p.start:p.end] == p.text


# sentences where a word that is also a place name must NOT be a place
NOT_PLACES = [
    ("أكدت الحكومة أن الحرية حق للجميع", ["الحرية", "الحكومة"]),
    ("قالت الفصائل إن الثورة مستمرة", ["الثورة", "الفصائل"]),
    ("وقالت قوات سوريا الديمقراطية إنها صدت الهجوم", ["سوريا"]),
    ("تقدمت الميليشيات الإيرانية والقوات الروسية", ["الإيرانية", "الروسية"]),
    ("أعلنت هيئة تحرير الشام مسؤوليتها", ["الشام"]),
    ("وقعت الاشتباكات في شهر آب الماضي", ["آب"]),
    ("رفض المتحدث وأن يعلق على الحادث", ["وأن"]),
    ("دعمت فصائل سورية موالية لأنقرة الهجوم", ["سورية"]),
    ("أعلنت القوات السعودية اعتراض صاروخ", ["السعودية"]),
    ("عاد النازحون إلى المدينة بعد المعارك", ["المدينة"]),
    ("وقال إن البلاد تمر بمرحلة صعبة", ["البلاد"]),
    ("انتشرت الخوذ البيضاء في الموقع", ["البيضاء"]),
]


@pytest.mark.parametrize(("text", "absent"), NOT_PLACES)
def test_word_like_names_need_a_cue(text: str, absent: list[str]) -> None:
    found = {p.text for p in places(text)}
    for word in absent:
        assert word not in found


def test_word_like_village_with_head_word() -> None:
    p = find("قصفت المدفعية قرية الحرية في ريف حماة", "قرية الحرية")
    assert p.feature == "village"


# homonyms: the context (governorate named nearby, the article's country) picks the place
HOMONYMS = [
    ("غارات على دوما في الغوطة الشرقية", "دوما", "Rural Damascus"),
    ("قتل مدنيون في عفرين شمال حلب", "عفرين", "Aleppo"),
    ("اقتحمت القوات بلدة نوى في ريف درعا الغربي", "بلدة نوى", "Dar'a"),
    ("هجوم على رأس العين في ريف الحسكة", "رأس العين", "Al-Hasakeh"),
    ("غارات للتحالف في محافظة البيضاء اليمنية وسط اليمن قرب البيضاء", "البيضاء", "Al Bayda"),
]


@pytest.mark.parametrize(("text", "surface", "admin1"), HOMONYMS)
def test_homonyms(text: str, surface: str, admin1: str) -> None:
    assert find(text, surface).admin1 == admin1


# grammar: feature, modifier and SPEC geo_precision
GRAMMAR = [
    ("قصف ريف إدلب الجنوبي", "ريف إدلب الجنوبي", "region", "south countryside", 3),
    ("غارة شرق مدينة غزة", "شرق مدينة غزة", "city", "east", 2),
    ("اشتباكات قرب بلدة سرمدا", "بلدة سرمدا", "town", "near", 2),
    ("هجوم في مدينة حلب", "مدينة حلب", "city", None, 1),
    ("معارك في محافظة إدلب", "محافظة إدلب", "governorate", None, 3),
    # compass adjectives and suffixes after long names (the phrase ends at the name's last word)
    ("قصفت الطائرات ريف الحسكة الجنوبي", "ريف الحسكة الجنوبي", "region", "south countryside", 3),
    ("اشتباكات في ريف اللاذقية الشمالي، وقتلى", "ريف اللاذقية الشمالي", "region", "north countryside", 3),
    ("وبريف الرقة الشرقي دارت معارك", "ريف الرقة الشرقي", "region", "east countryside", 3),
    ("أغلقت السلطات مطار الرياض الدولي أمام الرحلات", "مطار الرياض الدولي", "airport", None, 1),
]


@pytest.mark.parametrize(("text", "surface", "feature", "modifier", "precision"), GRAMMAR)
def test_spatial_grammar(text: str, surface: str, feature: str, modifier: str | None, precision: int) -> None:
    p = find(text, surface)
    assert (p.feature, p.modifier, p.geo_precision) == (feature, modifier, precision)


UNKNOWN = [
    # names the gazetteer lacks, after a head word: admin areas come from the context
    ("سيطرت القوات على منطقة الخشيبة شرق مدينة الحديدة", "منطقة الخشيبة", "Yemen", "Al Hudaydah"),
    ("تقدم الجيش في مديرية الزاهر بمحافظة البيضاء", "مديرية الزاهر", "Yemen", "Al Bayda"),
    ("قتل مدنيان في حي الصالحين الجديد بمدينة بنغازي", "حي الصالحين", "Libya", "Benghazi"),
]


@pytest.mark.parametrize(("text", "surface", "country", "admin1"), UNKNOWN)
def test_unknown_names_after_head_words(text: str, surface: str, country: str, admin1: str) -> None:
    p = find(text, surface)
    assert (p.country, p.admin1) == (country, admin1)


def test_unknown_name_has_no_id_but_context_admin() -> None:
    p = find("قتل مدنيان في حي الصالحين الجديد بمدينة بنغازي", "حي الصالحين")
    assert p.place_id is None and p.name_ar == "الصالحين" and p.geo_precision == 2


def test_every_field_is_filled() -> None:
    p = find("قتل ثلاثة أشخاص بقصف على مدينة سراقب", "مدينة سراقب")
    assert p.place_id and p.place_id.startswith("C")
    assert p.name and p.name_ar and p.feature and p.country == "Syria"
    assert p.admin1 == "Idleb" and p.admin2 and p.admin3
    assert p.latitude and p.longitude and p.geo_precision == 1
    assert 0 < p.confidence <= 1


TOKENISATION = [
    # punctuation glued to names, line breaks, repeated names: every mention keeps its offsets
    ("قصف على حلب،ادلب و(حماة) أمس", ["حلب", "ادلب", "حماة"]),
    ("سقطت قذائف على درعا.\nوفي درعا البلد قتل شاب", ["درعا", "درعا"]),
    ("«إدلب» تحت القصف مجدداً، وإدلب المدينة بلا كهرباء", ["إدلب", "إدلب"]),
    ("قتلى في حمص  -  حماة", ["حمص", "حماة"]),
]


@pytest.mark.parametrize(("text", "surfaces"), TOKENISATION)
def test_names_glued_to_punctuation(text: str, surfaces: list[str]) -> None:
    found = places(text)
    assert [p.text for p in found] == surfaces
    for p in found:
        assert text[p.start:p.end] == p.text


def test_offsets_survive_diacritics_and_tatweel() -> None:
    text = "قُتِلَ رجلٌ في مـدينـة حَمـاة أمس"
    for p in places(text):
        assert text[p.start:p.end] == p.text
    assert any(p.admin1 == "Hama" for p in places(text))


def test_arabic_indic_digits_do_not_break_matching() -> None:
    text = "سقط ١٢ قتيلاً في الطريق الدولي M5 قرب حماة"
    assert any(p.admin1 == "Hama" for p in places(text))


def test_meta_country_breaks_ties() -> None:
    # an Iraqi city named in a Syrian article needs Iraq in the text to be chosen
    assert find("سقطت قذائف على حي العمارة في دمشق", "حي العمارة", "Syria").admin1 == "Damascus"


@pytest.mark.parametrize("text, name, country", [
    ("اجتمع قادة روسيا وتركيا في أنقرة", "Turkey", "Turkey"),
    ("وصل الوفد إلى قطر أمس", "Qatar", "Qatar"),
    ("قصفت قوات النظام قرية تركيا بريف الرقة", "Turkeia", "Syria"),
])
def test_a_village_named_like_a_country_needs_its_head_word(text, name, country):
    doc = Pipeline(["normalise", "segment", "dates", "places"]).run(Document(text, Meta(country="Syria")))
    first = doc.places[0] if "قرية" in text else next(p for p in doc.places if p.name == name)
    assert (first.name, first.country) == (name, country)


@pytest.mark.parametrize("text, name, admin1", [
    ("قتل 23 شخصا في قرية القصر بريف الحسكة", None, "Al-Hasakeh"),  # the only القصر known is in As-Sweida
    ("قتل 3 في قرية القصر بريف السويداء", "Qasr", "As-Sweida"),  # not Jordan's Al Qasr
    ("قصف على بلدة كفرنبل بريف إدلب الجنوبي", "Kafr Nobol", "Idleb"),
])
def test_a_countryside_phrase_right_after_a_village_places_it(text, name, admin1):
    doc = Pipeline(["normalise", "segment", "dates", "places"]).run(Document(text, Meta()))
    village = doc.places[0]
    assert (village.name, village.admin1, village.country) == (name, admin1, "Syria")
