"""What the CLI prints, built but not printed: rich tables and plain lines for eval, query, stats and validate.

Every cell that holds a graph's text (labels, IRIs, literals) escapes control and format
characters (``kg.errors.one_line``, ``kg.results.cell``) and is never read as rich markup,
so nothing in a graph reaches the terminal as an escape sequence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from kg.engines import Result
from kg.errors import one_line
from kg.evaluate import Report, Scores
from kg.folders import FOLDER_SKIPS
from kg.query import ShippedQuery
from kg.rdf import Term, compact
from kg.results import table_rows
from kg.stats import Stats
from kg.validate import Report as ValidationReport
from kg.validate import Violation

if TYPE_CHECKING:
    from kg.pipeline import BuildResult

# ---------------------------------------------------------------- tables that fit


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and the word, singular for one: "1 article", "2 articles"."""
    return f"{n} {word if n == 1 else many or word + 's'}"


# A column is never narrower than its longest word or its name (up to this many characters): a table
# whose columns cannot all have that much is shown as records, so no cell wraps letter by letter.
MAX_FLOOR = 30


class Fitted:
    """A table of text cells where it fits the width it is printed at, else one record per row
    (each column's name, then its value), so it reads at 80 columns as at 200, in a terminal or a pipe."""

    def __init__(self, header: Sequence[str], rows: Iterable[Sequence[str]], *, title: str | None = None,
                 caption: str | None = None, right: frozenset[str] = frozenset(), boxed: bool = True) -> None:
        self.header = tuple(header)
        self.rows = [tuple(row) for row in rows]
        self.title, self.caption, self.right, self.boxed = title, caption, right, boxed

    def widths(self, width: int) -> list[int] | None:
        """Each column's width in a table ``width`` wide: all it needs where all fit, else the long ones
        cut to one level (never below a column's floor); None where even the floors do not fit."""
        cells = [[name, *(row[i] for row in self.rows)] for i, name in enumerate(self.header)]
        needs = [max(len(line) for cell in column for line in cell.split("\n")) for column in cells]
        floors = [min(need, max(len(column[0]), *(len(word) for cell in column for word in cell.split())), MAX_FLOOR)
                  for need, column in zip(needs, cells, strict=True)]
        room = width - (3 * len(needs) + 1 if self.boxed else 2 * len(needs))
        if sum(floors) > room:
            return None
        low, high = 0, max(needs, default=0)
        while low < high:  # the highest level at which every column, cut to it, still fits
            level = (low + high + 1) // 2
            if sum(max(floor, min(need, level)) for floor, need in zip(floors, needs, strict=True)) <= room:
                low = level
            else:
                high = level - 1
        return [max(floor, min(need, low)) for floor, need in zip(floors, needs, strict=True)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width)
        if widths is not None:
            yield self.table(widths)
            if self.caption:  # below the table, on one line, however narrow the table
                yield Text(self.caption, style="dim")
        else:
            yield from self.records(console, options.max_width)

    def table(self, widths: Sequence[int]) -> Table:
        """All rows as one table; long cells wrap at spaces (a word longer than its column is folded)."""
        table = Table(title=_text(self.title), box=box.HEAVY_HEAD if self.boxed else None, show_edge=self.boxed)
        for name, width in zip(self.header, widths, strict=True):
            table.add_column(Text(name), overflow="fold", justify="right" if name in self.right else "left",
                             width=width)
        for row in self.rows:
            table.add_row(*(Text(cell) for cell in row))
        return table

    def records(self, console: Console, width: int) -> Iterator[Text]:
        """Each row as lines of "column  value" (the columns that have a value), the rows apart."""
        if self.title:
            yield Text(self.title, style="italic")
        key = max((len(name) for name in self.header), default=0) + 2
        for n, row in enumerate(self.rows, 1):
            yield Text(f"-- {n} --", style="dim")
            for name, cell in zip(self.header, row, strict=True):
                if not cell:
                    continue
                lines = Text(cell).wrap(console, max(width - key, 10), overflow="fold")
                for i, line in enumerate(lines):
                    line.rstrip()
                    yield Text.assemble((name.ljust(key) if i == 0 else " " * key, "bold"), line)
        if self.caption:
            yield Text(self.caption, style="dim")


def _text(value: str | None) -> Text | None:
    return Text(value) if value is not None else None


# ---------------------------------------------------------------- kg build


