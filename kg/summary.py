"""Counts over a whole graph, computed once and kept beside it for the shipped queries: the summary graph.

The queries that list the corpus (most-mentioned, actors-by-type, attacks, roles, and
the listings below) would otherwise count mentions, articles and statements over every article
at each run. The counts are computed once, by SPARQL updates on an Oxigraph store, into
the named graph ``SUMMARY_GRAPH``: by ``kg build --store`` in the store it writes, and
when a graph file is loaded for querying (so ``kg query graph.ttl NAME`` and ``kg query
STORE NAME`` give the same rows). They never reach graph.ttl, an export or any other
reader of the graph (``kg.rdf.read_graph`` reads a store's default graph only).

What the graph holds, all in ``SUMMARY_GRAPH`` (``sum:`` below is ``SUMMARY``):

- per actor: ``?actor sum:namedIn n`` (articles naming it, by ``kg:mentionedIn``);
  ``sum:mentions n`` and ``sum:mentionArticles n`` (its mentions, and the articles they are in);
- per direct edge ``?s ?p ?o`` between actors: a node ``a sum:Edge`` with ``sum:subject``,
  ``sum:predicate``, ``sum:object``, ``sum:statements`` (statement nodes saying it, 0 for
  none) and ``sum:first`` / ``sum:last`` (earliest and latest article date of those statements);
- per leadership or membership edge and role: a node ``a sum:Role`` with the edge's three
  parts, ``sum:role`` (none for the statements that name no role) and ``sum:statements``;
- per month: a node ``a sum:Month`` with ``sum:month`` ("2024-01") and ``sum:events``: the
  events of the month of the date the text gives, else of the article's date;
- per row of each listing of ``LISTINGS`` (the corpus's articles, publications, claims, meetings,
  events, and the attack and meeting statements): a node with ``sum:NAME rank`` (0, 1, ... in
  the order ``kg/queries/plain/NAME.rq`` returns the rows, which the ranks make total) and each
  bound cell of the row as ``sum:VARIABLE value``, so a page of the listing reads only its own rows;
- ``sum: sum:format FORMAT``: present once the summaries are complete.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files

import pyoxigraph as ox

from kg.vocab import ACTOR_PREDICATES, PREFIXES

SUMMARY = "https://w3id.org/kg-news/summary/"  # the summaries' namespace, and the name of their graph
SUMMARY_GRAPH = ox.NamedNode(SUMMARY)
FORMAT = 2  # raised when what the summary graph holds changes: an older store's summaries are not used
_FORMAT = ox.NamedNode(SUMMARY + "format")
_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")
# The shipped queries that list the corpus row by row; each is ranked by its plain twin.
LISTINGS: tuple[str, ...] = (
    "articles", "attack-counts", "claims", "meetings", "publications", "timeline", "who-attacked-whom", "who-met-whom",
)

_EDGE_PREDICATES = " ".join(f"kg:{name}" for name in ACTOR_PREDICATES)
_ROLE_PREDICATES = "kg:leaderOf kg:memberOf"

# Each update reads the default graph only (an Oxigraph store's default graph is not the union
# of its graphs), so the summaries never count themselves. Counts are grouped once over their
# whole predicate, in subqueries, as the queries they replace did.
_UPDATES = (
    """INSERT { GRAPH sum: { ?actor sum:namedIn ?n } }
    WHERE {
      SELECT ?actor (COUNT(DISTINCT ?article) AS ?n) WHERE { ?actor kg:mentionedIn ?article } GROUP BY ?actor
    }""",
    """INSERT { GRAPH sum: { ?actor sum:mentions ?m ; sum:mentionArticles ?n } }
    WHERE {
      SELECT ?actor (COUNT(?mention) AS ?m) (COUNT(DISTINCT ?article) AS ?n)
      WHERE { { SELECT ?mention ?actor WHERE { ?mention kg:mentionOf ?actor } }
              { SELECT ?mention ?article WHERE { ?mention kg:inArticle ?article } } }
      GROUP BY ?actor
    }""",
    f"""INSERT {{ GRAPH sum: {{ _:edge a sum:Edge ; sum:subject ?s ; sum:predicate ?p ; sum:object ?o ;
                                   sum:statements ?n ; sum:first ?first ; sum:last ?last }} }}
    WHERE {{
      {{ SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_EDGE_PREDICATES} }} ?s ?p ?o }} }}
      OPTIONAL {{
        SELECT ?s ?p ?o (COUNT(DISTINCT ?statement) AS ?statements)
        WHERE {{ ?statement rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o }}
        GROUP BY ?s ?p ?o
      }}
      # dates apart: an undated statement must not blank out MIN and MAX
      OPTIONAL {{
        SELECT ?s ?p ?o (MIN(?date) AS ?first) (MAX(?date) AS ?last)
        WHERE {{ ?statement rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o ; kg:articleDate ?date }}
        GROUP BY ?s ?p ?o
      }}
      BIND(COALESCE(?statements, 0) AS ?n)
    }}""",
    f"""INSERT {{ GRAPH sum: {{ _:role a sum:Role ; sum:subject ?s ; sum:predicate ?p ; sum:object ?o ;
                                   sum:role ?role ; sum:statements ?n }} }}
    WHERE {{
      SELECT ?s ?p ?o ?role (COUNT(DISTINCT ?statement) AS ?n)
      WHERE {{
        {{ SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_ROLE_PREDICATES} }} ?s ?p ?o }} }}
        OPTIONAL {{
          SELECT ?s ?p ?o ?statement ?role
          WHERE {{
            VALUES ?p {{ {_ROLE_PREDICATES} }}
            ?statement rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o .
            OPTIONAL {{ ?statement kg:role ?role }}
          }}
        }}
      }}
      GROUP BY ?s ?p ?o ?role
    }}""",
    r"""INSERT { GRAPH sum: { _:month a sum:Month ; sum:month ?month ; sum:events ?n } }
    WHERE {
      SELECT ?month (COUNT(DISTINCT ?event) AS ?n)
      WHERE {
        ?event a kg:Event .
        OPTIONAL { ?event kg:time ?time }
        OPTIONAL { ?event kg:articleDate ?articleDate }
        BIND(IF(BOUND(?time) && REGEX(STR(?time), "^[0-9]{4}-[0-9]{2}"), SUBSTR(STR(?time), 1, 7),
                SUBSTR(STR(?articleDate), 1, 7)) AS ?month)
        FILTER(BOUND(?month))
      }
      GROUP BY ?month
    }""",
    f"INSERT DATA {{ GRAPH sum: {{ sum: sum:format {FORMAT} }} }}",
)
_PREFIXES = {**PREFIXES, "sum": SUMMARY}


def summarize(store: ox.Store) -> None:
    """Write the summaries of the store's default graph into its summary graph, replacing what was there."""
    if store.contains_named_graph(SUMMARY_GRAPH):
        store.remove_graph(SUMMARY_GRAPH)
    for update in _UPDATES[:-1]:
        store.update(update, prefixes=_PREFIXES)
    for name in LISTINGS:
        store.bulk_extend(_ranked_rows(store, name))
    store.update(_UPDATES[-1], prefixes=_PREFIXES)  # the mark of complete summaries, last


