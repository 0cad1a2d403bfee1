"""SPARQL over a built graph: the shipped queries, query files, parameters, and a bounded run.

Every query is checked before any engine sees it (``kg.query_check``), then runs on a local
engine or a remote endpoint (``kg.engines``, ``kg.endpoint``). :func:`run` bounds a query's
time, rows and memory: it checks and runs the query in a worker process (``kg.worker``) that
is killed at the deadline and, unless the query may call an allowed SERVICE, cannot open a
network socket at all. It returns a page: ``limit`` rows after ``offset``; a shipped query
reads the graph's summaries (``kg.summary``) where it has them, its plain twin where not.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import stat
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

from kg import worker
from kg.engines import Engine, GraphFile, OxigraphEngine, RdflibEngine, Result
from kg.errors import QueryError
from kg.normalize import fold, names_matching
from kg.query_check import Query, ServicePolicy, prepare
from kg.rdf import Term, compact
from kg.vocab import PREFIXES

XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")

DEFAULT_TIMEOUT = worker.DEFAULT_TIMEOUT  # seconds a query may run (kg query --timeout)
DEFAULT_LIMIT = worker.DEFAULT_LIMIT  # rows (or triples) a query may return (the library's bound)
DEFAULT_PAGE = 100  # rows kg query returns at a time (--limit; --offset for the next pages)
DEFAULT_MAX_MEMORY = worker.DEFAULT_MAX_MEMORY  # bytes a query's worker may grow by (kg query --max-memory)
MAX_QUERY_FILE = 2**20  # bytes of a @file.rq query

@dataclass(frozen=True, slots=True)
class Param:
    """A variable a shipped query expects to be bound with ``--param``; an ``actor`` one takes a name too."""

    name: str
    help: str
    required: bool = False
    actor: bool = False


@dataclass(frozen=True, slots=True)
class ShippedQuery:
    """A query of ``kg/queries``: its name (file stem), one-line description and parameters.

    A query that reads the summary graph (``kg.summary``) has a ``plain`` twin in
    ``kg/queries/plain`` that counts over the graph itself, for a graph without summaries:
    a remote endpoint, a store of an earlier kg. Both give the same rows in the same order.
    """

    name: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    plain: str | None = None


# ---------------------------------------------------------------- shipped queries

# "# param ?actor (required, actor): help": flags in brackets, "actor" for a variable that holds an actor
_PARAM_LINE = re.compile(r"^#\s*param\s+[?$](\w+)\s*(?:\(([\w\s,]*)\))?\s*:\s*(.*)$")
_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


def _header_params(lines: list[str]) -> tuple[Param, ...]:
    """The ``# param`` lines of the comment block that opens a query."""
    params = []
    for line in lines:
        if not line.startswith("#"):
            break
        found = _PARAM_LINE.match(line)
        if found:
            flags = {flag.strip() for flag in (found.group(2) or "").split(",")}
            params.append(Param(found.group(1), found.group(3).strip(), "required" in flags, "actor" in flags))
    return tuple(params)


def _parse_shipped(name: str, text: str) -> ShippedQuery:
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise QueryError(f"shipped query {name!r} does not start with a '# description' line")
    return ShippedQuery(name, lines[0].lstrip("# ").strip(), text, _header_params(lines[1:]))


def shipped_queries() -> list[ShippedQuery]:
    """The queries shipped in ``kg/queries``, sorted by name."""
    folder = files("kg") / "queries"
    plain = {
        entry.name[: -len(".rq")]: entry.read_text(encoding="utf-8")
        for entry in (folder / "plain").iterdir()
        if entry.name.endswith(".rq")
    }
    found = [
        dataclasses.replace(query, plain=plain.get(query.name))
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
        for query in [_parse_shipped(entry.name[: -len(".rq")], entry.read_text(encoding="utf-8"))]
    ]
    return sorted(found, key=lambda q: q.name)


