"""What the CLI prints, built but not printed: rich tables and plain lines for eval, query, stats and validate.

Every cell that holds a graph's text (labels, IRIs, literals) escapes control and format
characters (``kg.errors.one_line``, ``kg.results.cell``) and is never read as rich markup,
so nothing in a graph reaches the terminal as an escape sequence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kg.engines import Result
from kg.errors import one_line
from kg.evaluate import Report, Scores
from kg.query import ShippedQuery
from kg.rdf import Term, compact
from kg.results import table_rows
from kg.stats import Stats
from kg.validate import Report as ValidationReport
from kg.validate import Violation

if TYPE_CHECKING:
    from kg.pipeline import BuildResult

# ---------------------------------------------------------------- kg build


def build_lines(result: BuildResult, written: str) -> list[str]:
    """The build's summary: articles, copies merged, cache, entities and what was ``written``; what was removed
    before extraction; corrections applied."""
    reused = f", {result.cached} from cache" if result.cached else ""
    copies = sum(len(e.article.publications) for e in result.extractions)
    merged = f" ({copies} more publication{'s' if copies > 1 else ''} of the same texts kept)" if copies else ""
    n = len(result.extractions)
    entities = len(result.resolution.entities)
    lines = [f"{n} article{'s' if n != 1 else ''}{merged}{reused}, {entities} entities, {written}"]
    if result.dropped:
        kinds = ", ".join(f"{n} {kind}" for kind, n in result.dropped)
        lines.append(f"removed before extraction: {sum(n for _, n in result.dropped)} paragraphs ({kinds})")
    if result.corrections:
        applied = Counter(a.correction.kind for a in result.corrections)
        kinds = ", ".join(f"{applied[kind]} {kind}" for kind in sorted(applied))
        lines.append(f"corrections applied: {len(result.corrections)} ({kinds})")
    return lines

# ---------------------------------------------------------------- kg eval


def evaluation_lines(report: Report) -> list[str]:
    """The headline figures, one plain line each for entities and relations."""
    e, r = report.entities, report.relations
    return [
        f"entities  P={e.precision:.3f} R={e.recall:.3f} F1={e.f1:.3f}  "
        f"duplicates={len(report.duplicates)} over-merges={len(report.over_merges)} "
        f"type-accuracy={report.type_accuracy:.3f}",
        f"relations P={r.precision:.3f} R={r.recall:.3f} F1={r.f1:.3f}",
    ]


def evaluation(report: Report, verbose: bool = False, by_predicate: bool = False) -> RenderableType:
    """The evaluation's tables: the summary, optionally per predicate, and with ``verbose``
    every miss and false positive."""
    parts: list[RenderableType] = [_summary_table(report)]
    if by_predicate:
        parts.append(_predicate_table(report))
    if verbose:
        parts.extend(_detail_tables(report))
    return Group(*parts)


def _figure(value: float) -> str:
    return f"{value:.3f}"


def _summary_table(report: Report) -> Table:
    table = Table(title="Evaluation")
    for column in ("", "P", "R", "F1", "TP", "FP", "FN", "duplicates", "over-merges", "type accuracy"):
        table.add_column(column, justify="left" if not column else "right")
    e, r = report.entities, report.relations
    table.add_row(
        "entities", _figure(e.precision), _figure(e.recall), _figure(e.f1), str(e.tp), str(e.fp), str(e.fn),
        str(len(report.duplicates)), str(len(report.over_merges)), _figure(report.type_accuracy),
    )
    table.add_row(
        "relations", _figure(r.precision), _figure(r.recall), _figure(r.f1), str(r.tp), str(r.fp), str(r.fn),
        "", "", "",
    )
    return table


def _predicate_table(report: Report) -> Table:
    table = Table(title="Relations by predicate")
    table.add_column("predicate")
    for column in ("TP", "FP", "FN", "P", "R", "F1"):
        table.add_column(column, justify="right")
    for name, s in report.by_predicate.items():
        table.add_row(name, *_counts_and_figures(s))
    table.add_section()
    table.add_row("total", *_counts_and_figures(report.relations))
    return table


def _counts_and_figures(s: Scores) -> tuple[str, ...]:
    return (str(s.tp), str(s.fp), str(s.fn), _figure(s.precision), _figure(s.recall), _figure(s.f1))


def _detail_tables(report: Report) -> Iterator[Table]:
    # Text(...) rather than str: labels may contain '[' that rich would read as markup.
    sections: list[tuple[str, tuple[str, ...], Iterable[tuple[str, ...]]]] = [
        ("Missed entities", ("gold id",), ((g,) for g in report.entity_misses)),
        ("Entity false positives", ("node", "label"), report.entity_false_positives),
        ("Duplicates", ("node", "gold id"), report.duplicates),
        ("Over-merges", ("node", "assigned", "also matches"),
         ((m.node, m.gold_ids[0], ", ".join(m.gold_ids[1:])) for m in report.over_merges)),
        ("Type errors", ("node", "gold id", "expected", "predicted"), report.type_errors),
        ("Missed relations", ("s", "p", "o", "evidence"), report.relation_misses),
        ("Relation false positives", ("s", "p", "o"), report.relation_false_positives),
    ]
    for title, columns, rows in sections:
        materialised = list(rows)
        if not materialised:
            continue
        heading = f"{title} ({len(materialised)})"
        table = Table(title=heading, min_width=len(heading) + 4)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in materialised:
            table.add_row(*(Text(value) for value in row))
        yield table


# ---------------------------------------------------------------- kg query


def shipped_table(queries: Iterable[ShippedQuery]) -> Table:
    """The shipped queries with their descriptions and parameters (``kg query --list``)."""
    table = Table("name", "description", "parameters", box=None, show_edge=False)
    for shipped in queries:
        params = "\n".join(
            f"?{p.name}{' (required)' if p.required else ''}: {p.help}" for p in shipped.params
        )
        table.add_row(f"[bold]{shipped.name}[/bold]", shipped.description, params)
    return table


def result_table(result: Result, where: str) -> Table:
    """A SELECT result as a table of short cells, captioned with its size, engine and time."""
    header, rows = table_rows(result)
    count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    table = Table(caption=escape(one_line(f"{count} · {where} · {result.seconds * 1000:.1f} ms")), show_lines=False)
    for column in header:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


# ---------------------------------------------------------------- kg stats


def stats_line(stats: Stats) -> str:
    """The headline figures of ``kg stats``, on one line."""
    dates = f"{stats.first_date} to {stats.last_date}" if stats.first_date else "no dates"
    corrected = sum(n for _, n in stats.corrections)
    kinds = ", ".join(f"{n} {kind}" for kind, n in stats.corrections)
    return one_line(
        f"{stats.triples} triples; {stats.actors} actors, {stats.relations} relations between them; "
        f"{stats.articles} articles from {stats.publishers} publishers, {dates}"
        + (f"; {corrected} corrections applied ({kinds})" if corrected else "")
    )


def stats_tables(stats: Stats) -> list[Table]:
    """Counts per class and predicate, the most central actors, the communities."""
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
    return [counts, predicates, central, communities]


# ---------------------------------------------------------------- kg validate


def _short(node: Term | None) -> str:
    if node is None:
        return ""
    text = node.value
    if text.startswith("https://w3id.org/kg-news/shapes#"):
        return "kgsh:" + text.rsplit("#", 1)[1]
    return compact(text) if text.startswith(("http://", "https://", "urn:")) else one_line(text[:60])


def violation_lines(violations: Sequence[Violation]) -> Iterator[str]:
    """Each violation on two lines: node, shape or check, property and value; then its message and constraint."""
    for violation in violations:
        value = f" = {_short(violation.value)}" if violation.value is not None else ""
        constraint = violation.constraint.removesuffix("ConstraintComponent")
        yield (f"{_short(violation.focus)}  {_short(violation.shape)}  {_short(violation.path)}{value}\n"
               f"    {one_line(violation.message or constraint)} [{constraint}]")


def validation_line(graph: object, report: ValidationReport, shown: int) -> str:
    """How many violations there are, on how many nodes, and how many were not shown."""
    more = len(report.violations) - shown
    return (f"{graph}: {len(report.violations)} violation(s) on {report.focus_nodes} node(s)"
            + (f" ({more} not shown; --max)" if more > 0 else ""))