def _ranked_rows(store: ox.Store, name: str) -> Iterator[ox.Quad]:
    """The rows of the listing ``name`` as summary nodes: their rank, and each bound cell."""
    text = (files("kg") / "queries" / "plain" / f"{name}.rq").read_text(encoding="utf-8")
    answer = store.query(text, prefixes=PREFIXES)
    assert isinstance(answer, ox.QuerySolutions)  # a listing is a SELECT
    rank_of = ox.NamedNode(SUMMARY + name)
    cells = [(variable, ox.NamedNode(SUMMARY + variable.value)) for variable in answer.variables]
    for rank, solution in enumerate(answer):
        row = ox.BlankNode()
        yield ox.Quad(row, rank_of, ox.Literal(str(rank), datatype=_INTEGER), SUMMARY_GRAPH)
        for variable, cell in cells:
            value = solution[variable]
            if value is not None:
                yield ox.Quad(row, cell, value, SUMMARY_GRAPH)


def summarized(store: ox.Store) -> bool:
    """Whether the store holds complete summaries of this format."""
    found = store.quads_for_pattern(SUMMARY_GRAPH, _FORMAT, None, SUMMARY_GRAPH)
    return any(isinstance(q.object, ox.Literal) and q.object.value == str(FORMAT) for q in found)


def summary_quads(store: ox.Store) -> list[ox.Quad]:
    """The quads of the store's summary graph."""
    return list(store.quads_for_pattern(None, None, None, SUMMARY_GRAPH))
