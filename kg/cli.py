"""The ``kg`` command line: the only module that prints, reads options or exits."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from kg import cli_options as opt
from kg.errors import KGError, one_line

app = typer.Typer(
    help="Build a knowledge graph of actors and their relations from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

EXIT_SKIPPED = 3  # built, but some inputs were skipped


@app.callback(invoke_without_command=True)
def _main(version: opt.Version = False) -> None:
    """Build a knowledge graph of actors and their relations from news articles."""
    if version:
        from kg import __version__

        out.print(f"kg {__version__}", highlight=False, markup=False)
        raise typer.Exit()


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


def _build_notice(notice: Any) -> None:
    """A build's notes as they come, but what folders did not read: the summary tells that, by kind."""
    from kg.folders import FOLDER_SKIPS

    if not notice.message.startswith(FOLDER_SKIPS):
        _notice(notice)


def _warning(message: str) -> None:
    """Something did not work as it should, and the build went on without it (a cache it cannot use)."""
    err.print(f"[yellow]warning:[/yellow] {escape(one_line(message))}", highlight=False, soft_wrap=True)


@app.command()
def build(
    paths: opt.BuildPaths = None,
    output: opt.BuildOutput = Path("out"),
    model: opt.ModelOption = None,
    strict: opt.Strict = False,
    quiet: opt.Quiet = False,
    html: opt.Html = True,
    jobs: opt.Jobs = 1,
    cache: opt.Cache = True,
    store: opt.StoreDir = None,
    dask: opt.Dask = None,
    gazetteer: opt.GazetteerOption = None,
    no_domain_gazetteer: opt.NoDomainOption = False,
    no_world_gazetteer: opt.NoWorldOption = False,
    corrections: opt.Corrections = None,
) -> None:
    """Build the graph of PATHS into OUTPUT/graph.ttl, and its network view into OUTPUT/graph.html.

    Exit codes: 0 built from every input; 3 built, but some inputs were skipped
    (each named on stderr); 1 nothing could be built.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
                    on_notice=None if quiet else _build_notice,
                    on_warning=_warning,
                )
            if not result.extractions:
                raise _fail("no article could be read from " + ", ".join(map(str, sources)))
            count = result.write_turtle(folder.file(target), on_warning=_warning)
            if html:
                from kg.viz import graph_html

                title = "kg network: " + ", ".join(p.name or str(p) for p in sources)
                page = graph_html(result.triples(full=False), title=title)
                folder.bytes(output / "graph.html", page.encode("utf-8"))
            if store is not None:
                folder.store(store, result.triples())
            folder.commit()
    except KGError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _os_failure(exc) from None
    if not quiet:
        from kg.cli_render import build_lines

        seconds = time.perf_counter() - started
        for line in build_lines(result, f"{count} triples -> {target}{' + graph.html' if html else ''}"
                                f"{f' + {store}' if store else ''} ({seconds:.1f} s)"):
            out.print(line, highlight=False, markup=False, soft_wrap=True)
    if result.skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command("eval")
def evaluate(
    paths: opt.EvalPaths,
    gold: opt.GoldDir,
    model: opt.ModelOption = None,
    verbose: opt.Verbose = False,
    by_predicate: opt.ByPredicate = False,
    gazetteer: opt.GazetteerOption = None,
    no_domain_gazetteer: opt.NoDomainOption = False,
    no_world_gazetteer: opt.NoWorldOption = False,
) -> None:
    """Score a graph against gold annotations, exactly as the graph contract says.

    The gazetteer options apply when PATHS are articles to build first.
    """
    from kg.cli_render import evaluation, evaluation_lines
    from kg.evaluate import score
    from kg.gold import load_gold
    from kg.pipeline import Settings, check_settings
    from kg.pipeline import build as run_build
    from kg.rdf import is_graph, read_graph

    built = len(paths) == 1 and is_graph(paths[0])
    if built and (gazetteer or no_domain_gazetteer or no_world_gazetteer):
        raise _fail(
            f"{paths[0]} is a built graph: --gazetteer, --no-domain-gazetteer and --no-world-gazetteer "
            "apply when eval builds from articles", code=2,
        )
    try:
        gold_set = load_gold(gold)
        if built:
            triples = read_graph(paths[0])
        else:
            settings = Settings(model=model, gazetteer=_layers(gazetteer, no_domain_gazetteer, no_world_gazetteer))
            check_settings(settings)
            triples = list(run_build(paths, settings, on_error=_skipped).triples())
        report = score(triples, gold_set)
    except KGError as exc:
        raise _fail(exc) from None
    _check_coverage(triples, gold, gold_set.files)
    out.print(evaluation(report, verbose=verbose, by_predicate=by_predicate))
    for line in evaluation_lines(report):
        out.print(line, highlight=False, soft_wrap=True)


def _check_coverage(triples: Any, gold: Path, files: tuple[str, ...]) -> None:
    """Warn when the graph holds none of the gold's articles (the scores would compare unrelated sets),
    and note the gold articles it lacks. Articles are compared by file name: a gold file's "article"
    against the file name of each article's kg:origin."""
    import json
    from pathlib import PurePath

    from kg.cli_render import plural
    from kg.vocab import PREFIXES

    origin = PREFIXES["kg"] + "origin"
    built = {PurePath(o.value.rsplit(":", 1)[0] if o.value.rsplit(":", 1)[-1].isdigit() else o.value).name
             for _, p, o in triples if p.value == origin}
    wanted = set()
    for name in files:
        article = json.loads((gold / name).read_text(encoding="utf-8")).get("article") or ""
        wanted.add(PurePath(article).name or Path(name).stem)
    missing = sorted(wanted - built)
    if missing and len(missing) == len(wanted):
        _warning(f"the graph holds no article of {gold} ({plural(len(wanted), 'gold article')}, "
                 f"such as {missing[0]}; the graph has {plural(len(built), 'article')}): "
                 "these scores compare unrelated sets")
    elif missing:
        _notice(f"{plural(len(missing), 'article')} of {gold} not in the graph: {', '.join(missing[:5])}"
                + (", ..." if len(missing) > 5 else ""))


