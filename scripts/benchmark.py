#!/usr/bin/env python3
"""rasd's benchmark: throughput, time per stage, peak memory, start-up, with and without --jobs.

    .venv/bin/python scripts/benchmark.py                      # ../shared/corpus/bench (7.5k articles)
    .venv/bin/python scripts/benchmark.py FOLDER --jobs 1,2 --limit 2000

Not a timed test: numbers depend on the machine.  Part 1 runs the pipeline in this process
and splits the time by stage; part 2 runs the real CLI (`rasd parse FOLDER -q -o FILE`) with
each --jobs value and reports wall-clock articles/s and the children's peak RSS; part 3 times
`rasd parse` on one file including interpreter start-up.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rasd_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("rasd")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "rasd.cli"]


def in_process(folder: Path, limit: int | None) -> int:
    from rasd.cli.readers import Article, Source, list_sources, read_source
    from rasd.cli.runner import tune_gc
    from rasd.extractors import Document, Pipeline
    from rasd.extractors.pipeline import to_result

    t_import = time.perf_counter()
    pipe = Pipeline()
    t_init = time.perf_counter() - t_import
    tune_gc()  # as `rasd parse` does
    sources = [s for s in list_sources([str(folder)]) if isinstance(s, Source)][:limit]
    t_read = 0.0
    n = failed = chars = 0
    t0 = time.perf_counter()
    for src in sources:
        r0 = time.perf_counter()
        items = list(read_source(src))
        t_read += time.perf_counter() - r0
        for a in items:
            if not isinstance(a, Article):
                failed += 1
                continue
            try:
                doc = pipe.run(Document(a.text, a.meta))
                to_result(doc, "events")  # what `rasd parse` builds by default
            except Exception:
                failed += 1
                continue
            n += 1
            chars += len(a.text)
    wall = time.perf_counter() - t0
    print(f"in-process: {n} articles ({chars / max(n, 1):.0f} chars avg), {failed} failed, "
          f"{wall:.2f} s → {n / wall:.0f} articles/s (pipeline set-up {t_init * 1000:.0f} ms)")
    print(f"  {'read+decode':<12} {t_read / max(n, 1) * 1000:7.3f} ms/article")
    for name, secs in pipe.timings.items():
        print(f"  {name:<12} {secs / max(n, 1) * 1000:7.3f} ms/article")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS (this process): {rss:.0f} MB")
    return n


def cli_runs(folder: Path, jobs: list[int], limit: int | None) -> None:
    with tempfile.TemporaryDirectory(prefix="rasd-bench-") as tmp:
        target = folder
        if limit:
            target = Path(tmp) / "subset"
            target.mkdir()
            from rasd.cli.readers import Source, list_sources

            for i, s in enumerate(x for x in list_sources([str(folder)]) if isinstance(x, Source)):
                if i >= limit:
                    break
                shutil.copyfile(s.path, target / f"{i:06d}{s.path.suffix}")
        outs = []
        for j in jobs:
            out = Path(tmp) / f"out-{j}.jsonl"
            t0 = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            proc = subprocess.run([*rasd_cmd(), "parse", str(target), "--jobs", str(j), "-o", str(out)],
                                  capture_output=True, text=True)
            wall = time.perf_counter() - t0
            rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            summary = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
            n = int(summary.split(" articles read")[0].split()[-1]) if "articles read" in summary else 0
            print(f"cli --jobs {j}: {wall:.2f} s wall → {n / wall:.0f} articles/s; "
                  f"peak RSS of a child ≤ {max(rss, before) / 1024:.0f} MB; exit {proc.returncode}")
            outs.append(out.read_bytes() if out.exists() else b"")
        if len(outs) > 1:
            same = all(o == outs[0] for o in outs)
            print(f"output identical across --jobs values: {same}")


def startup() -> None:
    example = ROOT / "examples" / "daraa-gunmen.txt"
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([*rasd_cmd(), "parse", str(example), "-q"], capture_output=True)
        times.append(time.perf_counter() - t0)
    print(f"start-up: rasd parse on one file: best {min(times) * 1000:.0f} ms, median "
          f"{sorted(times)[2] * 1000:.0f} ms (wall, 5 runs)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus" / "bench")
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values for the CLI runs")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N files")
    ap.add_argument("--skip-cli", action="store_true", help="only the in-process part")
    args = ap.parse_args()
    if not args.folder.is_dir():
        print(f"benchmark: {args.folder}: not a folder", file=sys.stderr)
        return 2
    print(f"benchmark on {args.folder} ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")
    in_process(args.folder, args.limit)
    if not args.skip_cli:
        cli_runs(args.folder, [int(j) for j in args.jobs.split(",")], args.limit)
        startup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
