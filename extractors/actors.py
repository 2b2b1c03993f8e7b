"""Stage `actors`: armed actors and units, with canonical (ACLED-style) names and types.

Names come from `lexicons/actors/`; this module holds the grammar that combines them:

* names that mean one actor anywhere ("تنظيم داعش"), names that depend on the article's
  country ("الجيش", "قوات الأمن", "التحالف") and names too vague without a construct head
  ("عناصر التنظيم", "مسلحي المعارضة");
* construct heads glued to a name ("عناصر داعش", "ميليشيا الحوثي");
* nisba adjectives after a force noun ("القوات الروسية", "طائرات حربية إسرائيلية",
  "المقاتلون الأكراد"), coordinated ones ("القوات السورية والروسية");
* loyalty links ("ميليشيات شيعية موالية لإيران");
* numbered units ("الفرقة 25", "اللواء (122) مشاة", "الفوج 137 التابع للفرقة 17");
* country names as actors only when they are the subject of an attack verb.

Where the same words meant different actors over time (Syria before/after 2024-12-08), the
actor valid on the article's reference date wins: its publication date, else the latest date
the dates stage found, else the date of an era marker ("فلول النظام", "الحكومة الانتقالية").
With none of these the article is read in the pre-2024 sense: undated material is mostly
archive, and post-2024 reports nearly always carry such a marker.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from .actor_lexicon import ANY, Actor, ActorLexicon, key, load
from .document import Document
from .matcher import Match, PhraseMatcher
from .mentions import ActorMention
from .pipeline import stage

_CLITICS = frozenset("وفبلك")
# what the word before (or after) a hit can be, as bits of `Tables.flags`
_CONSTRUCT, _NISBA_PREV, _ATTACK, _LOYAL = 1, 2, 4, 8
_FLAG_CACHE_MAX = 50_000
_UNKNOWN = object()  # not in a memo yet
_NUM = re.compile(r"\d+")

# candidate kinds, in the order that wins among equally long overlapping candidates
_PRIORITY = {"block": 0, "alias": 1, "generic": 2, "bound": 3, "people": 4, "nisba": 5, "unit": 6, "name": 7}


@dataclass
class Cand:
    """A possible actor mention in normalised text, before resolution."""

    nstart: int
    nend: int
    kind: str
    ids: tuple[str, ...] = ()
    unit: tuple[str, int] | None = None  # (unit kind, number) for numbered units
    named: tuple[str, ...] = ()  # a numbered unit that the lexicon names ("الفرقة 25")
    link_end: int = -1  # where the parent's name starts after "التابع لـ"
    generic: bool = False  # ids still to be filtered by the article's country


def _isword(ch: str) -> bool:
    return ch.isalnum()


def _bases(word: str) -> list[tuple[int, str]]:
    """The word and its forms without proclitics, as (offset of the base, base)."""
    out = [(0, word)]
    n = len(word)
    if n > 2 and word[0] in _CLITICS:
        out.append((1, word[1:]))
        if n > 3 and word[0] in "وف" and word[1] in "بلك":
            out.append((2, word[2:]))
    i = 1 if word[:1] in ("و", "ف") else 0
    if word.startswith("لل", i) and n > i + 3:
        out.append((i + 2, "ا" + word[i + 1:]))  # "للقوات" -> ل + القوات; span from "قوات"
    return out


def _prev_words(norm: str, pos: int, n: int) -> list[tuple[int, int]]:
    """Up to `n` words before `pos`, nearest first, separated by spaces only.

    A character scan, not a regex over a window: it is called for every matcher hit.  A word
    must lie after `pos - 24 * n` (the look-back window the callers were tuned with)."""
    lo = pos - 24 * n
    out: list[tuple[int, int]] = []
    end = pos
    while len(out) < n:
        b = end
        while b > 0 and norm[b - 1] == " ":
            b -= 1
        if b == end or b <= lo or b == 0 or not norm[b - 1].isalnum():
            break
        a = b - 1
        while a > 0 and norm[a - 1].isalnum():
            a -= 1
        if lo > 0 and a <= lo:
            break
        out.append((a, b))
        end = a
    return out


def _next_words(norm: str, pos: int, n: int) -> list[tuple[int, int]]:
    """Up to `n` words after `pos`, separated by spaces only (a character scan, as
    `_prev_words`); a word must end before `pos + 24 * n`."""
    size = len(norm)
    hi = pos + 24 * n
    out: list[tuple[int, int]] = []
    start = pos
    while len(out) < n:
        a = start
        while a < size and norm[a] == " ":
            a += 1
        if a == start or a >= hi or a >= size or not norm[a].isalnum():
            break
        b = a + 1
        while b < size and norm[b].isalnum():
            b += 1
        if hi < size and b >= hi:
            break
        out.append((a, b))
        start = b
    return out


def _prev_word(norm: str, pos: int) -> tuple[int, int] | None:
    """`_prev_words(norm, pos, 1)[0]` or None, with str methods instead of a character
    loop: it runs for every matcher hit."""
    b = pos
    while b > 0 and norm[b - 1] == " ":
        b -= 1
    if b == pos or b == 0 or not norm[b - 1].isalnum():
        return None
    a = norm.rfind(" ", 0, b) + 1
    if not norm[a:b].isalnum():  # punctuation or a line break glued before the word
        a = b - 1
        while a > 0 and norm[a - 1].isalnum():
            a -= 1
    if 0 < pos - 24 >= a:  # the look-back window of `_prev_words`
        return None
    return a, b


def _next_word(norm: str, pos: int) -> tuple[int, int] | None:
    """`_next_words(norm, pos, 1)[0]` or None (see `_prev_word`)."""
    size = len(norm)
    a = pos
    while a < size and norm[a] == " ":
        a += 1
    if a in (pos, size) or not norm[a].isalnum():
        return None
    b = norm.find(" ", a)
    if b < 0:
        b = size
    if not norm[a:b].isalnum():
        b = a + 1
        while b < size and norm[b].isalnum():
            b += 1
    if b >= pos + 24 and pos + 24 < size:
        return None
    return a, b


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class Tables:
    """The matcher and word sets built from the lexicon, once per process and overlay."""

    def __init__(self, lex: ActorLexicon) -> None:
        self.lex = lex
        g = lex.grammar
        self.g = g
        m = PhraseMatcher()
        for table, tag in ((lex.aliases, "alias"), (lex.generic, "generic"), (lex.bound, "bound")):
            for phrase, ids in table.items():
                m.add(phrase, (tag, tuple(ids)))
        for form, idx in lex.nisba_forms.items():
            m.add(form, ("nisba", idx))
        for name, idx in lex.country_names.items():
            m.add(name, ("name", idx))
        for phrase in g.non_actors:
            m.add(phrase, ("block", None))
        for phrase, day in g.era_markers.items():
            m.add(phrase, ("era", day))
        for noun, kind in g.unit_nouns.items():
            m.add(noun, ("unit", kind))
            m.add("ال" + noun, ("unit", kind))
        self.matcher = m
        self.heads = dict(g.nisba_heads)
        self.head_len = max((len(h.split()) for h in self.heads), default=1)
        self.loyal = {tuple(w.split()) for w in g.loyal_links}
        self.loyal_last = frozenset(w.split()[-1] for w in g.loyal_links)
        # words that can stand right before a nisba: heads (bare or with ال), fillers, nisbas
        last = {h.split()[-1] for h in self.heads} | {f.split()[-1] for f in g.nisba_fillers}
        self.nisba_prev = frozenset(last | {"ال" + w for w in last} | set(lex.nisba_forms))
        self.links = {tuple(w.split()) for w in g.parent_links}
        unit_parent = key(g.unit_parent) if g.unit_parent else ""
        self.unit_parent_ids = tuple(lex.generic.get(unit_parent, ()))
        self.named_group_ids = tuple(lex.generic.get(key(g.named_group), ())) if g.named_group else ()
        self.people_nisbas = frozenset(i for i, n in enumerate(lex.nisbas) if n.people)
        self._flags: dict[str, int] = {}
        self._nisba_heads: dict[tuple[str, ...], tuple[int, int, str, bool, bool] | None] = {}

    def flags(self, word: str) -> int:
        """The word-class bits of a neighbouring word, memoised: the same few hundred words
        stand next to hits in article after article, and `_bases` plus four set look-ups
        per hit was a fifth of the stage."""
        f = self._flags.get(word)
        if f is None:
            bases = {b for _, b in _bases(word)}
            f = ((_CONSTRUCT if bases & self.g.construct_heads else 0)
                 | (_NISBA_PREV if bases & self.nisba_prev else 0)
                 | (_ATTACK if bases & self.g.attack_verbs else 0)
                 | (_LOYAL if word in self.loyal_last else 0))
            if len(self._flags) >= _FLAG_CACHE_MAX:
                self._flags.clear()
            self._flags[word] = f
        return f

    # -- words around a match ----------------------------------------------------------
    def head_class(self, phrase: str) -> str | None:
        if phrase in self.heads:
            return self.heads[phrase]
        if phrase.startswith("ال") and phrase[2:] in self.heads:
            return self.heads[phrase[2:]]
        return None

    def construct_start(self, norm: str, tok: int) -> int | None:
        """Start of the construct head(s) right before a name ("عناصر ميليشيا حزب الله")."""
        start = None
        cur = tok
        for _ in range(2):
            word = _prev_word(norm, cur)
            if word is None:
                break
            a, b = word
            hit = next((a + off for off, base in _bases(norm[a:b]) if base in self.g.construct_heads), None)
            if hit is None:
                break
            start, cur = hit, a
        return start

    def nisba_head(self, norm: str, tok: int) -> tuple[int, str, bool, bool] | None:
        """(head start, head class, passed another nisba, head is definite) for a nisba
        starting at `tok`.

        The answer depends only on the texts of the words before (they are separated by
        spaces only), so it is worked out once per sequence of words (`_nisba_heads`): the
        search tries every base of every word against the head phrases."""
        words = _prev_words(norm, tok, 7)
        texts = tuple([norm[a:b] for a, b in words])
        found = self._nisba_heads.get(texts, _UNKNOWN)
        if found is _UNKNOWN:
            if len(self._nisba_heads) >= _FLAG_CACHE_MAX:
                self._nisba_heads.clear()
            found = self._nisba_heads[texts] = self._nisba_head_of(texts)
        if found is None:
            return None
        k, off, cls, passed, definite = found
        return words[k][0] + off, cls, passed, definite

    def _nisba_head_of(self, texts: tuple[str, ...]) -> tuple[int, int, str, bool, bool] | None:
        """`nisba_head` on the texts of the words before the nisba (nearest first): (index
        of the head's word, offset of the head in it, class, passed, definite)."""
        i, passed = 0, False
        n = len(texts)
        while i < n:
            for size in range(min(self.head_len, n - i), 0, -1):
                tail = " ".join(reversed(texts[i:i + size - 1]))
                for off, base in _bases(texts[i + size - 1]):
                    phrase = " ".join((base + (" " + tail if tail else "")).split())
                    cls = self.head_class(phrase)
                    if cls:
                        definite = any(w.startswith("ال") for w in phrase.split())
                        return i + size - 1, off, cls, passed, definite
            step = 0
            for size in (2, 1):
                if i + size <= n:
                    phrase = " ".join(reversed(texts[i:i + size]))
                    if phrase in self.g.nisba_fillers:
                        step = size
                        break
            if step:
                i += step
                continue
            if any(base in self.lex.nisba_forms for _, base in _bases(texts[i])):
                passed = True
                i += 1
                continue
            return None
        return None

    def loyal_start(self, norm: str, tok: int, clitic: str) -> tuple[int, str, tuple[str, ...]] | None:
        """(head start, class, ids of an adjective on the head) for "<group> [adjectives]
        موالية لـ<name>" ending at `tok`; "الميليشيا الحوثية التابعة لإيران" is Houthi."""
        words = _prev_words(norm, tok, 6)
        for size in (2, 1):
            if len(words) < size:
                continue
            link = tuple(norm[a:b] for a, b in reversed(words[:size]))
            if link not in self.loyal:
                continue
            if size == 1 and not clitic.endswith("ل"):
                continue
            adjectives: list[int] = []
            for j, (a, b) in enumerate(_prev_words(norm, words[size - 1][0], 4)):
                for off, base in _bases(norm[a:b]):
                    cls = self.head_class(base)
                    if cls is None and base in self.g.construct_heads:
                        cls = "militia"
                    if cls:
                        inner: tuple[str, ...] = ()
                        for idx in reversed(adjectives):  # the adjective nearest the head first
                            inner = self.lex.nisbas[idx].ids(cls, self.lex.actors)
                            if inner:
                                break
                        return a + off, cls, inner
                w = norm[a:b]
                idx = next((self.lex.nisba_forms[x] for _, x in _bases(w) if x in self.lex.nisba_forms), None)
                if idx is not None:
                    adjectives.append(idx)
                elif w not in self.g.nisba_fillers or j >= 3:
                    break
        return None


@cache
def tables(lexicon_dirs: tuple[str, ...] = ()) -> Tables:
    return Tables(load(lexicon_dirs))


def reference_date(doc: Document, era: list[dt.date]) -> dt.date | None:
    """The day that decides period-dependent names (see the module docstring)."""
    if doc.meta.published:
        return doc.meta.published
    best: dt.date | None = None
    for d in doc.dates:
        v = getattr(d, "value", None)
        if not v or getattr(d, "duration", False):
            continue
        s = str(v)
        try:
            day = dt.date.fromisoformat(s[:10] if len(s) >= 10 else (s + "-01-01")[:10] if len(s) == 4 else s[:7] + "-01")
        except ValueError:
            continue
        best = day if best is None or day > best else best
    if best:
        return best
    return max(era) if era else None


def article_country(doc: Document) -> str | None:
    """The article's country: its metadata, else the country most of its places are in."""
    if doc.meta.country:
        return str(doc.meta.country)
    counts = Counter(c for p in doc.places if (c := getattr(p, "country", None)))
    return counts.most_common(1)[0][0] if counts else None


@stage("actors", requires=("segment",), assigns=("actors",))
class ActorStage:
    """Fill `doc.actors` with armed actors and units (see the module docstring)."""

    def __init__(self, lexicon_dirs: tuple[str, ...] = ()) -> None:
        self.t = tables(tuple(lexicon_dirs))

    @property
    def phrase_matchers(self) -> tuple[PhraseMatcher, ...]:
        """Matchers the pipeline may let share one scan of `doc.norm` (`share_scan`)."""
        return (self.t.matcher,)

    # -- candidates --------------------------------------------------------------------
    def candidates(self, norm: str) -> tuple[list[Cand], list[dt.date]]:
        t = self.t
        out: list[Cand] = []
        era: list[dt.date] = []
        people = t.people_nisbas
        prev_flags: dict[int, int] = {}  # several hits can share a word start
        for m in t.matcher.iter(norm):
            tok = m.nstart - len(m.clitic)
            if m.clitic.endswith("ل") and m.key.startswith("ال") and not norm.startswith("ال", m.nstart):
                # "للجيش": the span starts after both lams ("جيش"), as gold texts do
                m = Match(m.nstart + 1, m.nend, m.key, m.values, m.clitic + "ل")
            # the word before decides whether any look-back can succeed (most matches: none)
            flags = prev_flags.get(tok)
            if flags is None:
                pw = _prev_word(norm, tok)
                flags = prev_flags[tok] = t.flags(norm[pw[0]:pw[1]]) if pw else 0
            # a construct takes a bare genitive: "عناصر للجيش" is "elements of the army's"
            construct = not m.clitic and bool(flags & _CONSTRUCT)
            loyal = bool(flags & _LOYAL)
            for tag, payload in m.values:
                if tag == "name":
                    # a third of all hits; most are a country named, not an attacker
                    if not flags & (_LOYAL | _ATTACK):
                        after = _next_word(norm, m.nend)
                        if not (after and t.flags(norm[after[0]:after[1]]) & _ATTACK):
                            continue
                    out += self._country_name(norm, m, tok, payload, loyal, bool(flags & _ATTACK))
                elif tag == "nisba":
                    if not flags & _NISBA_PREV and not (payload in people and m.key.endswith(("ين", "ون"))):
                        continue  # no head before it and not a people's name
                    out += self._nisba(norm, m, tok, payload, bool(flags & _NISBA_PREV))
                elif tag in ("alias", "generic", "bound"):
                    s = t.construct_start(norm, tok) if construct else None
                    if s is None and loyal and tag != "generic":
                        ls = t.loyal_start(norm, tok, m.clitic)
                        s = ls[0] if ls else None
                    if s is not None or tag != "bound":
                        out.append(Cand(m.nstart if s is None else s, m.nend, tag, payload, generic=tag == "generic"))
                elif tag == "unit":
                    c = self._unit(norm, m, payload)
                    if c:
                        out.append(c)
                elif tag == "block":
                    out.append(Cand(m.nstart, m.nend, "block"))
                elif tag == "era" and payload:
                    era.append(payload)
        return out, era

    def _nisba(self, norm: str, m: Match, tok: int, idx: int, may_have_head: bool) -> list[Cand]:
        t = self.t
        nis = t.lex.nisbas[idx]
        out: list[Cand] = []
        found = t.nisba_head(norm, tok) if may_have_head else None
        if found:
            start, cls, passed, definite = found
            ids = nis.ids(cls, t.lex.actors)
            if definite != m.key.startswith("ال"):
                ids = ()  # an adjective agrees in definiteness: "ونشرت الميليشيات مسلحين" is not one
            coordinated = m.clitic.startswith("و")
            if passed and not coordinated:
                ids = ()  # a second adjective ("ميليشيا الحوثي الإيرانية") describes, not names
            if cls == "personnel" and not self._forces_not_victims(norm, start):
                ids = ()
            if ids:
                out.append(Cand(m.nstart if coordinated else start, m.nend, "nisba", ids))
        if nis.people and m.key.endswith(("ين", "ون")):
            out.append(Cand(m.nstart, m.nend, "people", nis.ids(None)))
        return out

    def _forces_not_victims(self, norm: str, head: int) -> bool:
        """Soldiers as an actor: "الجنود الإسرائيليين", not "جنود روس" nor "العشرات من الجنود"."""
        if not norm.startswith("ال", head):
            return False
        before = _prev_word(norm, head)
        if before:
            w = norm[before[0]:before[1]]
            if w == self.t.g.partitive or w.isdigit():
                return False
        return not (head > 0 and norm[head - 1].isdigit())

    def _country_name(self, norm: str, m: Match, tok: int, idx: int, loyal: bool, verb_before: bool) -> list[Cand]:
        t = self.t
        nis = t.lex.nisbas[idx]
        ls = t.loyal_start(norm, tok, m.clitic) if loyal else None
        if ls:
            ids = ls[2] or (nis.ids("proxy") if "proxy" in nis.targets else nis.ids(ls[1], t.lex.actors))
            return [Cand(ls[0], m.nend, "alias", ids)] if ids else []
        if not verb_before:
            after = _next_word(norm, m.nend)
            if not (after and t.flags(norm[after[0]:after[1]]) & _ATTACK):
                return []
        return [Cand(m.nstart, m.nend, "name", nis.ids("military"))]

    def _unit(self, norm: str, m: Match, kind: str) -> Cand | None:
        t, g = self.t, self.t.g
        size = len(norm)
        j = m.nend
        while j < size and norm[j] == " ":
            j += 1
        paren = j < size and norm[j] == "("
        if paren:
            j += 1
            while j < size and norm[j] == " ":
                j += 1
        num_m = _NUM.match(norm, j)
        number = None
        if num_m:
            number, end = int(num_m.group()), num_m.end()
            if paren:
                k = end
                while k < size and norm[k] == " ":
                    k += 1
                if k < size and norm[k] == ")":
                    end = k + 1
        elif not paren:
            words = _next_words(norm, m.nend, 2)
            for n in (2, 1):
                if len(words) >= n:
                    phrase = " ".join(norm[words[0][0]:words[n - 1][1]].split())
                    if phrase in g.ordinals:
                        number, end = g.ordinals[phrase], words[n - 1][1]
                        break
        if number is None:
            return self._named_group(norm, m)
        named_key = key(norm[m.nstart:end])
        named, named_generic = tuple(t.lex.aliases.get(named_key, ())), False
        if not named:
            named, named_generic = tuple(t.lex.generic.get(named_key, ())), True
        words = _next_words(norm, end, 3)
        for n in (2, 1):
            if len(words) >= n and " ".join(norm[words[0][0]:words[n - 1][1]].split()) in g.unit_types:
                end = words[n - 1][1]
                words = _next_words(norm, end, 3)
                break
        link_end = -1
        for n in (2, 1):
            if len(words) > n and tuple(norm[a:b] for a, b in words[:n]) in t.links:
                link_end = words[n][0]
                break
        return Cand(m.nstart, end, "unit", unit=(kind, number), named=named, link_end=link_end,
                    generic=named_generic)

    def _named_group(self, norm: str, m: Match) -> Cand | None:
        """"كتيبة أبو عمارة": an indefinite unit noun, a name starter and one more word."""
        if m.key.startswith("ال"):
            return None  # "اللواء أبو X" is a general's rank and name
        words = _next_words(norm, m.nend, 2)
        starter = norm[words[0][0]:words[0][1]] if words else ""
        if starter not in self.t.g.unit_name_starters:
            return None
        if starter.startswith("ال"):  # "فرقة الحمزة": the starter is the whole name
            words = words[:1]
        elif len(words) < 2:
            return None
        return Cand(m.nstart, words[-1][1], "unit", ids=self.t.named_group_ids, generic=True)

    # -- resolution --------------------------------------------------------------------
    def _local(self, ids: tuple[str, ...], country: str | None) -> bool:
        """Whether a generic phrase names anyone in an article about `country`."""
        acts = self.t.lex.actors
        return any(i in acts and ((country and country in acts[i].generic_in) or ANY in acts[i].generic_in)
                   for i in ids)

    def pick(self, ids: tuple[str, ...], ref: dt.date | None, country: str | None, generic: bool) -> Actor | None:
        acts = [self.t.lex.actors[i] for i in ids if i in self.t.lex.actors]
        if generic:
            local = [a for a in acts if country and country in a.generic_in]
            acts = local or [a for a in acts if ANY in a.generic_in]
        if not acts:
            return None
        valid = [a for a in acts if a.valid_on(ref)] or [a for a in acts if ref is None and a.valid_to] or acts
        for a in valid:
            if a.country == country:
                return a
        return valid[0]

    def __call__(self, doc: Document) -> None:
        norm = doc.norm
        cands, era = self.candidates(norm)
        if not cands:
            return
        ref = reference_date(doc, era)
        country = article_country(doc)
        cands = [c for c in cands if not c.generic or c.kind == "unit" or self._local(c.ids, country)]
        units: dict[str, Actor] = {}  # numbered units made up for this article
        resolved: dict[int, Actor] = {}
        rows: list[tuple[Cand, Actor]] = []
        for c in reversed(_select(cands)):  # right to left: a unit's parent comes first
            if c.kind == "block":
                continue
            if c.kind == "unit":
                actor = self._resolve_unit(c, resolved, units, ref, country)
            else:
                actor = self.pick(c.ids, ref, country, c.generic)
            if actor is None:
                continue
            if actor.same_as and actor.same_as in self.t.lex.actors:
                actor = self.t.lex.actors[actor.same_as]
            resolved[c.nstart] = actor
            rows.append((c, actor))
        for c, actor in reversed(rows):
            s, e, text = doc.span_text(c.nstart, c.nend)
            inter = actor.inter
            if inter == 1 and country and actor.country not in (ANY, country):
                inter = 8  # ACLED: a state's forces acting in another country are external
            parent = units.get(actor.parent or "") or self.t.lex.actors.get(actor.parent or "")
            named_group = c.kind == "unit" and c.unit is None and not c.named
            doc.actors.append(ActorMention(
                text=text, start=s, end=e, sentence=doc.sentence_index(c.nstart),
                actor_id=actor.id, name=actor.display(country),
                name_ar=" ".join(text.split()) if named_group or not actor.name_ar else actor.name_ar,
                inter=inter,
                parent=parent.display(country) if parent else None,
            ))

    def _resolve_unit(
        self, c: Cand, resolved: dict[int, Actor], units: dict[str, Actor],
        ref: dt.date | None, country: str | None,
    ) -> Actor | None:
        """A numbered unit: the lexicon's named unit, or a unit of its parent (the army)."""
        if c.named:
            actor = self.pick(c.named, ref, country, c.generic)
            if actor:
                return actor
        if c.unit is None:  # a named group the lexicon does not know
            return self.pick(c.ids, ref, country, True)
        parent = None
        if c.link_end >= 0:
            parent = next((resolved[i] for i in range(c.link_end, c.link_end + 3) if i in resolved), None)
        if parent is None:
            parent = self.pick(self.t.unit_parent_ids, ref, country, True)
            if parent and parent.same_as:
                parent = self.t.lex.actors.get(parent.same_as, parent)
        if parent is None or c.unit is None:
            return None
        kind, number = c.unit
        root = parent
        while root.id in units and root.parent:  # a regiment of a division: name it from the army
            root = units.get(root.parent) or self.t.lex.actors.get(root.parent, root)
        uid = f"{root.id}/{kind}-{number}"
        unit = Actor(
            id=uid, name=f"{root.display(country)} {_ordinal(number)} {kind.title()}", name_ar=None,
            inter=parent.inter, country=parent.country, parent=parent.id,
        )
        units[uid] = unit
        return unit


def _select(cands: list[Cand]) -> list[Cand]:
    """Longest candidates first, no overlaps; ties go to the more specific kind."""
    if not cands:
        return []
    chosen: list[Cand] = []
    taken = bytearray(max(c.nend for c in cands))  # 1 where a chosen candidate sits
    for c in sorted(cands, key=lambda c: (-(c.nend - c.nstart), _PRIORITY[c.kind], c.nstart)):
        if c.nstart < c.nend:
            if taken.find(1, c.nstart, c.nend) != -1:
                continue
        elif any(o.nstart < c.nstart < o.nend for o in chosen):  # empty: only inside another
            continue
        chosen.append(c)
        taken[c.nstart:c.nend] = b"\x01" * (c.nend - c.nstart)
    chosen.sort(key=lambda c: c.nstart)
    return chosen
