"""Stage `events`: assemble ACLED-style event rows from the mentions of earlier stages.

An article usually recounts one incident several times (headline, lead, quotes from two
sources) and sometimes recounts earlier incidents with their own date or place.  So the
unit here is the *anchor sentence* — one that reports casualties, or an incident trigger
("غارة", "اشتباكات", "حملة دهم") with a place — and anchors are folded into incidents
unless they bring a date or place of their own that contradicts the incident so far.
Counts come only from casualty mentions, never from guesses: repeats give the low/high
range, aggregates, non-conflict deaths and figures larger than any one incident (a war's
toll, `max_incident_toll` in events.yaml) never become events.

Confidence (0–1) is additive and documented in the README: 0.3 base, +0.2 when the place is
named in an anchor sentence (+0.1 when inherited from the headline/lead), +0.15 for a date in
an anchor sentence (+0.05 inherited), +0.15 for a trigger word, +0.1 for an attacking actor,
+0.1 when a casualty count is stated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rasd.lexicons import builtin, user_sections

from .document import Document, Sentence, as_date
from .matcher import Match, PhraseMatcher, longest_first
from .mentions import ActorMention, CasualtyMention, DateMention, EventRow, PlaceMention
from .normalise import fold
from .pipeline import stage

COUNTED = ("killed", "injured", "captured")
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
FINE = ("day", "week")
CIVILIAN_INTER = 7


@dataclass(frozen=True)
class Trigger:
    cls: str
    event_type: str
    sub_event_type: str
    priority: int
    standalone: bool
    nstart: int
    nend: int


@lru_cache(maxsize=8)
def _lexicon(lexicon_dirs: tuple[str, ...] = ()) -> tuple[PhraseMatcher, dict[str, Any]]:
    """One matcher for trigger words (values `(class,)`) and cue words (`("@", kind)`), so a
    document is scanned once; user files with a top-level `classes:` add words or classes."""
    data = dict(builtin("events"))
    classes = {k: dict(v) for k, v in data["classes"].items()}
    for _path, extra in user_sections(lexicon_dirs, "classes"):
        for name, spec in (extra or {}).items():
            merged = classes.setdefault(name, {"priority": 50, "standalone": False, "words": []})
            words = list(merged.get("words", [])) + list(spec.get("words", []))
            merged.update(spec)
            merged["words"] = words
    data["classes"] = classes
    data["_complementizers"] = frozenset(fold(w) for w in data.get("source_complementizers", []))
    data["_reporting"] = frozenset(fold(w) for w in data.get("reporting_verbs", []))
    data["_regions"] = {str(k): frozenset(v) for k, v in (data.get("region_governorates") or {}).items()}
    data["_toll_words"] = frozenset(fold(w) for w in data.get("toll_words", []))
    data["_since"] = frozenset(fold(w) for w in data.get("since_words", []))
    data["_day_parts"] = frozenset(fold(w) for w in data.get("since_day_parts", []))
    # bare (no date after it) only "منذ" itself: "بدأت في قصف" is no period
    since = "|".join(sorted((re.escape(w) for w in data["_since"] if " " not in w), key=len, reverse=True)) or "(?!)"
    data["_since_re"] = re.compile(rf"(?<!\w)(?:{since})(?!\w)")
    words = PhraseMatcher()
    for cls, spec in data["classes"].items():
        for w in spec["words"]:
            words.add(w, (cls,))
    for key, kind in (("non_incident_cues", "non_incident"), ("addition_cues", "addition"),
                      ("report_openers", "report"), ("teaser_openers", "teaser"),
                      ("agent_verbs", "agent"), ("agent_preps", "agent_prep")):
        for w in data.get(key, []):
            words.add(w, ("@", kind))
    return words, data


@dataclass
class Anchor:
    sentence: Sentence
    triggers: list[Trigger] = field(default_factory=list)
    casualties: list[CasualtyMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    place: PlaceMention | None = None
    context: list[PlaceMention] = field(default_factory=list)  # places in the sentences that follow

    @property
    def counted(self) -> list[CasualtyMention]:
        """Figures of killed, injured or captured people."""
        return [c for c in self.casualties if c.status in COUNTED and c.count]

    @property
    def fresh(self) -> list[CasualtyMention]:
        """Figures told for the first time (not repeated, not a toll update)."""
        return [c for c in self.counted if not (c.repeat or c.update)]

    @property
    def restates(self) -> bool:
        """Only repeated or updated figures: a restatement, never an incident of its own."""
        counted = self.counted
        return bool(counted) and all(c.repeat or c.update for c in counted) and not self.triggers

    @property
    def date(self) -> DateMention | None:
        """The sentence's day or week date (its value may be unresolved: no publication date)."""
        return next((d for d in self.dates if d.precision in FINE), None)

    @property
    def coarse_date(self) -> DateMention | None:
        """A month or year ("عام 2018"): background more often than the incident's date."""
        return next((d for d in self.dates if d.precision not in FINE and d.value), None)


@dataclass
class Incident:
    anchors: list[Anchor] = field(default_factory=list)
    place: PlaceMention | None = None
    place_own: bool = False
    date: DateMention | None = None
    date_own: bool = False
    aside: bool = False  # told in passing at a time of its own ("احتجاجات الأسبوع الماضي")
    teaser: bool = False  # a related story's headline ("اقرأ أيضا: …"): nothing inherited
    whole: Incident | None = None  # the region-wide incident this one is a part of
    parts: list[Incident] = field(default_factory=list)  # its town-level parts

    def tops(self) -> dict[str, int]:
        """The largest figure told for each status (killed, injured, captured)."""
        top: dict[str, int] = {}
        for a in self.anchors:
            for c in a.counted:
                top[c.status] = max(top.get(c.status, 0), c.count or 0)
        return top