def build_lines(result: BuildResult, written: str) -> list[str]:
    """The build's summary: articles, copies merged, cache, entities and what was ``written``; what was removed
    before extraction; corrections applied."""
    reused = f", {result.cached} from cache" if result.cached else ""
    copies = sum(len(e.article.publications) for e in result.extractions)
    merged = f" ({plural(copies, 'more publication')} of the same texts kept)" if copies else ""
    entities = plural(len(result.resolution.entities), "entity", "entities")
    lines = [f"{plural(len(result.extractions), 'article')}{merged}{reused}, {entities}, {written}"]
    if result.dropped:
        kinds = ", ".join(f"{n} {kind}" for kind, n in result.dropped)
        lines.append(f"removed before extraction: {plural(sum(n for _, n in result.dropped), 'paragraph')} ({kinds})")
    lines.extend(one_line(str(notice)) for notice in result.notices if notice.message.startswith(FOLDER_SKIPS))
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
    # One column per graph part, one row per measure: as narrow at 80 columns as at 200.
    table = Table(title="Evaluation")
    table.add_column("")
    table.add_column("entities", justify="right")
    table.add_column("relations", justify="right")
    e, r = report.entities, report.relations
    for measure, entity, relation in (
        ("P", _figure(e.precision), _figure(r.precision)),
        ("R", _figure(e.recall), _figure(r.recall)),
        ("F1", _figure(e.f1), _figure(r.f1)),
        ("TP", str(e.tp), str(r.tp)), ("FP", str(e.fp), str(r.fp)), ("FN", str(e.fn), str(r.fn)),
        ("duplicates", str(len(report.duplicates)), ""),
        ("over-merges", str(len(report.over_merges)), ""),
        ("type accuracy", _figure(report.type_accuracy), ""),
    ):
        table.add_row(measure, entity, relation)
    return table


def _predicate_table(report: Report) -> Fitted:
    rows = [(name, *_counts_and_figures(s)) for name, s in report.by_predicate.items()]
    rows.append(("total", *_counts_and_figures(report.relations)))
    return Fitted(("predicate", "TP", "FP", "FN", "P", "R", "F1"), rows, title="Relations by predicate",
                  right=frozenset({"TP", "FP", "FN", "P", "R", "F1"}))


def _counts_and_figures(s: Scores) -> tuple[str, ...]:
    return (str(s.tp), str(s.fp), str(s.fn), _figure(s.precision), _figure(s.recall), _figure(s.f1))


def _detail_tables(report: Report) -> Iterator[Fitted]:
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
        yield Fitted(columns, materialised, title=f"{title} ({len(materialised)})")


# ---------------------------------------------------------------- kg query


def shipped_table(queries: Iterable[ShippedQuery]) -> Fitted:
    """The shipped queries with their descriptions and parameters (``kg query --list``)."""
    rows = []
    for shipped in queries:
        params = "\n".join(
            f"?{p.name}{' (required)' if p.required else ''}: {p.help}" for p in shipped.params
        )
        rows.append((shipped.name, shipped.description, params))
    return Fitted(("name", "description", "parameters"), rows, boxed=False)


def result_table(result: Result, where: str) -> Fitted:
    """A SELECT result as a table of short cells (or records, where a table does not fit), captioned with
    its size, engine and time."""
    header, rows = table_rows(result)
    return Fitted(header, rows, caption=one_line(f"{plural(len(rows), 'row')} · {where} · "
                                                 f"{result.seconds * 1000:.1f} ms"))


# ---------------------------------------------------------------- kg stats


def stats_line(stats: Stats) -> str:
    """The headline figures of ``kg stats``, on one line."""
    dates = f"{stats.first_date} to {stats.last_date}" if stats.first_date else "no dates"
    corrected = sum(n for _, n in stats.corrections)
    kinds = ", ".join(f"{n} {kind}" for kind, n in stats.corrections)
    return one_line(
        f"{plural(stats.triples, 'triple')}; {plural(stats.actors, 'actor')}, "
        f"{plural(stats.relations, 'relation')} between them; {plural(stats.articles, 'article')} from "
        f"{plural(stats.publishers, 'publisher')}, {dates}"
        + (f"; {plural(corrected, 'correction')} applied ({kinds})" if corrected else "")
    )


def stats_tables(stats: Stats) -> list[Fitted]:
    """Counts per class and predicate, the most central actors, the communities."""
    # Every cell holds the graph's text (labels, IRIs): one_line escapes its control characters.
    counts = Fitted(("class", "nodes"), [(one_line(compact(iri)), str(n)) for iri, n in stats.classes],
                    right=frozenset({"nodes"}), boxed=False)
    predicates = Fitted(("predicate", "triples"), [(one_line(compact(iri)), str(n)) for iri, n in stats.predicates],
                        right=frozenset({"triples"}), boxed=False)
    central = Fitted(
        ("actor", "class", "degree", "PageRank", "betweenness"),
        [(one_line(c.label), one_line(c.cls), str(c.degree), f"{c.pagerank:.3f}", f"{c.betweenness:.3f}")
         for c in stats.central],
        title="most central actors", right=frozenset({"degree", "PageRank", "betweenness"}),
    )
    members = [(str(i), one_line(", ".join(m))) for i, m in enumerate(stats.communities, 1)]
    communities = Fitted(("#", "members"), members, title="communities (Louvain)")
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