def read_query_file(path: Path) -> str:
    """The text of a query file: a regular file of at most ``MAX_QUERY_FILE`` bytes, in UTF-8."""
    try:
        # O_NONBLOCK: opening a FIFO waits for no writer; it is then refused as not a regular file.
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise QueryError(f"{path}: a query file must be a regular file")
            data = handle.read(MAX_QUERY_FILE + 1)
    except OSError as exc:
        raise QueryError(f"{path}: cannot read the query file ({exc.strerror or exc.__class__.__name__})") from None
    if len(data) > MAX_QUERY_FILE:
        raise QueryError(f"{path}: a query file is at most {MAX_QUERY_FILE // 2**20} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError(f"{path}: the query file is not UTF-8") from None


def resolve_query(spec: str) -> tuple[str, ShippedQuery | None]:
    """The SPARQL text that QUERY names: ``@file.rq``, a shipped query's name, or inline SPARQL."""
    if spec.startswith("@"):
        # A query file declares its parameters as a shipped query does.
        path = Path(spec[1:])
        text = read_query_file(path)
        params = _header_params(text.splitlines())
        return text, ShippedQuery(path.stem, "", text, params) if params else None
    if _NAME.match(spec):
        for query in shipped_queries():
            if query.name == spec:
                return query.text, query
        raise QueryError(f"no shipped query named {spec!r} (see kg query --list)")
    return spec, None


# A ranked listing's page (kg/summary.py): the ranks a page reads, set to the rows asked for.
_PAGE = re.compile(r"FILTER\(\?rank >= 0 && \?rank < 1000000000\)")


def shipped_text(shipped: ShippedQuery, engine: object, offset: int = 0, limit: int | None = None) -> tuple[str, int]:
    """The text to run for ``shipped`` on ``engine``, and the rows still to skip for ``offset``.

    A graph without summaries (``engine.summarized`` false or missing: a remote endpoint, a
    store of an earlier kg) gets the plain twin, paged by skipping rows; a ranked listing gets
    its page's bounds (one row past the limit, to tell whether there are more), so it reads no other row.
    """
    if shipped.plain is not None and not getattr(engine, "summarized", False):
        return shipped.plain, offset
    bounds = f"?rank >= {offset:d}" + ("" if limit is None else f" && ?rank < {offset + limit + 1:d}")
    text, found = _PAGE.subn(f"FILTER({bounds})", shipped.text, count=1)
    return (text, 0) if found else (shipped.text, offset)


# ---------------------------------------------------------------- parameters

_PREFIXED = re.compile(r"^([A-Za-z][\w.-]*)?:")


def parse_term(value: str) -> Term:
    """A ``--param`` value as an RDF term, parsed, never pasted into a query.

    ``<iri>`` and ``prefix:name`` (shipped prefixes) are IRIs; Turtle literals
    (``"x"@en``, ``"2024-01-04"^^xsd:date``, ``42``, ``true``) keep their type;
    anything else is a plain string.

    >>> parse_term("kge:iraq")
    <NamedNode value=https://w3id.org/kg-news/id/entity/iraq>
    >>> parse_term("al-Sudani")
    <Literal value=al-Sudani datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    """
    value = value.strip()
    prefixed = _PREFIXED.match(value)
    if prefixed and not value.startswith("<") and (prefixed.group(1) or "") not in PREFIXES:
        if not value.startswith(("http:", "https:", "urn:")):
            raise QueryError(f"{value!r}: unknown prefix (known: {', '.join(sorted(PREFIXES))})")
        return _named_node(value)
    if not (value.startswith(("<", '"', "'")) or prefixed or re.match(r"^[-+]?[\d.]", value)
            or value in {"true", "false"}):
        return ox.Literal(value)
    declarations = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    document = f"{declarations}<urn:kg:param> <urn:kg:value> {value} .\n"
    try:
        triples = list(ox.parse(document.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    except SyntaxError:
        if value.startswith(("<", '"', "'")) or prefixed:
            raise QueryError(f"{value!r} is not a valid IRI or literal") from None
        return ox.Literal(value)
    if len(triples) != 1 or triples[0].subject != ox.NamedNode("urn:kg:param"):
        raise QueryError(f"{value!r} is not a single RDF term")
    term = triples[0].object
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise QueryError(f"{value!r}: a parameter is an IRI or a literal")
    return term


def _named_node(value: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"{value!r} is not a valid IRI ({exc})") from None


def bind_params(query: Query, params: Mapping[str, str], shipped: ShippedQuery | None = None) -> dict[str, Term]:
    """Parse ``name=value`` parameters into terms, checking each names a variable of the query."""
    bindings: dict[str, Term] = {}
    for name, value in params.items():
        name = name.lstrip("?$")
        if name not in query.variables:
            known = ", ".join(sorted(query.variables)) or "none"
            raise QueryError(f"--param {name}: the query has no variable ?{name} (variables: {known})")
        bindings[name] = parse_term(value)
    missing = [p for p in (shipped.params if shipped is not None else ()) if p.required and p.name not in bindings]
    if shipped is not None and missing:
        raise QueryError(f"query {shipped.name!r} needs --param {missing[0].name}=... ({missing[0].help})")
    return bindings


# ---------------------------------------------------------------- actor names

# Every entity with its names; a parameter that names an actor is looked up in them.
_NAMES_QUERY = f"""SELECT ?actor ?label ?alias WHERE {{
  ?actor rdfs:label ?label . FILTER(STRSTARTS(STR(?actor), "{PREFIXES['kge']}"))
  OPTIONAL {{ ?actor skos:altLabel ?alias }}
}}"""
_SHOWN = 6  # candidates a one-line error lists


@dataclass(frozen=True, slots=True)
class NamedActor:
    """An entity of the graph and its names, as a parameter's name is matched against them."""

    iri: str
    label: str
    aliases: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.label} ({compact(self.iri)})"


def match_actors(name: str, actors: Sequence[NamedActor]) -> list[NamedActor]:
    """The actors called ``name``, as ``kg viz --focus`` finds one: by label, then alias, then
    spelling-folded key ("Soudani" = "Sudani"), then a run of words of a name, then a part of a name.

    Every actor of the first of these tests that any actor passes, in label order.

    >>> sudani = NamedActor("urn:a", "Mohammed Shia al-Sudani", ("al-Sudani",))
    >>> [a.label for a in match_actors("Soudani", [sudani, NamedActor("urn:b", "Iraq")])]
    ['Mohammed Shia al-Sudani']
    """
    return names_matching(name, actors)


def _is_name(value: str) -> bool:
    """A value written bare (not quoted, not an IRI, number or typed literal): a name, for an actor parameter."""
    term = parse_term(value)
    return (isinstance(term, ox.Literal) and term.datatype == XSD_STRING and term.language is None
            and not value.strip().startswith(("'", '"')))


def _named_actors(engine: Engine) -> list[NamedActor]:
    names: dict[str, tuple[str, list[str]]] = {}
    for iri, label, alias in engine.run(prepare(_NAMES_QUERY)).rows:
        if iri is None or label is None:
            continue
        _, aliases = names.setdefault(iri.value, (label.value, []))
        if alias is not None and alias.value not in aliases:
            aliases.append(alias.value)
    return [NamedActor(iri, label, tuple(aliases)) for iri, (label, aliases) in names.items()]


def resolve_actor_names(engine: Engine, bindings: Mapping[str, Term], params: Mapping[str, str],
                        shipped: ShippedQuery | None) -> dict[str, Term]:
    """``bindings`` with the actor parameters given by name (``-p actor=Sudani``) bound to that actor's IRI.

    Raises:
        QueryError: a name that fits no actor, or several (naming them).
    """
    resolved = dict(bindings)
    wanted = {p.name: params[p.name] for p in (shipped.params if shipped else ()) if p.actor
              and p.name in params and _is_name(params[p.name])}
    if not wanted:
        return resolved
    actors = _named_actors(engine)
    for variable, name in wanted.items():
        found = match_actors(name, actors)
        if len(found) == 1:
            resolved[variable] = ox.NamedNode(found[0].iri)
            continue
        if found:
            more = f", and {len(found) - _SHOWN} more" if len(found) > _SHOWN else ""
            raise QueryError(f"--param {variable}={name}: {len(found)} actors fit that name: "
                             f"{'; '.join(map(str, found[:_SHOWN]))}{more}; give a longer name or the IRI")
        labels = {fold(x): a for a in actors for x in (a.label, *a.aliases)}
        near = {labels[x].iri: labels[x] for x in difflib.get_close_matches(fold(name), list(labels), n=_SHOWN)}
        hint = f"; near: {'; '.join(map(str, near.values()))}" if near else ""
        raise QueryError(f"--param {variable}={name}: no actor of the graph is named so{hint} "
                         f"(quote the value to bind a string: {variable}='\"{name}\"')")
    return resolved


# ---------------------------------------------------------------- running


def _ready(engine: Engine | GraphFile, phase: worker.Phase) -> Engine:
    if not isinstance(engine, GraphFile):
        return engine
    with phase.untimed():  # loading a large graph is not the query's time
        return engine.load()


def _timed(engine: Engine, query: Query, bindings: Mapping[str, Term] | None, limit: int | None,
           offset: int = 0) -> Result:
    started = time.perf_counter()
    if not offset:
        result = engine.run(query, bindings, limit)
    elif isinstance(engine, (OxigraphEngine, RdflibEngine)):
        result = engine.run(query, bindings, limit, offset)
    else:  # an endpoint: the rows up to the page's end, less those before it
        whole = engine.run(query, bindings, None if limit is None else offset + limit)
        result = dataclasses.replace(whole, rows=whole.rows[offset:], triples=whole.triples[offset:])
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


def execute(engine: Engine | GraphFile, query: Query, bindings: Mapping[str, Term] | None = None, *,
            limit: int | None = DEFAULT_LIMIT, timeout: float | None = DEFAULT_TIMEOUT,
            max_memory: int | None = DEFAULT_MAX_MEMORY) -> Result:
    """Run a prepared query on ``engine``, keeping at most ``limit`` rows, for at most ``timeout`` seconds.

    With a timeout or a memory bound, the query runs in a worker process (``kg.worker``)
    that is killed at the deadline, cannot grow by more than ``max_memory`` bytes and, unless
    the engine is a remote endpoint or the query calls an allowed SERVICE, cannot reach the network.

    Raises:
        QueryTimeout: the query was still running after ``timeout`` seconds.
        QueryError: it needed more memory than ``max_memory``, or the engine failed.
    """
    def job(phase: worker.Phase) -> Result:
        return _timed(_ready(engine, phase), query, bindings, limit)

    if timeout is None and max_memory is None:
        return job(worker.Phase())
    network = bool(query.services) or bool(getattr(engine, "network", False))
    return worker.run(job, timeout=timeout, max_memory=max_memory, network=network)


def run(engine: Engine | GraphFile, text: str, params: Mapping[str, str] | None = None,
        shipped: ShippedQuery | None = None, *, limit: int | None = None, offset: int = 0,
        timeout: float | None = None, max_memory: int | None = None,
        allow_service: ServicePolicy | None = None) -> Result:
    """Check ``text``, bind ``params`` and run it on ``engine``: the ``limit`` rows after the first ``offset``.

    No limits unless given. With a timeout or a memory bound, all of it (the check too:
    rdflib's parser takes a minute on a 40,000-value ``IN`` list) happens in the worker,
    within the same bounds; loading a :class:`GraphFile` there does not count against the
    timeout. The text of a shipped query is chosen for the graph (:func:`shipped_text`).
    """
    def job(phase: worker.Phase) -> Result:
        query = prepare(text, allow_service)
        bindings = bind_params(query, params or {}, shipped)
        ready, skip = _ready(engine, phase), offset
        if shipped is not None and text == shipped.text:
            chosen, skip = shipped_text(shipped, ready, offset, limit)
            query = query if chosen == text else prepare(chosen, allow_service)
        return _timed(ready, query, resolve_actor_names(ready, bindings, params or {}, shipped), limit, skip)

    if timeout is None and max_memory is None:
        return job(worker.Phase())
    network = allow_service is not None or bool(getattr(engine, "network", False))
    return worker.run(job, timeout=timeout, max_memory=max_memory, network=network)
