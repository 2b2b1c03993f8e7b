"""The `rasd` command line (Typer).  stdout carries data only; people read stderr."""
from __future__ import annotations

import datetime as dt
import signal
import sys
import time
from collections import Counter
from enum import Enum
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated

import typer

from . import readers
from .readers import ReadFailure, Source
from .writers import Output, make_writer

app = typer.Typer(
    name="rasd",
    help=(
        "rasd (رصد): turn Arabic conflict reports into structured event rows — places, armed "
        "actors, killed/injured/captured by side, and dates — as JSON Lines, JSON or CSV.\n\n"
        "Examples:\n\n"
        "  rasd parse examples/                      # JSON Lines on stdout\n\n"
        "  rasd parse reports/ -f csv --excel -o events.csv\n\n"
        "  rasd parse reports/ --level mentions | jq 'select(.kind==\"place\")'"
    ),
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


lexicons_app = typer.Typer(help="Validate rasd's lexicons and your own (--lexicons folders).", no_args_is_help=True)
app.add_typer(lexicons_app, name="lexicons")


class Format(str, Enum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"


class Level(str, Enum):
    events = "events"
    mentions = "mentions"


def _version() -> str:
    try:
        return version("rasd")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"rasd {_version()}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version_: Annotated[bool, typer.Option("--version", callback=_version_callback, is_eager=True,
                                           help="Show the version and exit.")] = False,
) -> None:
    """rasd: Arabic conflict reports → event rows."""


def _published(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def err(msg: str) -> None:
    sys.stderr.write(f"rasd: {msg}\n")
    sys.stderr.flush()


class _Terminated(Exception):
    pass


def _on_sigterm(signum, frame) -> None:  # pragma: no cover - exercised by reliability tests
    raise _Terminated()


@app.command(
    epilog=(
        "Examples:\n\n"
        "  rasd parse examples/\n\n"
        "  rasd parse reports/ -f csv --excel -o events.csv\n\n"
        "  rasd parse reports/ --level mentions -f json > mentions.json\n\n"
        "  cat article.txt | rasd parse - --published 2024-05-27\n\n"
        "  rasd parse big-folder/ --jobs 4 -o events.jsonl"
    )
)
def parse(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (searched recursively), or - for stdin.",
                                               show_default=False)],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.jsonl,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write to FILE (atomically) instead of stdout.",
                                               metavar="FILE")] = None,
    level: Annotated[Level, typer.Option("--level", help="One row per event, or one per mention.")] = Level.events,
    published: Annotated[str | None, typer.Option("--published", metavar="YYYY-MM-DD",
                                                  help="Publication date for every article (overrides the files).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes (output order is unchanged).")] = 1,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first input that cannot be read or parsed.")] = False,
    excel: Annotated[bool, typer.Option("--excel", help="CSV with a UTF-8 BOM so Excel shows Arabic (implies -f csv).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary (errors are still shown).")] = False,
    lexicons: Annotated[list[str] | None, typer.Option("--lexicons", metavar="DIR",
                                                       help="Extra lexicon folder (repeatable): your places, actors, triggers.")] = None,
) -> None:
    """Read Arabic articles and write event rows (or mention rows)."""
    pub = _published(published)
    if excel and fmt not in (Format.csv, Format.jsonl):
        raise typer.BadParameter("--excel only applies to CSV output", param_hint="--excel")
    fmt_name = "csv" if excel else fmt.value
    dirs = _lexicon_dirs(lexicons)
    code = run_parse(paths, fmt_name, output, level.value, pub, jobs, strict, excel, quiet, dirs)
    raise typer.Exit(code)


def _lexicon_dirs(dirs: list[str] | None) -> tuple[str, ...]:
    """Check user lexicon folders up front: a broken one is a usage error, not 1000 failures."""
    from rasd.lexicons import LexiconError, check_user_dirs

    out = tuple(dirs or ())
    for d in out:
        if not Path(d).is_dir():
            raise typer.BadParameter(f"{d}: not a folder", param_hint="--lexicons")
    try:
        check_user_dirs(out)
    except LexiconError as exc:
        err(str(exc))
        raise typer.Exit(2) from None
    return out


@app.command(
    epilog=(
        "Examples:\n\n"
        "  rasd explain examples/daraa-gunmen.txt --published 2024-05-27\n\n"
        "  rasd explain report.txt --no-color | less\n\n"
        "  rasd explain report.txt --logical      # terminal that shapes Arabic right-to-left itself"
    )
)
def explain(
    path: Annotated[str, typer.Argument(help="An article file (or - for stdin).", show_default=False)],
    published: Annotated[str | None, typer.Option("--published", metavar="YYYY-MM-DD",
                                                  help="Publication date (overrides the file).")] = None,
    color: Annotated[bool | None, typer.Option("--color/--no-color",
                                               help="Colours and right-to-left layout (default: when stdout is a terminal).",
                                               show_default=False)] = None,
    logical: Annotated[bool, typer.Option("--logical", help="Keep Arabic in logical order (for terminals with their own bidi).")] = False,
    lexicons: Annotated[list[str] | None, typer.Option("--lexicons", metavar="DIR", help="Extra lexicon folder (repeatable).")] = None,
) -> None:
    """Show an article with every mention highlighted and, per event, the words behind each field."""
    from .explain import run_explain

    raise typer.Exit(run_explain(path, published=_published(published), color=color, logical=logical,
                                 lexicon_dirs=_lexicon_dirs(lexicons)))


