"""Casualty statements: status, count, bounds, victims and flags, on phrasings written in
the style of Syrian and regional conflict reporting (none copied from any article)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.extractors import Document, Pipeline
from rasd.extractors.pipeline import REGISTRY


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline(stages=["normalise", "segment", "casualties"])


@pytest.fixture(scope="module")
def pipe_actors() -> Pipeline:
    Pipeline()  # import every built-in stage
    names = [n for n in ("normalise", "segment", "dates", "places", "actors", "casualties") if n in REGISTRY]
    return Pipeline(stages=names)


def _read(pipe: Pipeline, text: str) -> list:
    doc = Document(text)
    pipe.run(doc)
    for m in doc.casualties:
        assert doc.text[m.start:m.end] == m.text
        assert m.end - m.start <= 200
    return doc.casualties


def _pairs(pipe: Pipeline, text: str) -> list[tuple[str, int | None]]:
    return [(m.status, m.count) for m in _read(pipe, text)]


K, I, C, M, KI = "killed", "injured", "captured", "missing", "killed_or_injured"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # verbal nouns with the victims after them
        ("وثق المرصد مقتل 25 شخصا في قصف على المدينة.", [(K, 25)]),
        ("أفاد ناشطون بمقتل ١٢ مدنيا بينهم أطفال.", [(K, 12)]),
        ("أسفر القصف عن مقتل ثلاثة عناصر من قوات النظام.", [(K, 3)]),
        ("أدى الانفجار إلى مقتل خمسة وعشرين شخصا.", [(K, 25)]),
        ("تحدثت مصادر عن مقتل الخمسة عشر عنصرا في الكمين.", [(K, 15)]),
        ("أعلنت الفصائل مقتل مئتي عنصر خلال المعارك.", [(K, 200)]),
        ("أعلن الجيش مقتل ألفين من المسلحين منذ بدء العملية.", [(K, 2000)]),
        ("أدى القصف إلى مقتل طفل في بلدة كفرنبل.", [(K, 1)]),
        ("أفادت مصادر محلية بمقتل عنصرين من الفرقة الرابعة.", [(K, 2)]),
        ("نعت صفحات موالية مقتل ضابطين برتبة ملازم.", [(K, 2)]),
        ("أسفرت الغارة عن استشهاد طفلين وامرأة.", [(K, 3)]),
        ("وثقت الشبكة إعدام 7 معتقلين في السجن.", [(K, 7)]),
        ("قتلى بقصف مدفعي على ريف إدلب\nأسفر القصف عن مقتل 4 مدنيين.", [(K, None), (K, 4)]),
        # passive verbs, subject after
        ("قُتل عنصران وضابط في هجوم على حاجز بريف حمص.", [(K, 3)]),
        ("قتل 20 شخصاً و4 أطفال في الغارة.", [(K, 24)]),
        ("قُتل ضابط وجندي في الاشتباكات.", [(K, 2)]),
        ("قتل على الفور اثنان من العناصر.", [(K, 2)]),
        ("قُتل مساء الجمعة 16 مدنيا في القصف.", [(K, 16)]),
        ("أصيب ثلاثة ضباط آخرين في الانفجار.", [(I, 3)]),
        ("أُصيب ٤ مدنيين بجروح متفاوتة.", [(I, 4)]),
        ("جُرح سبعة أشخاص بينهم امرأتان.", [(I, 7)]),
        ("اعتُقل ثلاثة شبان على حاجز للأمن العسكري.", [(C, 3)]),
        ("اختُطف أربعة عناصر من الشرطة على طريق المطار.", [(C, 4)]),
        ("أُسر خمسة مقاتلين خلال الهجوم.", [(C, 5)]),
        # subject before the verb
        ("قال المرصد إن 25 شخصا على الأقل قتلوا جراء التفجير.", [(K, 25)]),
        ("ذكرت مصادر أن أربعة أشخاص أصيبوا بجروح.", [(I, 4)]),
        ("وأكد الدفاع المدني أن 20 آخرين أصيبوا في القصف.", [(I, 20)]),
        ("أشار إلى أن ستة عناصر من الميليشيات قتلوا في الكمين.", [(K, 6)]),
        ("وقال إن 51 شخصا بينهم 40 طفلا قتلوا.", [(K, 51)]),
        ("وأكدت أن 12 عنصرا من الميليشيا، قتلوا في الهجوم.", [(K, 12)]),
        ("وأوضح أن عضوين من الفصيل قد قتلا في الغارة.", [(K, 2)]),
        # "لقي ... مصرعهم"
        ("لقي ثلاثة عناصر مصرعهم بانفجار لغم.", [(K, 3)]),
        ("لقي 14 مقاتلا على الأقل من بينهم أجانب، مصرعهم.", [(K, 14)]),
        ("وأفاد أن 9 أشخاص لقوا حتفهم في الحادث.", [(K, 9)]),
        ("لقي شخص مصرعه برصاص مجهولين.", [(K, 1)]),
        ("لقي الشاب مصرعه مع شقيقه برصاص قناص.", [(K, 2)]),
        # victim nouns counted before them
        ("سقط 60 قتيلا في القصف.", [(K, 60)]),
        ("خلفت الغارات سبعة قتلى على الأقل.", [(K, 7)]),
        ("وصل إلى المستشفى 28 جريحا.", [(I, 28)]),
        ("خلف الانفجار أكثر من 200 جريح.", [(I, 200)]),
        ("ارتفع العدد إلى 12 مصابا.", [(I, 12)]),
        ("انفجار يخلف قتيلين في السوق", [(K, 2)]),
        ("سقوط عشرات الجرحى في قصف على الأحياء.", [(I, 10)]),
        ("ذكرت الوكالة ان عدد القتلى 14 بينما أصيب 29 آخرون.", [(K, 14), (I, 29)]),
        ("وقالت إن عدد القتلى بلغ 30 شخصا.", [(K, 30)]),
        ("وارتفع عدد قتلى القوات الحكومية إلى 179.", [(K, 179)]),
        # bounds and approximations
        ("قتل نحو 17 عنصرا في المواجهات.", [(K, 17)]),
        ("أصيب قرابة 40 شخصا في الانفجار.", [(I, 40)]),
        ("قتل حوالي ثلاثين مدنيا.", [(K, 30)]),
        ("قتل أكثر من 100 شخص في الغارات.", [(K, 100)]),
        ("قتل ما لا يقل عن ثلاثة أشخاص بينهم رضيعة.", [(K, 3)]),
        ("قتل ما يزيد عن 50 عنصرا.", [(K, 50)]),
        ("قتل 25 شخصا على الأقل في التفجير.", [(K, 25)]),
        ("قتل بين 10 و15 شخصا في القصف.", [(K, 10)]),
        # vague quantities
        ("أسفر القصف عن مقتل العشرات.", [(K, 10)]),
        ("قتلت الغارات عشرات المسلحين.", [(K, 10)]),
        ("أصيب المئات خلال الاحتجاجات.", [(I, 100)]),
        ("أدت الهجمات إلى سقوط عدد من القتلى.", [(K, None)]),
        ("أصيب عدد من المدنيين في القصف.", [(I, None)]),
        ("أصيب آخرون بجروح.", [(I, None)]),
        ("وأصيب عشرات آخرون.", [(I, 10)]),
        ("جرى تشييع جثث عشرات الضحايا.", [(K, 10)]),
        # one of, ordinals, singular and dual nouns
        ("قُتل أحد عناصر الحاجز.", [(K, 1)]),
        ("قتل مدنيان وأصيب ثالث في القصف.", [(K, 2), (I, 1)]),
        ("مقتل شاب برصاص قناص في درعا البلد.", [(K, 1)]),
        ("مقتل إرهابيين اثنين في عملية أمنية.", [(K, 2)]),
        ("أصيب بجروح طفيفة في الحادث.", [(I, 1)]),
        ("وكان قد اعتقل في وقت لاحق.", [(C, 1)]),
        ("اعتقال عنصرين من التنظيم في ريف دير الزور.", [(C, 2)]),
        ("عثر على جثة ملازم داخل منزله.", [(K, 1)]),
        ("انتشال جثث 39 عاملا من تحت الأنقاض.", [(K, 39)]),
        # combined statuses
        ("أسفر الهجوم عن مقتل وإصابة 12 شخصا.", [(KI, 12)]),
        ("سقط العشرات بين قتيل وجريح.", [(KI, 10)]),
        ("أدى الانفجار إلى مقتل 17 شخصا وإصابة 90 بجروح.", [(K, 17), (I, 90)]),
        ("قتل 3 وأصيب 7 آخرون في القصف.", [(K, 3), (I, 7)]),
        # captured and missing
        ("شنت قوات الأمن حملة اعتقالات في المدينة.", [(C, None)]),
        ("اعتقلت الشرطة 5 أشخاص بتهمة التعامل مع التنظيم.", [(C, 5)]),
        ("أُسر أربعة آخرون خلال الهجوم.", [(C, 4)]),
        ("لا يزال العشرات مفقودين تحت الأنقاض.", [(M, 10)]),
        ("أفادت مصادر بوجود 6 مفقودين بعد الغارة.", [(M, 6)]),
        # SOHR idioms: "قضى", the figure before the toll head, an agent between verb and victims
        ("قضى عنصر من الفصائل برصاص قناص.", [(K, 1)]),
        ("قضى الاتفاق بوقف إطلاق النار.", []),
        ("ارتفع إلى 12 عدد قتلى قوات النظام خلال الهجوم.", [(K, 12)]),
        ("وثق المرصد استشهاد 3 مواطنين بينهم طفل جراء القصف.", [(K, 3)]),
        ("لقي طفلان حتفهما بانفجار لغم.", [(K, 2)]),
        ("وكان بين القتلى 9 مسلحين.", [(K, 9)]),
        # explicit zero
        ("استهدف القصف أطراف البلدة ولم يسفر عن إصابات.", [(I, 0)]),
        ("سقطت القذيفة في أرض زراعية دون وقوع إصابات.", [(I, 0)]),
        # not casualty statements
        ("نفى الجيش مقتل أي مدني في الغارة.", []),
        ("ولم يُقتل أي جندي في الهجوم.", []),
        ("هدد التنظيم بقتل الرهائن.", []),
        ("أصيبت أربعة مستشفيات بأضرار.", []),
        ("شارك الآلاف في تشييع ضحايا القصف.", []),
        ("ارتكبت الميليشيات جرائم قتل بحق المدنيين.", []),
        ("أرسلت القوات تعزيزات لاعتقال المطلوبين.", []),
        ("قال إن القتلى سقطوا في ساعات الصباح.", []),
        ("فقد النظام السيطرة على البلدة.", []),
        ("وصلت نسبة المصابين إلى 50 في المئة.", []),
        ("قد يقتل المزيد إذا استمر القصف.", []),
        # "كل من" lists named victims: counted by their joiners
        ("أدى الانفجار لمقتل كل من الجندي جون بالإضافة إلى الرقيب مات وإصابة خمسة آخرين.", [(K, 2), (I, 5)]),
        ("أسفر القصف عن مقتل كل من أحمد ومحمد وخالد في بلدة كفرنبل.", [(K, 3)]),
        ("أسفر القصف عن مقتل كل من أحمد العلي في بلدة كفرنبل.", [(K, 1)]),
        ("وأسفر الهجوم عن مقتل كل من ٣ عناصر من الفرقة الرابعة.", [(K, 3)]),
        # coordination across the first victims' side
        ("قتل 5 عناصر من قوات النظام، وأصيب 3 آخرون.", [(K, 5), (I, 3)]),
        # a threat "to execute" is not an execution
        ("نشر التنظيم تسجيلا يهدد فيه عناصره بإعدام 6 أشخاص خلال 3 أيام.", []),
        ("أعدم التنظيم 6 أشخاص بتهمة التعاون مع الحكومة.", [(K, 6)]),
        # either-or is an aim, not a report; the arrest alone is one
        ('وكانت مهمة الدورية "قتل أو إلقاء القبض" على القيادي في التنظيم.', []),
        ("تمكنت القوات من إلقاء القبض على 5 مطلوبين في درعا.", [(C, 5)]),
    ],
)
def test_status_and_count(pipe: Pipeline, text: str, expected: list[tuple[str, int | None]]) -> None:
    assert _pairs(pipe, text) == expected


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("وثق المرصد مقتل 25 شخصا في قصف.", "مقتل 25 شخصا"),
        ("وأصيب 29 آخرون في الانفجار.", "أصيب 29 آخرون"),
        ("لقي ثلاثة عناصر مصرعهم بانفجار.", "لقي ثلاثة عناصر مصرعهم"),
        ("وقال إن 25 شخصا على الأقل قتلوا.", "25 شخصا على الأقل قتلوا"),
        ("وقتل ٣ أشخاص.", "قتل ٣ أشخاص"),  # no leading clitic
        ("بمقتل سبعة مدنيين.", "مقتل سبعة مدنيين"),
        ("مقتل 39 مدنيا بينهم 12 طفلا في القصف.", "مقتل 39 مدنيا بينهم 12 طفلا"),
        ("قُتِلَ ثَلَاثَةُ عَنَاصِرَ.", "قُتِلَ ثَلَاثَةُ عَنَاصِرَ"),
    ],
)
def test_span(pipe: Pipeline, text: str, span: str) -> None:
    (m,) = _read(pipe, text)
    assert m.text == span


def test_bounds(pipe: Pipeline) -> None:
    (m,) = _read(pipe, "قتل أكثر من 100 شخص.")
    assert (m.count, m.low, m.high) == (100, 100, None)
    (m,) = _read(pipe, "قتل 25 شخصا على الأقل.")
    assert (m.count, m.low) == (25, 25)
    (m,) = _read(pipe, "قتل بين 10 و15 شخصا.")
    assert (m.count, m.low, m.high) == (10, 10, 15)
    (m,) = _read(pipe, "قتل نحو 40 شخصا.")
    assert (m.count, m.low, m.high) == (40, None, None)


@pytest.mark.parametrize(
    ("text", "victim_type"),
    [
        ("مقتل 5 مدنيين في القصف.", "civilians"),
        ("مقتل ثلاثة أطفال وامرأة.", "civilians"),
        ("مقتل 4 جنود في الكمين.", "military"),
        ("مقتل ضابط برتبة عقيد.", "military"),
        ("مقتل 43 مسلحا في الاشتباكات.", "armed group"),
        ("مقتل 3 فلسطينيين برصاص الجيش.", "civilians"),
    ],
)
def test_victim_type_from_noun(pipe: Pipeline, text: str, victim_type: str) -> None:
    (m,) = _read(pipe, text)
    assert m.victim_type == victim_type


def test_victim_from_actor(pipe_actors: Pipeline) -> None:
    if "actors" not in pipe_actors.names:
        pytest.skip("actors stage not built")
    (m,) = [c for c in _read(pipe_actors, "قتل 12 عنصراً من قوات النظام في ريف حماة.")]
    assert m.count == 12 and m.victim is not None and m.victim_type == "military"


def test_agent_between_verb_and_victims(pipe_actors: Pipeline) -> None:
    if "actors" not in pipe_actors.names:
        pytest.skip("actors stage not built")
    ms = _read(pipe_actors, "اعتقلت دورية للأمن العسكري 4 شبان من أبناء البلدة.")
    assert [(m.status, m.count, m.victim) for m in ms] == [("captured", 4, None)]


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("قتل 3 أشخاص في حادث سير على طريق حلب.", "non_conflict"),
        ("توفي 4 أشخاص غرقا في نهر الفرات.", "non_conflict"),
        ("قتل 257 شخصا في حادث سقوط الطائرة العسكرية قرب العاصمة.", "non_conflict"),
        ("قتل 12 مقاتلا خلال الفترة ذاتها.", "aggregate"),
        ("قتل 40 فلسطينيا منذ أن بدأت الاحتجاجات.", "aggregate"),
        ("قتلت القوات أكثر من 160 فلسطينيا، معظمهم خلال الاحتجاجات الأسبوعية.", "aggregate"),
        ("قتل أكثر من 500 مدني منذ بداية العام.", "aggregate"),
        ("وثق المرصد مقتل 3 آلاف شخص منذ عام 2011.", "aggregate"),
        ("قتل العشرات خلال الأسابيع الماضية.", "aggregate"),
        ("وارتفعت حصيلة القتلى إلى 25 شخصا.", "update"),
    ],
)
def test_flags(pipe: Pipeline, text: str, flag: str) -> None:
    ms = _read(pipe, text)
    assert ms and getattr(ms[0], flag)


def test_headline_repeat(pipe: Pipeline) -> None:
    text = "مقتل 5 عناصر في كمين بريف درعا\nقتل 5 عناصر من الشرطة في كمين نصبه مسلحون قرب بلدة طفس."
    head, body = _read(pipe, text)
    assert head.repeat and not body.repeat
    assert head.count == body.count == 5


def test_vague_then_specific_is_repeat(pipe: Pipeline) -> None:
    text = "أسفر القصف عن مقتل العشرات. وأحصى المرصد مقتل 35 مدنيا."
    vague, specific = _read(pipe, text)
    assert vague.repeat and not specific.repeat


def test_separate_subset_is_repeat(pipe: Pipeline) -> None:
    ms = _read(pipe, "أسفر القصف عن مقتل 43 مدنيا في عفرين، بينهم 16 طفلا.")
    assert [(m.count, m.repeat) for m in ms] == [(43, False), (16, True)]


def test_sentence_index(pipe: Pipeline) -> None:
    ms = _read(pipe, "بدأ القصف صباحا. ثم قتل 3 أشخاص.")
    assert [m.sentence for m in ms] == [1]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهويةى ءآأؤإئًٌٍَُِّْـ0123456789٠١٢٣,.،؛؟\"«»\n", max_size=120))
def test_random_arabic_never_raises(text: str) -> None:
    pipe = Pipeline(stages=["normalise", "segment", "casualties"])
    doc = Document(text)
    pipe.run(doc)
    for m in doc.casualties:
        assert doc.text[m.start:m.end] == m.text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(
    ["قتل", "مقتل", "أصيب", "قتلوا", "لقي", "مصرعهم", "25", "ثلاثة", "عنصرا", "مدنيين", "بينهم", "و",
     "آخرون", "على الأقل", "أكثر من", "عشرات", "قتلى", "جرحى", "عدد", "،", ".", "\n", "لم يسفر عن إصابات",
     "من", "قوات النظام", "نحو", "بين", "إلى", "جثث", "اعتقال", "الأحد"]), max_size=30))
def test_random_report_words_never_raise(words: list[str]) -> None:
    pipe = Pipeline(stages=["normalise", "segment", "casualties"])
    doc = Document(" ".join(words))
    pipe.run(doc)
    for m in doc.casualties:
        assert doc.text[m.start:m.end] == m.text


@pytest.mark.parametrize(
    "text, expected",
    [
        # a unit's number is part of its name, not a count
        ("أفاد مصدر بأن سبعة عناصر من الفرقة 25 قُتلوا", [("killed", 7)]),
        ("قتل 3 عناصر من اللواء 47 في الهجوم", [("killed", 3)]),
        # a conjunction glued to digits
        ("بلغت الحصيلة ستة قتلى و15 جريحاً", [("killed", 6), ("injured", 15)]),
        ("قتل مدنيان وأصيب و٢٠ آخرون", [("killed", 2), ("injured", 20)]),
    ],
)
def test_units_and_glued_digits(pipe_actors: Pipeline, text: str, expected: list[tuple[str, int]]) -> None:
    assert _pairs(pipe_actors, text) == expected


@pytest.mark.parametrize(
    "text, victim_type, victim",
    [
        ("أعلنت الوزارة مقتل أربعة من عناصرها في كمين", "military", None),
        ("قتل ثلاثة من مقاتليها في المعارك", "military", None),
        ("قُتل مدني برصاص مسلحين مجهولين في درعا", "civilians", None),  # the gunmen shot him
        ("قتل عنصران من قوات النظام برصاص قناص", "military", "Military Forces of Syria (2000-2024)"),
    ],
)
def test_possessive_victims_and_attackers_after_the_victims(pipe_actors: Pipeline, text: str, victim_type: str,
                                                             victim: str | None) -> None:
    [m] = _read(pipe_actors, text)
    assert (m.victim_type, m.victim) == (victim_type, victim)


@pytest.mark.parametrize(("text", "expected"), [
    ("أكدت مصادر مقتل 3 خبراء من حزب الله اللبناني، و4 يمنيين في غارة جوية.", [(K, 7)]),
    ("قتل 5 عناصر من قوات النظام و3 مدنيين بقصف على البلدة.", [(K, 8)]),
    ("قتل 5 عناصر من قوات النظام، وأصيب 3 آخرون.", [(K, 5), (I, 3)]),
])
def test_coordination_past_the_first_victims_side(pipe_actors: Pipeline, text: str, expected) -> None:
    assert _pairs(pipe_actors, text) == expected