def best_place(places: list[PlaceMention]) -> PlaceMention | None:
    """The most precise place: a named town over a region over a governorate over a country."""
    if not places:
        return None

    def rank(p: PlaceMention) -> tuple[int, int]:
        level = 0 if p.admin1 is None else (1 if p.feature in ("governorate",) else 2)
        precise = {1: 3, 2: 2, 3: 1}.get(p.geo_precision or 3, 0)
        return (level, precise)

    return max(places, key=lambda p: (rank(p), -p.start))


def compatible(a: PlaceMention | None, b: PlaceMention | None,
               regions: dict[str, frozenset[str]] | None = None) -> bool:
    """Could two place mentions be the same incident's location? `regions`: the governorates
    of regions that have no admin1 of their own (Jenin is not in the Gaza Strip)."""
    if a is None or b is None:
        return True
    if a.place_id and a.place_id == b.place_id:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if a.admin1 is None or b.admin1 is None:
        region, town = (a, b) if a.admin1 is None else (b, a)
        spans = (regions or {}).get(region.place_id or "")
        return spans is None or town.admin1 is None or town.admin1 in spans
    if a.admin1 != b.admin1:
        return False
    # same governorate: distinct named towns are different incidents ("قتل 3 في كفرنبل،
    # وقتل 2 في معرة النعمان"), but not a town and a neighbourhood of it
    towns = a.geo_precision == 1 and b.geo_precision == 1
    if towns and a.admin2 and b.admin2 and a.admin2 != b.admin2:
        return False
    if towns and a.place_id and b.place_id and a.place_id != b.place_id:
        return not (a.feature in _SETTLEMENTS and b.feature in _SETTLEMENTS)
    return True


_SETTLEMENTS = frozenset({"city", "town", "village", "camp"})  # places that are one incident's spot


def _country_level(p: PlaceMention) -> bool:
    """A whole country, or a compass part of one ("شمال اليمن"): not where anything happened."""
    pid = p.place_id or ""
    return p.feature == "country" or pid.startswith("iso3166:") or (len(pid) == 2 and pid.isalpha())


def _same_figures(a: Anchor, inc: Incident) -> bool:
    """Does every count in the anchor repeat a (status, count) already stated in the incident?"""
    mine = {(c.status, c.count) for c in a.counted}
    seen = {(c.status, c.count) for x in inc.anchors for c in x.casualties if c.count}
    return bool(mine) and mine <= seen


def _by_sentence(items) -> dict[int, list]:
    out: dict[int, list] = {}
    for m in items:
        out.setdefault(m.sentence, []).append(m)
    return out