@app.command()
def viz(
    graph_path: opt.GraphFileArg,
    output: opt.ViewOutput = None,
    focus: opt.Focus = None,
    hops: opt.Hops = 1,
    query: opt.ViewQuery = None,
    title: opt.Title = None,
    timeout: opt.ViewTimeout = 30.0,
    limit: opt.ViewLimit = 10_000,
    max_memory: opt.ViewMaxMemory = "4G",
) -> None:
    """Write the interactive network view of GRAPH: one HTML page that works offline.

    Nodes are actors (colour and shape by class, size by centrality, positions
    computed once), edges are relations (colour by predicate, one edge per
    subject-predicate-object with its evidence and source links). The page
    filters by class, predicate, links and evidence dates, finds an actor by
    name, and saves a PNG; past 1,500 actors it opens on the 1,000 most central.
    A --query is checked and bounded as kg query's are.
    """
    from kg.outputs import write_atomic
    from kg.query import read_query_file
    from kg.rdf import read_graph
    from kg.viz_render import render
    from kg.viz_select import OPEN_LIMIT, OPEN_SHOWN, find_actor, select, summary
    from kg.worker import parse_size

    output = _view_output(graph_path, output)
    try:
        if query is not None and query.endswith(".rq") and Path(query).is_file():
            query = read_query_file(Path(query))
        memory = parse_size(max_memory)
        view = select(read_graph(graph_path), focus=focus, hops=hops, query=query, limit=limit or None,
                      timeout=timeout, max_memory=memory)
        centre = find_actor(view, focus) if focus else None
        if title is None:
            title = f"kg network: {graph_path.name}"
            if centre:
                title += f", {hops} hop(s) around {centre.label}"
        write_atomic(output, render(view, title, centre.iri if centre else None).encode("utf-8"))
    except KGError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _os_failure(exc) from None
    opens = f" (opens on the {OPEN_SHOWN:,} most central)" if len(view.actors) > OPEN_LIMIT else ""
    out.print(f"{summary(view)}{opens} -> {output}", highlight=False, markup=False, soft_wrap=True)


def _view_output(graph: Path, output: Path | None) -> Path:
    """The page ``kg viz`` writes: ``output``, else GRAPH's name with .html beside it (out/graph.ttl ->
    out/graph.html), where only a view kg wrote may be replaced. Never GRAPH itself."""
    from kg.folders import is_kg_view

    if output is None:
        output = graph.parent / f"{graph.stem if graph.is_file() else graph.name}.html"
        if output.exists() and not is_kg_view(output):
            raise _fail(f"{output}: exists and is not a view kg wrote; give --output FILE.html to write the view",
                        code=2)
    if _same_file(output, graph):
        raise _fail(f"{output}: that is GRAPH itself; give --output FILE.html", code=2)
    return output


# ---------------------------------------------------------------- query, export, validate, stats, push


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


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
    from kg.cli_render import shipped_table
    from kg.query import shipped_queries

    out.print(shipped_table(shipped_queries()))