def run_parse(paths: list[str], fmt: str, output: str | None, level: str, pub: dt.date | None, jobs: int,
              strict: bool, excel: bool, quiet: bool, lexicon_dirs: tuple[str, ...] = ()) -> int:
    from .progress import Reporter
    from .runner import prepare, run

    try:
        prepare(level, pub, lexicon_dirs, fmt, excel)
    except Exception as exc:  # a broken lexicon: say which, once, instead of failing every article
        err(f"cannot load the pipeline: {exc}")
        return 2
    stdin_bytes = sys.stdin.buffer.read() if "-" in paths else None
    items = list(readers.list_sources(paths, stdin_bytes))
    sources = [s for s in items if isinstance(s, Source)]
    reporter = Reporter(total=len(sources), quiet=quiet)
    failed = 0
    try:
        out = Output(output)
    except OSError as exc:
        err(f"{output}: cannot write: {exc.strerror or exc}")
        return 1
    writer = make_writer(fmt, out.stream, level, excel)
    kinds: Counter[str] = Counter()
    articles = events = 0
    t0 = time.perf_counter()
    old_term = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        for f in items:
            if isinstance(f, ReadFailure):
                failed += 1
                reporter.error(f.display, f.reason)
                if strict:
                    raise _Stop()
        for outcomes in run(sources, jobs=jobs, level=level, published=pub, lexicon_dirs=lexicon_dirs,
                            fmt=fmt, excel=excel):
            for o in outcomes:
                if o.error is not None:
                    failed += 1
                    reporter.error(o.display, o.error)
                    if strict:
                        raise _Stop()
                    continue
                articles += 1
                events += o.events
                kinds.update(o.kinds)
                for text in o.rows:
                    writer.write_text(text)
            reporter.advance()
        writer.close()
        out.commit()
    except _Stop:
        out.abort()
        reporter.stop()
        err("stopped at the first failed input (--strict); no output file written" if output
            else "stopped at the first failed input (--strict)")
        return 1
    except KeyboardInterrupt:
        out.abort()
        reporter.stop()
        err("interrupted; no output file written" if output else "interrupted")
        return 130
    except _Terminated:
        out.abort()
        reporter.stop()
        err("terminated; no output file written" if output else "terminated")
        return 143
    except BrokenPipeError:  # `rasd parse … | head`
        out.abort()
        return 0
    except BaseException:
        out.abort()
        raise
    finally:
        signal.signal(signal.SIGTERM, old_term)
    reporter.finish(articles=articles, failed=failed, events=events, kinds=kinds,
                    seconds=time.perf_counter() - t0, level=level)
    return 1 if failed else 0


class _Stop(Exception):
    pass


@app.command(
    "eval",
    epilog=("Examples:\n\n  rasd eval my-gold/\n\n  rasd eval my-gold/ --errors | less\n\n"
            "  rasd eval my-gold/ --json > scores.json"),
)
def eval_(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of articles + NAME.gold.json files (format: GOLD.md).",
                                             show_default=False)],
    errors: Annotated[bool, typer.Option("--errors", help="List every miss and false hit.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    published: Annotated[str | None, typer.Option("--published", metavar="YYYY-MM-DD",
                                                  help="Publication date for every article.")] = None,
    lexicons: Annotated[list[str] | None, typer.Option("--lexicons", metavar="DIR", help="Extra lexicon folder (repeatable).")] = None,
) -> None:
    """Score rasd against gold annotations: P/R/F1 per mention kind, admin1, dates, counts, totals, events."""
    from .evaluate import run_eval  # lazy: keeps `rasd parse` start-up fast

    raise typer.Exit(run_eval(gold_dir, errors=errors, as_json=as_json, lexicon_dirs=_lexicon_dirs(lexicons),
                              published=_published(published)))


@lexicons_app.command(
    "check",
    epilog=("Examples:\n\n  rasd lexicons check\n\n  rasd lexicons check my-lexicons/     # your files, checked against the built-in ones"),
)
def lexicons_check(
    dirs: Annotated[list[str] | None, typer.Argument(help="User lexicon folders to check (built-in ones are always checked).",
                                                     show_default=False)] = None,
) -> None:
    """Validate lexicon YAML: syntax, schema, duplicate ids, aliases claimed twice, codes, coordinates."""
    from .lexicon_check import run_check

    raise typer.Exit(run_check(list(dirs or [])))


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