@stage("events", requires=("segment",), assigns=("events",))
class EventAssembler:
    """Fill `doc.events` with one `EventRow` per incident."""

    def __init__(self, lexicon_dirs: tuple[str, ...] = ()) -> None:
        self.lexicon_dirs = tuple(lexicon_dirs)
        self._words, self._data = _lexicon(self.lexicon_dirs)
        self._headline = False
        self._country: str | None = None
        self._adds: set[int] = set()
        self._agents: list[int] = []
        self._agent_preps: list[int] = []
        self._date_texts: dict[int, set[str]] = {}
        self._regions: dict[str, frozenset[str]] = self._data["_regions"]

    @property
    def phrase_matchers(self) -> tuple[PhraseMatcher, ...]:
        """Matchers the pipeline may let share one scan of `doc.norm` (`share_scan`)."""
        return (self._words,)

    def __call__(self, doc: Document) -> None:
        words, data = self._words, self._data
        trig_by_sentence: dict[int, list[Trigger]] = {}
        classes = data["classes"]
        trig_hits: list[Match] = []
        cue_hits: list[Match] = []
        for m in words.iter(doc.norm):
            trig = [v for v in m.values if v[0] != "@"]
            cue = [v for v in m.values if v[0] == "@"]
            if trig:
                trig_hits.append(m._replace(values=tuple(v[0] for v in trig)))
            if cue:
                cue_hits.append(m._replace(values=tuple(v[1] for v in cue)))
        for m in longest_first(trig_hits):
            spec = classes[m.values[0]]
            t = Trigger(m.values[0], spec["event_type"], spec["sub_event_type"], spec["priority"],
                        spec.get("standalone", False), m.nstart, m.nend)
            trig_by_sentence.setdefault(doc.sentence_index(m.nstart), []).append(t)
        cue_sentences: set[int] = set()
        teasers: set[int] = set()  # sentences that are another story's headline
        self._adds: set[int] = set()  # sentences whose figures add to earlier ones
        self._agents: list[int] = []  # ends of attack verbs (normalised positions)
        self._agent_preps: list[int] = []  # ends of "برصاص", "على يد", …
        for m in longest_first(cue_hits):
            k = doc.sentence_index(m.nstart)
            if m.values[0] == "agent":
                self._agents.append(m.nend)
            elif m.values[0] == "agent_prep":
                self._agent_preps.append(m.nend)
            elif m.values[0] == "non_incident":
                cue_sentences.add(k)
            elif m.values[0] == "teaser" and m.nstart - doc.sentences[k].nstart < 3:
                teasers.add(k)
            elif m.values[0] == "addition" and m.nstart - doc.sentences[k].nstart < 25:
                self._adds.add(k)

        datelines = dateline_spans(doc)
        places = [p for p in doc.places if not any(a <= p.start < b for a, b in datelines)] if datelines \
            else doc.places
        self._country = doc.meta.country or dominant_country(places)
        self._date_texts: dict[int, set[str]] = {}
        for d in doc.dates:  # a sentence's own day-level (or vague) time: "خلال اليومين الماضيين"
            if not d.duration and (d.precision in FINE or d.value is None):
                self._date_texts.setdefault(d.sentence, set()).add(d.value or fold(d.text))
        toll_limit = data.get("max_incident_toll") or float("inf")
        periods = self._periods(doc)
        opening = {s for dates in periods.values() for s, _, o in dates if o}
        by_sentence = {
            "casualties": _by_sentence(c for c in doc.casualties if not (c.aggregate or c.non_conflict)
                                       and (c.count or 0) <= toll_limit
                                       and not _in_period(c, periods, doc.text)),
            "places": _by_sentence(places),
            # a period's start ("منذ 30 آذار") is not when anything in the sentence happened
            "dates": _by_sentence(d for d in doc.dates if not d.duration and d.start not in opening),
            "actors": _by_sentence(doc.actors),
        }
        anchors: list[Anchor] = []
        # only sentences with casualty words or a trigger can anchor an incident
        for k in sorted(set(by_sentence["casualties"]) | set(trig_by_sentence)):
            s = doc.sentences[k]
            a = Anchor(s, trig_by_sentence.get(k, []), *(by_sentence[f].get(k, []) for f in by_sentence))
            has_counts = any(c.status in COUNTED and (c.count or 0) > 0 for c in a.casualties)
            # an incident without casualties needs a place and its own day: "حملة دهم اليوم في
            # بلدة X" is news, "تتقاسم الفصائل السيطرة على إدلب منذ 2020" is background
            standalone = (any(t.standalone for t in a.triggers) and a.places
                          and any(d.precision in FINE and d.value for d in a.dates))
            if s.index in cue_sentences and not has_counts:
                continue
            if has_counts or standalone:
                a.place = self._anchor_place(doc, a)
                anchors.append(a)
        if not anchors:
            return
        self._doc = doc
        self._attach_context(doc, anchors, [p for p in places if p.sentence not in teasers])
        self._headline = is_headline(doc)
        incidents = self._group([a for a in anchors if a.sentence.index not in teasers])
        for a in anchors:  # a related story's headline is its own incident, whatever it says
            if a.sentence.index in teasers:
                a.context = []
                a.place = self._anchor_place(doc, a)
                date = a.date if a.date is not None and a.date.value else None
                incidents.append(Incident([a], a.place, a.place is not None, date, date is not None, teaser=True))
        incidents.sort(key=lambda i: i.anchors[0].sentence.index)
        lead_places = self._home([p for p in places if p.sentence <= 1])
        lead_place = best_place(lead_places) or best_place(self._home(places))
        lead_date = self._lead_date(doc)
        for k, inc in enumerate(incidents, 1):
            if inc.teaser:
                pass  # another story: neither the lead's place nor its date
            elif inc.place is None:
                inc.place = lead_place
            elif inc.place.admin1 is None and _country_level(inc.place):
                # "في سوريا": a precise place from the lead or the incident's sentences (a
                # region such as "قطاع غزة" stays: "غزة" nearby may mean the strip, not the city)
                pool = lead_places + [p for a in inc.anchors for p in self._home(a.places) + a.context]
                finer = best_place([p for p in pool if compatible(p, inc.place, self._regions)] + [inc.place])
                if finer is not inc.place and _more_precise(finer, inc.place):
                    inc.place = finer
            if inc.place is not None and inc.place.admin1 is not None:
                region = self._spanned_region(doc, inc)
                if region is not None:
                    inc.place = region
            if inc.date is None and not (inc.aside or inc.teaser):
                coarse = next((a.coarse_date for a in inc.anchors if a.coarse_date), None)
                inc.date = lead_date if lead_date is not None else coarse
            doc.events.append(self._row(doc, k, inc))
        rows = dict(zip(map(id, incidents), doc.events, strict=True))
        for inc in incidents:  # a region's toll less what its towns' parts account for
            if inc.parts:
                _subtract(rows[id(inc)], [rows[id(p)] for p in inc.parts])

    # -- grouping ------------------------------------------------------------------------
    def _group(self, anchors: list[Anchor]) -> list[Incident]:
        incidents: list[Incident] = []
        cur: Incident | None = None
        for a in anchors:
            place, date = a.place, a.date
            if cur is not None and cur.aside and not a.dates and len(incidents) > 1:
                # back from an aside: undated figures continue the story's incident
                main = next((i for i in reversed(incidents) if not i.aside), None)
                if main is not None and (place is None or compatible(place, main.place, self._regions)):
                    cur = main
            whole = cur.whole if cur is not None else None
            if whole is not None and (place is None or place.place_id == (whole.place.place_id if whole.place
                                      else None)) and (self._whole_toll(a) or not _fits(a, whole)):
                cur = whole  # "ارتفعت الحصيلة إلى ثلاثة": the region's toll (or more), not the town's
            if cur is not None and cur.whole is None and self._breakdown(a, cur):
                part = Incident([a], place, True, date, date is not None, whole=cur)
                cur.parts.append(part)
                incidents.append(part)
                cur = part
                continue
            if cur is not None:
                clash_place = place is not None and cur.place_own and not compatible(place, cur.place, self._regions)
                if place is not None and not clash_place and self._within_region(a, cur):
                    clash_place = True
                clash_date = (date is not None and cur.date_own and cur.date is not None and date.value is not None
                              and cur.date.value is not None and date.value != cur.date.value)
                aside = None if clash_date else self._own_time(a, cur)
                retold = (clash_place or clash_date or aside is not None) and _same_figures(a, cur)
                if retold:  # the same toll told again, elsewhere named: not the incident's place
                    clash_place = clash_date = False
                    aside = place = None
                if aside is not None:
                    date = aside if aside.value else None
                clash_date = clash_date or aside is not None
                if not (clash_place or clash_date):
                    cur.anchors.append(a)
                    if place is not None and (not cur.place_own or _more_precise(place, cur.place)):
                        cur.place, cur.place_own = place, True
                    if date is not None and not cur.date_own:
                        cur.date, cur.date_own = date, True
                    continue
                # a later mention of an earlier incident (same place and date as one seen) joins it
                same = next((i for i in incidents if (place is None or compatible(place, i.place, self._regions))
                             and (date is None or i.date is None or date.value == i.date.value)
                             and (place is not None or date is not None) and i is not cur), None)
                if same is not None and same is not cur:
                    same.anchors.append(a)
                    continue
                if a.restates:  # figures repeated from elsewhere: nothing new to count
                    continue
            else:
                aside = None
            own_place = place is not None
            if aside is not None and place is None and cur is not None:
                place = cur.place  # the same story's place, told at another time
            cur = Incident([a], place, own_place, date, date is not None, aside is not None)
            incidents.append(cur)
        return incidents

    def _breakdown(self, a: Anchor, inc: Incident) -> bool:
        """Is the anchor a town's share of a region-wide toll? "قتل 3 في غارات على قطاع غزة …
        طفلة ووالدتها قتلتا في غارة على مخيم النصيرات": 2 of the 3, in a place of their own."""
        region = inc.place
        if not inc.place_own or region is None or region.place_id not in self._regions or a.place is None:
            return False
        if a.place not in a.places:
            return False  # a town named in the next sentences is no sure share of the toll
        if a.place.admin1 not in self._regions[region.place_id]:
            return False
        fresh: dict[str, int] = {}
        for c in a.fresh:
            fresh[c.status] = fresh.get(c.status, 0) + (c.count or 0)
        counted = inc.tops()
        # only figures the region already counts, each smaller: new dead where only wounded were
        # counted are another incident ("إصابة 4 جنود" then "مقتل فلسطينيين في رفح")
        return bool(fresh) and all(n < counted.get(st, 0) for st, n in fresh.items())

    def _whole_toll(self, a: Anchor) -> bool:
        """Only toll statements ("عدد المصابين بلغ 12", an update): a region's figures."""
        heads = self._data["_toll_words"]
        counted = a.counted
        return bool(counted) and all(c.update or fold(c.text).split(" ", 1)[0] in heads for c in counted)

    def _spanned_region(self, doc: Document, inc: Incident) -> PlaceMention | None:
        """The region an incident's place is named with, when it spans governorates:
        "على حدود قطاع غزة … شرق مدينتي خان يونس وغزة" is the Strip, not Khan Younis."""
        p = inc.place
        for a in inc.anchors:
            named = a.places if p in a.places else a.context if p in a.context else []
            for q in named:
                if q is p or q.country != p.country or q.admin1 == p.admin1 or _country_level(q):
                    continue
                lo, hi = (p, q) if p.start < q.start else (q, p)
                if doc.text[lo.end:hi.start].strip() not in ("و", "،", ","):
                    continue  # only places named together: "X وY"
                pool = [r for x in inc.anchors for r in x.places + x.context]
                return next((r for r in pool if r.admin1 is None and r.country == p.country
                             and not _country_level(r)), None)
        return None

    def _within_region(self, a: Anchor, inc: Incident) -> bool:
        """Is the anchor a separate incident in one place of the region the incident is told
        of? "غارات على قطاع غزة ردا على إصابة 4 جنود … انتشال جثماني فلسطينيين أصيبا في قصف
        مدفعي صباح الأحد شرق مدينة رفح": new victims, at a time and in a town of their own."""
        region = inc.place
        if region is None or region.admin1 is not None or _country_level(region) or inc.date_own:
            return False
        if a.place is None or a.place.admin1 is None or a.date is None:
            return False
        fresh = {c.status for c in a.fresh}
        counted = set(inc.tops())
        # dead where only wounded were counted: not a breakdown of the region's toll
        return bool(counted) and bool(fresh - counted)

    def _own_time(self, a: Anchor, inc: Incident) -> DateMention | None:
        """Does the anchor tell new figures at a time of its own, unlike the incident's?

        "قتل 8 الجمعة … وكان 20 قد قتلوا الأسبوع الماضي", "قتل شخص الأربعاء … و6 خلال اليومين
        الماضيين": the figures add up, and they belong to two incidents, not one.
        """
        fresh = a.fresh
        times = [d for d in a.dates if d.precision in FINE or d.value is None]
        if not fresh or not times or a.restates:
            return None
        known = {t for x in inc.anchors for t in self._date_texts.get(x.sentence.index, ())}
        if inc.date is not None and inc.date.value:
            known.add(inc.date.value)
        # the time nearest the figure is theirs ("للجمعة الثانية … الأسبوع الماضي أسفرت عن مقتل 20")
        near = min(times, key=lambda d: abs(d.start - fresh[0].start))
        nxt = _NEXT_WORD.match(self._doc.norm, self._doc.norm_pos(near.end))
        if nxt is not None and nxt.group(1) in self._data["_reporting"]:
            return None  # "وفي وقت سابق قالت …": when it was said, not when it happened
        return near if known and (near.value or fold(near.text)) not in known else None

    def _attach_context(self, doc: Document, anchors: list[Anchor], places: list[PlaceMention]) -> None:
        """Places named in the (up to two) sentences after an anchor, before the next one:
        "قتل شخص بانفجار عبوة. ووقع الانفجار في بلدة عين عيسى" names the place second."""
        starts = [a.sentence.index for a in anchors]
        for k, a in enumerate(anchors):
            stop = starts[k + 1] if k + 1 < len(starts) else len(doc.sentences)
            stop = min(stop, a.sentence.index + 3)
            a.context = self._home([p for p in places if a.sentence.index < p.sentence < stop])
            if a.place is None and a.context:
                a.place = best_place(a.context)
            elif a.place is not None and a.place.place_id in self._regions:
                # "… شمالي الضفة الغربية. ووقع الهجوم قرب مستوطنة غربي مدينة جنين": the next
                # sentence narrows the region down to a town in it
                inside = [p for p in a.context if p.admin1 in self._regions[a.place.place_id]
                          and p.sentence == a.sentence.index + 1]
                if inside:
                    a.place = best_place(inside)

    def _home(self, places: list[PlaceMention]) -> list[PlaceMention]:
        """Places in the article's country (all of them when none is, or no country is known)."""
        if not self._country:
            return places
        home = [p for p in places if p.country == self._country]
        return home

    def _anchor_place(self, doc: Document, a: Anchor) -> PlaceMention | None:
        """The sentence's place for the incident: in the article's country, in the clause of
        the casualty or trigger words when possible, then the most precise."""
        cands = [p for p in self._home(a.places) if not self._source_place(doc, p)]
        if not cands:
            return None
        focus = [c.start for c in a.casualties] + [doc.orig(t.nstart, t.nend)[0] for t in a.triggers]
        clauses = [doc.orig(cs, ce) for cs, ce in a.sentence.clauses]

        def clause_of(pos: int) -> int:
            return next((i for i, (cs, ce) in enumerate(clauses) if cs <= pos < ce), -1)

        focus_clauses = {clause_of(f) for f in focus}
        near = [p for p in cands if clause_of(p.start) in focus_clauses]
        return best_place(near or cands)

    def _periods(self, doc: Document) -> dict[int, list[tuple[int, int, bool]]]:
        """Per sentence, its dates and bare "منذ" as (start, end, opens a period).

        "منذ 18 فبراير" and "منذ إعلان ترامب" open a period; "منذ فجر اليوم" or "منذ أمس" is
        the day's own toll, and "منذ يومين" (ago) is a date the dates stage already holds.
        """
        data = self._data
        since, day_parts = data["_since"], data["_day_parts"]
        today = doc.meta.published
        out: dict[int, list[tuple[int, int, bool]]] = {}
        wanted = {c.sentence for c in doc.casualties}  # only the figures' sentences matter
        if not wanted:
            return out
        norm = doc.norm
        spans = []
        for d in doc.dates:
            if d.sentence not in wanted:
                continue
            ns = doc.norm_pos(d.start)
            spans.append((ns, doc.norm_pos(d.end)))
            before = norm[max(0, ns - 20):ns].split()
            opens = bool(before) and (before[-1] in since or " ".join(before[-2:]) in since)
            if opens and d.value and today:
                opens = (today - as_date(d.value)).days > 1  # "منذ فجر اليوم": the day's own toll
            out.setdefault(d.sentence, []).append((d.start, d.end, opens))
        since_re = data["_since_re"]
        for k in sorted(wanted):
            sent = doc.sentences[k]
            for m in since_re.finditer(norm, sent.nstart, sent.nend):
                nxt = _NEXT_WORD.match(norm, m.end())
                if nxt is not None and (any(ns == nxt.start(1) for ns, _ in spans) or nxt.group(1) in day_parts):
                    continue  # "منذ 18 فبراير" is judged with its date; "منذ الصباح" is today
                if any(ns <= m.start() < ne for ns, ne in spans):
                    continue  # inside a date ("منذ يومين")
                s, e = doc.orig(m.start(), m.end())
                out.setdefault(k, []).append((s, e, True))
        return out

    def _source_place(self, doc: Document, p: PlaceMention) -> bool:
        """Is the place where a source speaks from ("مصدر في درعا أن")? Its next word says so."""
        comps = self._data["_complementizers"]
        m = _NEXT_WORD.match(doc.norm, doc.norm_pos(p.end))
        return m is not None and m.group(1) in comps

    def _lead_date(self, doc: Document) -> DateMention | None:
        return next((d for d in doc.dates if d.sentence <= 2 and d.precision in FINE and not d.duration), None)

    # -- rows ----------------------------------------------------------------------------
    def _row(self, doc: Document, number: int, inc: Incident) -> EventRow:
        row = EventRow(event=number)
        casualties = [c for a in inc.anchors for c in a.casualties]
        triggers = [t for a in inc.anchors for t in a.triggers]
        actors = [m for a in inc.anchors for m in a.actors]
        country = (inc.place.country if inc.place else None) or doc.meta.country

        self._fill_counts(row, casualties, (inc.date.value,) if inc.date is not None and inc.date.value else ())
        type_words = self._fill_type(row, triggers, casualties, actors)
        self._fill_actors(row, inc, casualties, country)
        if inc.place is not None:
            p = inc.place
            row.country, row.admin1, row.admin2, row.admin3 = p.country, p.admin1, p.admin2, p.admin3
            row.location, row.location_ar, row.place_id = p.name, p.name_ar, p.place_id
            row.latitude, row.longitude, row.geo_precision = p.latitude, p.longitude, p.geo_precision
            if not inc.place_own and row.geo_precision is not None:
                row.geo_precision = max(row.geo_precision, 2)
        else:
            row.country = country
        if inc.date is not None:
            d = inc.date
            row.event_date, row.date_precision, row.date_text = d.value, d.precision, d.text
            row.time_precision = TIME_PRECISION.get(d.precision or "", 3)
        first, last = inc.anchors[0].sentence, inc.anchors[-1].sentence
        row.evidence_start, row.evidence_end = first.start, last.end
        row.evidence = doc.text[first.start:last.end]
        row.casualties = [
            {"status": c.status, "count": c.count, "low": c.low, "high": c.high, "victim": c.victim,
             "victim_type": c.victim_type, "text": c.text, "start": c.start, "end": c.end}
            for c in casualties
        ]
        why = row.why
        if inc.place is not None:
            why["location"] = [_span(inc.place)]
        if inc.date is not None:
            why["event_date"] = [_span(inc.date)]
        if type_words:
            why["event_type"] = [(txt, s, e) for s, e, txt in (doc.span_text(t.nstart, t.nend) for t in type_words)]
        for role in ("actor1", "actor2"):
            name = getattr(row, role)
            src = next((a for a in actors if a.name == name), None)
            if src is not None:
                why[role] = [_span(src)]
            elif name:
                why[role] = [_span(c) for c in casualties if c.victim_type == "civilians"][:1]
        for fld, status in (("fatalities", "killed"), ("injured", "injured"), ("captured", "captured")):
            spans = [_span(c) for c in casualties if c.status == status]
            if spans:
                why[fld] = spans
        conf = 0.3
        conf += 0.2 if inc.place_own else (0.1 if inc.place else 0.0)
        conf += 0.15 if inc.date_own else (0.05 if inc.date else 0.0)
        conf += 0.15 if triggers else 0.0
        conf += 0.1 if row.actor1 else 0.0
        conf += 0.1 if any(c.count for c in casualties) else 0.0
        row.confidence = round(min(conf, 1.0), 2)
        return row

    def _fill_counts(self, row: EventRow, casualties: list[CasualtyMention], incident_dates: tuple = ()) -> None:
        """Best figure and range per status.

        Within one incident, a later sentence giving a count for the same victims is another
        source's figure (or a restatement), not more dead: the body's first statement is the
        best estimate and the others give the low/high range.  Counts of different victims
        (civilians vs fighters, two named sides) add up; a toll update supersedes.
        """
        for status in COUNTED:
            ms = [c for c in casualties if c.status == status and c.count is not None]
            if not ms:
                continue
            body = [c for c in ms if c.sentence > 0 or not self._headline]
            head = [c for c in ms if c not in body]
            if body and head:
                # the headline restates the body, except for victims the body never counts
                body_keys = {_victim_key(c) for c in body if not c.repeat}
                keep = [c for c in head if not c.repeat and body_keys and "?" not in body_keys
                        and _victim_key(c) not in body_keys and _victim_key(c) != "?"]
                if not any(not c.repeat for c in body):
                    keep = [c for c in head if not c.repeat]
                body = body + keep
            alts_only = [c for c in ms if c not in body] if body else []
            ms = body or ms
            groups: dict[str, list[CasualtyMention]] = {}
            known = [k for k in (_victim_key(c) for c in ms) if k != "?"]
            for c in ms:  # a count of unnamed victims is about the same people as a named one
                key = _victim_key(c)
                groups.setdefault(known[0] if key == "?" and known else key, []).append(c)
            best = 0
            values_low = values_high = 0
            for group in groups.values():
                updates = [c for c in group if c.update]
                primary = [c for c in group if not c.repeat and not c.update]
                if not primary and not updates:
                    continue  # only restatements of figures counted elsewhere (or not at all)
                first_sentence = primary[0].sentence if primary else None
                known = self._date_texts.get(first_sentence, set()) | set(incident_dates)
                stated = [c for c in primary if c.sentence == first_sentence or c.sentence in self._adds
                          or (self._date_texts.get(c.sentence, set()) - known)]
                g_best = sum(c.count or 0 for c in stated)
                alts = [c.count or 0 for c in group if c not in stated and c not in updates]
                alts += [c.count or 0 for c in alts_only if _victim_key(c) in ("?", _victim_key(group[0]))]
                # "7 killed" in the headline, then 1 and 6 in two paragraphs: separate figures add up
                per_sentence: dict[int, int] = {}
                for c in primary:
                    per_sentence[c.sentence] = per_sentence.get(c.sentence, 0) + (c.count or 0)
                total = sum(per_sentence.values())
                if len(per_sentence) > 1 and total in alts:
                    g_best = total
                    alts = [a for a in alts if a == total]
                # a figure ten times larger or smaller is not another source's count of the
                # same dead (it is usually a toll since the war began that escaped the flags)
                alts = [x for x in alts if not g_best or g_best / 5 <= x <= g_best * 5]
                first_best = g_best
                if updates:
                    g_best = updates[-1].count or g_best
                    if stated:
                        alts.append(first_best)
                    alts += [c.count or 0 for c in updates[:-1]]
                lows = [c.low for c in stated if c.low is not None]
                highs = [c.high for c in stated if c.high is not None]
                values = [g_best, *alts]
                best += g_best
                values_low += min(values + lows)
                values_high += max(values + highs)
            if status == "killed":
                row.fatalities = best
                if values_low != best or values_high != best:
                    row.fatalities_low, row.fatalities_high = values_low, values_high
            elif status == "injured":
                row.injured = best
            else:
                row.captured = best
        if row.fatalities is None:
            row.fatalities = 0

    def _main_trigger(self, triggers: list[Trigger], casualties: list[CasualtyMention]) -> Trigger:
        """The trigger that says how the casualties came about: "مقتل 7 عناصر بهجوم" is a
        clash even if Russian jets are mentioned later; otherwise the strongest one."""
        doc = self._doc
        near: list[tuple[int, int, Trigger]] = []
        for c in casualties:
            if c.status not in COUNTED:
                continue
            cs, ce = doc.norm_pos(c.start), doc.norm_pos(c.end)
            for t in triggers:
                gap = t.nstart - ce if t.nstart >= ce else cs - t.nend
                if t.nstart >= ce - 1 and gap <= 30 and doc.sentence_index(t.nstart) == c.sentence:
                    near.append((max(gap, 0), -t.priority, t))
        if near:  # "مقتل 3 بهجوم بطائرة مسيرة": the most specific cause named right after
            return min(near, key=lambda x: (x[1], x[0]))[2]
        return max(triggers, key=lambda t: (t.priority, -t.nstart))

    def _fill_type(self, row: EventRow, triggers: list[Trigger], casualties: list[CasualtyMention],
                   actors: list[ActorMention]) -> list[Trigger]:
        """Type the row; return the trigger words that explain the type."""
        counted = any(c.status in COUNTED and c.count for c in casualties)
        if triggers and not counted and any(t.standalone for t in triggers):
            triggers = [t for t in triggers if t.standalone]  # no casualties: the arrests, not the clash
        if triggers:
            t = self._main_trigger(triggers, casualties)
            row.event_type, row.sub_event_type = t.event_type, t.sub_event_type
            if t.cls == "territory" and actors and actors[0].inter == 1:
                row.sub_event_type = "Government regains territory"
            recast = self._recast(t, triggers) if counted else None
            if recast is not None:  # shot "خلال مواجهات" at a protest: the protest decides
                spec = self._data["classes"][recast.cls]
                forces = any(c.victim_type == "military" for c in casualties if c.status in COUNTED and c.count)
                hit = (forces and spec.get("when_forces_hit")) or spec.get("when_hit") or spec
                row.event_type, row.sub_event_type = hit["event_type"], hit["sub_event_type"]
                return [recast] if recast is t else [recast, t]
            return [t]
        kinds = {c.victim_type for c in casualties if c.status == "killed"}
        if any(c.status == "captured" for c in casualties) and not kinds:
            row.event_type, row.sub_event_type = "Strategic developments", "Arrests"
        elif kinds and kinds <= {"civilians"}:
            row.event_type, row.sub_event_type = "Violence against civilians", "Attack"
        else:
            row.event_type, row.sub_event_type = "Battles", "Armed clash"
        return []

    def _recast(self, main: Trigger, triggers: list[Trigger]) -> Trigger | None:
        """A trigger whose class recasts the main one when people are hit (events.yaml
        `recasts`): a protest where protesters are shot, a riot with clashes."""
        classes = self._data["classes"]
        able = [t for t in triggers if main.cls in classes[t.cls].get("recasts", ())
                or (t is main and "when_hit" in classes[t.cls])]
        return max(able, key=lambda t: (t.priority, -t.nstart), default=None)

    def _fill_actors(self, row: EventRow, inc: Incident, casualties: list[CasualtyMention],
                     country: str | None) -> None:
        """actor1 attacks, actor2 is hit.

        The side hit is named by casualty affiliations ("عناصر من قوات النظام") or by an actor
        inside a casualty phrase; the attacker is the actor nearest to a trigger word
        ("اغتال مسلحون مجهولون", "بقصف لقوات النظام"), else the first other actor named.
        """
        anchors = inc.anchors
        lo, hi = anchors[0].sentence.start, anchors[-1].sentence.end
        actors = [m for m in self._doc.actors if lo <= m.start < hi]  # the evidence span
        spans = [(c.start, c.end) for c in casualties]

        def by_agent_prep(m: ActorMention) -> bool:  # "برصاص مسلحين مجهولين"
            npos = self._doc.norm_pos(m.start)
            return any(0 <= npos - v <= 3 for v in self._agent_preps)

        agents_by_prep = {m.name for m in actors if m.name and by_agent_prep(m)}
        victims = {c.victim for c in casualties if c.victim} - agents_by_prep
        victims |= {m.name for m in actors if m.name and m.name not in agents_by_prep
                    and any(s <= m.start < e for s, e in spans)}
        seen: dict[str, ActorMention] = {}
        for m in actors:
            if m.name and m.name not in seen:
                seen[m.name] = m
        attackers = [m for n, m in seen.items() if n not in victims]
        targets = [seen[n] for n in seen if n in victims]
        trig_at: dict[int, list[int]] = {}  # sentence -> trigger positions (normalised)
        for x in anchors:
            for t in x.triggers:
                trig_at.setdefault(x.sentence.index, []).append(t.nstart)

        def distance(name: str) -> int:
            """0 for the subject of an attack verb; else how close the actor's nearest mention
            is to a trigger word in its sentence."""
            best = 10**6
            for m in actors:
                if m.name != name:
                    continue
                npos = self._doc.norm_pos(m.start)
                if any(0 <= npos - v <= 3 for v in self._agents):
                    return 0
                if m.sentence in trig_at:
                    best = min(best, *(abs(npos - t) + 1 for t in trig_at[m.sentence]))
            return best

        attackers.sort(key=lambda m: distance(m.name or ""))  # stable: text order breaks ties
        agent = min(seen.values(), key=lambda m: distance(m.name or ""), default=None)
        free_agent = attackers and distance(attackers[0].name or "") == 0
        if agent is not None and not free_agent and distance(agent.name or "") == 0 and agent in targets:
            # the subject of "شنّت" who also lost men: a clash, and it is still actor 1
            targets.remove(agent)
            attackers.insert(0, agent)
        civilians = any(c.victim_type == "civilians" for c in casualties if c.status in COUNTED)
        first = attackers[0] if attackers else None
        second = targets[0] if targets else (attackers[1] if len(attackers) > 1 else None)
        if first is None and second is not None and len(targets) > 1:
            first, second = second, targets[1]
        if first is not None:
            row.actor1, row.inter1 = first.name, first.inter
        if second is not None:
            row.actor2, row.inter2 = second.name, second.inter
        elif civilians and country:
            row.actor2 = self._data["civilians_actor"].format(country=country)
            row.inter2 = CIVILIAN_INTER
        used = {row.actor1, row.actor2}
        row.assoc_actor_1 = [m.name for m in attackers if m.name and m.name not in used]
        row.assoc_actor_2 = [m.name for m in targets if m.name and m.name not in used]
        codes = sorted(c for c in (row.inter1, row.inter2) if c is not None)
        if len(codes) == 2:
            row.interaction = codes[0] * 10 + codes[1]
        elif codes:
            row.interaction = codes[0] * 10