@app.command("query")
def query_command(
    graph: opt.QueryGraph = None,
    query: opt.QueryText = None,
    list_queries: opt.ListQueries = False,
    params: opt.Params = None,
    fmt: opt.QueryFormatOption = "table",
    engine: opt.EngineOption = "oxigraph",
    endpoint: opt.QueryEndpoint = None,
    named_graph: opt.QueryNamedGraph = None,
    timeout: opt.QueryTimeout = 30.0,
    limit: opt.QueryLimit = 100,
    offset: opt.QueryOffset = 0,
    allow_service: opt.AllowService = None,
    max_memory: opt.QueryMaxMemory = "4G",
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on GRAPH or on a remote endpoint.

    The shipped prefixes (kg, kge, kga, kgs, kgm, schema, prov, skos, rdf, rdfs, xsd, owl)
    are predeclared. The graph is only read: updates (INSERT, DELETE, LOAD, CLEAR...) are
    refused, and so are SERVICE calls (unless --allow-service) and, on a local graph, FROM
    clauses, so a local graph never reaches the network. A query is checked and run in a
    worker process that stops after --timeout seconds (default 30) or past --max-memory
    (default 4G), and returns a page of --limit rows (default 100) after --offset; a syntax error names its
    line and column. Tables escape control characters; other formats do when written to a terminal.

    Examples: kg query --list; kg query out/graph.ttl attacks;
    kg query out/graph.ttl actor-profile -p actor=al-Sudani;
    kg query out/graph.ttl 'SELECT ?s WHERE { ?s a kg:Person }' -f csv
    """
    import os
    import sys

    from kg.engines import GraphFile
    from kg.query import resolve_query, run
    from kg.query_check import allow_services
    from kg.results import graph_bytes, render, terminal_safe
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
            from kg.endpoint import Credentials, RemoteEndpoint

            runner: Any = RemoteEndpoint(endpoint, graph=named_graph, timeout=timeout,
                                         credentials=Credentials.from_environment(os.environ))
            where = endpoint
        else:
            runner = GraphFile(Path(graph or ""), engine)
            where = engine
        result = run(runner, text, bound, shipped, limit=limit or None, offset=offset, timeout=timeout,
                     max_memory=memory, allow_service=policy)
        if result.truncated:
            what = "triples" if result.triples else "rows"
            err.print(
                f"[yellow]truncated:[/yellow] the first {limit:,} {what} only" if not offset else
                f"[yellow]truncated:[/yellow] {what} {offset + 1:,} to {offset + limit:,} only",
                f"; the query returns more (--offset {offset + limit} for the next page, --limit ROWS, 0 for all)",
                highlight=False, soft_wrap=True, sep="",
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
    from kg.cli_render import result_table

    out.print(result_table(result, where), highlight=False, markup=False)


@app.command("export")
def export_command(
    graph: opt.GraphFileArg,
    fmt: opt.ExportFormatOption = None,
    output: opt.ExportOutput = None,
) -> None:
    """Write GRAPH in another format (by default the one the --output file's suffix names); the same graph
    always gives the same bytes."""
    from kg.export import export_files, export_format
    from kg.outputs import write_atomic
    from kg.rdf import read_graph

    try:
        chosen = export_format(fmt, output)
    except KGError as exc:
        raise _fail(exc, code=2) from None
    if chosen == "csv" and output is None:
        raise _fail("--format csv writes nodes.csv and edges.csv: give --output DIR", code=2)
    if output is not None and _same_file(output, graph):
        raise _fail(f"{output}: that is GRAPH itself; write the export to another file", code=2)
    try:
        files = export_files(read_graph(graph), chosen)
    except KGError as exc:
        raise _fail(exc) from None
    if output is None:
        _write_stdout(next(iter(files.values())))
        return
    if chosen == "csv" or output.is_dir():
        targets = {output / name: data for name, data in files.items()}
    else:
        targets = {output: next(iter(files.values()))}
    try:
        for path, data in targets.items():
            write_atomic(path, data)
    except OSError as exc:
        raise _os_failure(exc) from None
    err.print(f"{chosen} -> {', '.join(map(str, targets))}", highlight=False, markup=False, soft_wrap=True)


@app.command("validate")
def validate_command(
    graph: opt.GraphFileArg,
    shapes: opt.Shapes = None,
    limit: opt.MaxShown = 50,
    truth: opt.Truth = True,
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
    from kg.cli_render import validation_line, violation_lines
    from kg.rdf import read_graph
    from kg.validate import validate

    try:
        report = validate(read_graph(graph), shapes, truth=truth)
    except KGError as exc:
        raise _fail(exc) from None
    if report.conforms:
        checks = " and the truthfulness checks" if truth else ""
        out.print(f"{graph}: conforms to {shapes or 'ontology/shapes.ttl'}{checks}", highlight=False, markup=False)
        return
    for line in violation_lines(report.violations[:limit]):
        out.print(line, highlight=False, markup=False, soft_wrap=True)
    err.print(validation_line(graph, report, limit), highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(1)


@app.command("stats")
def stats_command(
    graph: opt.GraphFileArg,
    top: opt.Top = 10,
    as_json: opt.AsJson = False,
) -> None:
    """Counts per class and predicate, the most central actors, communities, articles and dates."""
    import dataclasses
    import json
    import sys

    from kg.cli_render import stats_line, stats_tables
    from kg.rdf import read_graph
    from kg.results import terminal_safe
    from kg.stats import compute

    try:
        stats = compute(read_graph(graph), top=top)
    except KGError as exc:
        raise _fail(exc) from None
    if as_json:
        data = json.dumps(dataclasses.asdict(stats), indent=2, ensure_ascii=False) + "\n"
        # Exact for a pipe; a terminal gets no control character from the graph's labels.
        _write_stdout((terminal_safe(data) if getattr(sys.stdout, "isatty", lambda: False)() else data).encode("utf-8"))
        return
    out.print(stats_line(stats), highlight=False, markup=False, soft_wrap=True)
    for table in stats_tables(stats):
        out.print(table, highlight=False, markup=False)


@app.command("push")
def push_command(
    graph: opt.GraphFileArg,
    endpoint: opt.PushEndpoint,
    named_graph: opt.PushNamedGraph = None,
    replace: opt.Replace = False,
    timeout: opt.PushTimeout = 60.0,
) -> None:
    """Load GRAPH into a SPARQL 1.1 store through the Graph Store HTTP Protocol.

    Query it afterwards with kg query --endpoint URL (the store's query URL) and the
    same shipped queries.
    """
    import os

    from kg.endpoint import Credentials, push

    started = time.perf_counter()
    try:
        report = push(graph, endpoint, graph=named_graph, replace=replace, timeout=timeout,
                      credentials=Credentials.from_environment(os.environ))
    except KGError as exc:
        raise _fail(exc) from None
    target = f"<{report.graph}>" if report.graph else "the default graph"
    verb = "replaced" if report.replaced else "added to"
    out.print(
        one_line(f"{report.triples} triples {verb} {target} at {endpoint} "
                 f"(HTTP {report.status}, {time.perf_counter() - started:.1f} s)"),
        highlight=False, markup=False, soft_wrap=True,
    )


@app.command("serve")
def serve_command(
    graph: opt.GraphFileArg,
    host: opt.ServeHost = "127.0.0.1",
    port: opt.ServePort = 7879,
    allow_remote: opt.AllowRemote = False,
    timeout: opt.ServeTimeout = 30.0,
    limit: opt.ServeLimit = 10_000,
    max_memory: opt.ServeMaxMemory = "4G",
    quiet: opt.ServeQuiet = False,
) -> None:
    """Serve a workbench for GRAPH on this machine: a SPARQL editor, the network view and an endpoint.

    Open the printed URL: the shipped queries are in a menu, actors in the results open the
    network view around them, with their evidence. /sparql is a read-only SPARQL 1.1 endpoint
    (GET or POST; JSON, XML, CSV or TSV results, Turtle or N-Triples graphs) that answers only
    what kg query would, bounded the same way. The graph is read once, at start. Stop with Ctrl-C.
    """
    import signal
    import sys

    from kg.serve import Limits, Workbench, check_bind, close, is_loopback, make_server
    from kg.worker import parse_size

    def log(line: str) -> None:
        err.print(line, highlight=False, markup=False, soft_wrap=True)

    try:
        check_bind(host, allow_remote)  # before reading a large graph
    except KGError as exc:
        raise _fail(exc, code=2) from None
    try:
        limits = Limits(timeout=timeout, rows=limit or None, max_memory=parse_size(max_memory))
        server = make_server(Workbench(graph, limits), host, port, allow_remote=allow_remote,
                             log=None if quiet else log)
    except KGError as exc:
        raise _fail(exc) from None
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    if not is_loopback(host):
        _warning(f"listening on {shown}:{bound_port}, beyond this machine: anyone who can connect may query the graph")
    out.print(f"kg serve: http://{shown}:{bound_port}/ ({graph}; Ctrl-C to stop)",
              highlight=False, markup=False, soft_wrap=True)
    sys.stdout.flush()

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # leave serve_forever as Ctrl-C does, through close()

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        close(server)


def main() -> None:
    app(prog_name="kg")
