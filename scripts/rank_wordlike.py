#!/usr/bin/env python3
"""Rank gazetteer names by how often news text uses them as ordinary words.

    python scripts/rank_wordlike.py [BENCH_DIR] [--report N]

Many Syrian village names are also common words (الحرية "freedom", النصر "victory", الثورة
"revolution", الحكومة "the government").  Matching them bare would flood the output with
false places, but hand-picking them would miss most.  So this script reads a large corpus
of Arabic news (../shared/corpus/bench, 7.5k articles) and, for each gazetteer name, counts

  n    its whole-word occurrences (clitics allowed), and
  cue  how many of them stand right after a place cue: a head word (مدينة، قرية، حي…), a
       compass or nearness word (شرق، قرب…), or a locative preposition (في، من، إلى).

A place name is written after a cue far more often than an ordinary word is.  A name is
*word-like* when it is frequent and rarely cued, unless it is a country's name, a curated
landmark's, or the own (not alternate) name of a prominent place (rank >= 75: governorates,
capitals, cities of 100k+).  Word-like names are
written to lexicons/places/wordlike.yaml; the places stage accepts them only with a cue.

It also writes lexicons/places/head_stopwords.yaml: the words that most often follow an
open head word (منطقة عسكرية، مدينة كبيرة…) and are not place names, which the grammar
must not take for unknown place names; and the most frequent words of the corpus that are
not place names (an unknown name after a head word is a rare word, not a common one).

Only derived word lists are written, never corpus text.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd.extractors import gazetteer  # noqa: E402
from rasd.extractors.normalise import fold, normalise  # noqa: E402
from rasd.lexicons import builtin  # noqa: E402

DEFAULT_BENCH = ROOT.parent / "shared" / "corpus" / "bench"
OUT = ROOT / "lexicons" / "places"
_WORD = re.compile(r"[^\W\d_]+")
_CLITIC = re.compile(r"^(?:[وف]?[بلك]?)")
PREPOSITIONS = {"في", "من", "الي", "قرب", "بين"}

MIN_N = 4            # fewer occurrences than this say nothing
MAX_CUE_RATIO = 0.34  # a place name follows a cue at least this often
PROMINENT = 75       # rank from which a name is never word-like ...
PROMINENT_MIN_CUE = 0.08  # ... unless it is (almost) never cued: "وان" (Van) is "and that"
COMMON_TOP = 5000    # this many most frequent corpus words are "common words" ...
COMMON_MAX_CUE = 0.5  # ... and word-like unless cued at least this often ("منبج": 0.65)
ADJ_RATIO = 0.4      # a name this often right after a definite word is an adjective too
MAX_AFTER_HEAD = 0.15  # an ordinary word follows head words at most this share of its uses


def body(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    if raw.startswith("---\n"):
        parts = raw.split("\n---\n", 1)
        return parts[1] if len(parts) == 2 else raw
    return raw


def strip_clitic(word: str) -> str:
    m = _CLITIC.match(word)
    return word[m.end():] if m and len(word) - m.end() >= 2 else word


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench", nargs="?", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--report", type=int, default=0, help="print the N most word-like names")
    args = ap.parse_args()

    gaz = gazetteer.compile_gazetteer()
    grammar = builtin("places/grammar")
    heads = {fold(w) for h in grammar["heads"] for w in h["words"]}
    open_heads = {fold(w) for h in grammar["heads"] if h.get("open") for w in h["words"]}
    cues = heads | {fold(w) for w in grammar["regions"]} | {fold(w) for w in grammar["directions"]} \
        | {fold(w) for w in grammar["near"]} | PREPOSITIONS

    n: Counter[str] = Counter()
    cued: Counter[str] = Counter()
    after_noun: Counter[str] = Counter()
    listed: Counter[tuple[str, str]] = Counter()
    function_words = {fold(w) for w in grammar.get("not_names") or []}
    single_keys = {k for k in gaz.names.values if " " not in k}
    words: Counter[str] = Counter()
    after_head: Counter[str] = Counter()
    files = sorted(p for p in args.bench.rglob("*") if p.suffix in (".txt", ".md"))
    for path in files:
        norm, _ = normalise(body(path))
        toks = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(norm)]
        prev_at: dict[int, str] = {}
        for i, (s, _e, w) in enumerate(toks):
            words[w] += 1
            if i:
                prev_at[s] = strip_clitic(toks[i - 1][2])
                if prev_at[s] in open_heads:
                    after_head[w] += 1
        starts = {s: i for i, (s, _e, _w) in enumerate(toks)}
        for m in gaz.names.iter(norm):
            n[m.key] += 1
            tok_start = m.nstart - len(m.clitic)
            i = starts.get(tok_start)
            if i is None or i == 0:
                continue
            prev = strip_clitic(toks[i - 1][2])
            gap = norm[toks[i - 1][1]:tok_start].strip()
            if prev in cues:
                cued[m.key] += 1
            elif prev in single_keys and (gap == "," or m.clitic == "و"):
                listed[(m.key, prev)] += 1  # maybe a list of places ("حمورية وسقبا"), see below
            elif not gap and not m.clitic and prev not in cues and prev not in function_words \
                    and toks[i - 1][2].startswith("ال") and m.key.startswith("ال"):
                # "القوات السعودية": a definite nisba after a definite noun is an adjective
                # (indefinite ones are not counted: "قالت روسيا" is a verb and its subject)
                after_noun[m.key] += 1
    print(f"{len(files)} articles", file=sys.stderr)

    common_words = {w for w, _c in words.most_common(COMMON_TOP)}
    for (key, prev), c in listed.items():
        if prev not in common_words:  # listed after a rare (so real) place name
            cued[key] += c
    exempt = set()
    for key, vals in gaz.names.values.items():
        ratio = cued[key] / n[key] if n[key] else 1.0
        for i in vals:
            p = gaz.places[i]
            if p.feature == "country" or p.id.startswith("rasd:") or (
                    p.rank >= PROMINENT and fold(p.name_ar) == key and ratio >= PROMINENT_MIN_CUE):
                exempt.add(key)  # curated, or the own name of a prominent place
    rows = []
    for key, cnt in n.items():
        if cnt < MIN_N or key in exempt:
            continue
        ratio = cued[key] / cnt
        if ratio < MAX_CUE_RATIO or (key in common_words and ratio < COMMON_MAX_CUE):
            rows.append((cnt * (1 - ratio), key, cnt, ratio))
    for key in exempt:  # a two-letter name that is a common word is ambiguous however famous ("اب")
        if len(key) <= 2 and key in common_words and gaz.places[gaz.names.values[key][0]].feature != "country":
            cnt, ratio = n[key], cued[key] / max(n[key], 1)
            rows.append((cnt * (1 - ratio), key, cnt, ratio))
    adjectival = sorted(k for k, c in n.items() if c >= MIN_N and after_noun[k] / c >= ADJ_RATIO)
    rows.sort(reverse=True)
    if args.report:
        for score, key, cnt, ratio in rows[: args.report]:
            print(f"{score:8.1f} {cnt:6d} {ratio:5.2f} {key}")
    wl = sorted(k for _s, k, _c, _r in rows)
    header = ("# GENERATED by scripts/rank_wordlike.py from a news corpus (only counts are used).\n"
              "# Gazetteer names that news text mostly uses as ordinary words: the places stage\n"
              "# accepts them only after a cue (a head word such as قرية/حي, a compass word, or\n"
              f"# neighbouring places).  Criteria: >= {MIN_N} occurrences, < {MAX_CUE_RATIO:.0%} after a cue,\n"
              f"# no place of rank >= {PROMINENT} with that name.\n")
    header += ("# adjectival: names that as often follow a definite noun as adjectives (\"القوات السعودية\");\n"
               f"# after a definite word they are not places (>= {ADJ_RATIO:.0%} of uses).\n")
    (OUT / "wordlike.yaml").write_text(
        header + yaml.dump({"wordlike": wl, "adjectival": adjectival}, allow_unicode=True, width=100), encoding="utf-8")

    place_keys = set(gaz.names.values)
    common = [w for w, _c in words.most_common(COMMON_TOP)
              if w not in place_keys and after_head[w] / words[w] < MAX_AFTER_HEAD]
    # an ordinary word follows head words in a small share of its uses ("منطقة عسكرية");
    # an unknown place name mostly does ("مديرية الملاجم")
    stop = sorted(w for w, c in after_head.items()
                  if c >= 3 and w not in place_keys and c / words[w] < MAX_AFTER_HEAD)
    header2 = ("# GENERATED by scripts/rank_wordlike.py from a news corpus (only counts are used).\n"
               "# after_head: words that often follow an open head word (منطقة، مدينة…) and are not\n"
               "# place names.  common: the corpus's most frequent words that are not place names.\n"
               "# The places grammar never takes either for an unknown place name.\n")
    (OUT / "head_stopwords.yaml").write_text(
        header2 + yaml.dump({"after_head": stop, "common": sorted(common)}, allow_unicode=True, width=100),
        encoding="utf-8")
    print(f"wordlike.yaml: {len(wl)} names, {len(adjectival)} adjectival; "
          f"head_stopwords.yaml: {len(stop)} + {len(common)} words", file=sys.stderr)
    print(gazetteer.write_cache(), file=sys.stderr)


if __name__ == "__main__":
    main()