_NEXT_WORD = re.compile(r"[^\w]{0,3}?\s*(\w+)")
_DATELINE = re.compile(r"^[^\S\n]*[^\W\d][^\n,.:()\-\u2013\u2014]{1,30}(?:,[^\n,.:()\-\u2013\u2014]{2,40})?"
                       r"[^\S\n]*(?:\([^)\n]{1,30}\))?[^\S\n]*[-\u2013\u2014:]", re.M)


def dateline_spans(doc: Document) -> list[tuple[int, int]]:
    """Original-text spans of datelines ("دبي، الإمارات (CNN)—", "بيروت - رويترز:"): where the
    report was filed, not where anything happened."""
    out = []
    norm = doc.norm
    pos = 0
    lines = 0
    while pos < len(norm) and lines < 3:  # a dateline opens the body: the first lines only
        lines += 1
        m = _DATELINE.match(norm, pos, min(len(norm), pos + 90))
        if m is not None and m.end() - m.start() <= 60:
            out.append(doc.orig(m.start(), m.end()))
        nl = norm.find("\n", pos)
        if nl < 0:
            break
        pos = nl + 1
    return out


def dominant_country(places: list[PlaceMention]) -> str | None:
    """The country most places in the article belong to (sub-national mentions count double)."""
    votes: dict[str, int] = {}
    for p in places:
        if p.country:
            votes[p.country] = votes.get(p.country, 0) + (2 if p.admin1 else 1)
    return max(votes, key=lambda c: votes[c]) if votes else None


def is_headline(doc: Document) -> bool:
    """Is the first sentence a title line (its own line, no closing punctuation)?"""
    if len(doc.sentences) < 2:
        return False
    first = doc.sentences[0]
    return doc.norm[first.nend:first.nend + 1] in ("\n", "\r") and doc.norm[first.nend - 1] not in ".!?:"


def _fits(a: Anchor, whole: Incident) -> bool:
    """Could the anchor's new figures be part of the region's toll (each below it)?"""
    top = whole.tops()
    return all((c.count or 0) < top[c.status] for c in a.fresh if c.status in top)


def _subtract(whole: EventRow, parts: list[EventRow]) -> None:
    """Leave on the region's row what its towns' rows do not account for (when they fit)."""
    for fld in ("fatalities", "injured"):
        total = getattr(whole, fld) or 0
        share = sum(getattr(p, fld) or 0 for p in parts)
        if share and share <= total:
            setattr(whole, fld, total - share)
            if fld == "fatalities" and whole.fatalities_low is not None:
                whole.fatalities_low = max(whole.fatalities_low - share, 0)
                whole.fatalities_high = max((whole.fatalities_high or 0) - share, 0)


def _in_period(c: CasualtyMention, periods: dict[int, list[tuple[int, int, bool]]], text: str) -> bool:
    """Is the time word nearest the figure (within 80 characters) the start of a period? Then
    the figure is that period's toll: "قتل 149 فلسطينيا منذ 30 آذار بينما قتل جندي الجمعة".
    A period opened in an earlier clause ("تحسن الأمن منذ تطهيرها، لكن 35 قتلوا") is not it."""
    dates = periods.get(c.sentence)
    if not dates:
        return False
    dist, s, e, opens = min((max(s - c.end, c.start - e, 0), s, e, o) for s, e, o in dates)
    if not opens or dist >= 80:
        return False
    return not (e <= c.start and any(ch in text[e:c.start] for ch in ",،;؛"))


def _victim_key(c: CasualtyMention) -> str:
    """Which victims a count is about: a named side, else a victim type, else unknown ("?")."""
    if c.victim:
        return c.victim
    return c.victim_type if c.victim_type and c.victim_type != "unknown" else "?"


def _span(m) -> tuple[str, int, int]:
    return (m.text, m.start, m.end)


def _more_precise(a: PlaceMention, b: PlaceMention | None) -> bool:
    if b is None:
        return True
    return best_place([b, a]) is a and a is not b
