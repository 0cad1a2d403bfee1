"""Syndicated copies and partial dates in the graph (issue 11): every publication kept, the shapes accept them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD
from typer.testing import CliRunner

from kg.cli import app
from kg.graph import build_graph
from kg.model import Article, Extraction, Publication, Resolution
from kg.rdflib_bridge import to_oxigraph, triples_of
from kg.validate import validate
from kg.vocab import ARTICLE, KG, SCHEMA

TEXT = "Iraq asks coalition to leave\n\nIraq's prime minister asked the coalition to leave, officials said."
PUBLICATIONS = """
PREFIX schema: <https://schema.org/>
PREFIX kg: <https://w3id.org/kg-news/ontology#>
SELECT ?origin ?outlet ?url ?published WHERE {
  ?article a schema:NewsArticle ; schema:publication? ?publication .
  ?publication kg:origin ?origin .
  OPTIONAL { ?publication schema:publisher ?outlet }
  OPTIONAL { ?publication schema:url ?url }
  OPTIONAL { ?publication schema:datePublished ?published }
} ORDER BY ?origin
"""


def _article(**fields: object) -> Article:
    digest = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    values: dict[str, object] = {"id": digest[:16], "origin": "wire.jsonl:1", "title": TEXT.split("\n")[0], "text": TEXT,
                                 "content_hash": digest}
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def _graph(article: Article) -> Graph:
    return build_graph([Extraction(article, ())], Resolution(entities=()))


SYNDICATED = _article(
    date=dt.date(2024, 1, 5), source="Agence France-Presse", url="https://afp.example/1",
    publications=(
        Publication("wire.jsonl:3", "Al Jazeera", "https://aljazeera.example/2", dt.date(2024, 1, 6)),
        Publication("wire.jsonl:4", "The National", None, None, "2024-02"),
    ),
)


def test_every_publication_keeps_its_outlet_url_and_date_together() -> None:
    rows = [tuple(None if v is None else str(v) for v in row) for row in _graph(SYNDICATED).query(PUBLICATIONS)]
    assert rows == [
        ("wire.jsonl:1", "Agence France-Presse", "https://afp.example/1", "2024-01-05"),
        ("wire.jsonl:3", "Al Jazeera", "https://aljazeera.example/2", "2024-01-06"),
        ("wire.jsonl:4", "The National", None, "2024-02"),
    ]


def test_publications_and_partial_dates_conform_to_the_shapes() -> None:
    report = validate(triples_of(_graph(SYNDICATED)))
    assert report.conforms, report.violations
    report = validate(triples_of(_graph(_article(partial_date="2024-02"))))
    assert report.conforms, report.violations


def test_partial_dates_are_iso_strings_and_full_dates_xsd_dates() -> None:
    node = ARTICLE[SYNDICATED.id]
    graph = _graph(SYNDICATED)
    assert graph.value(node, SCHEMA.datePublished) == Literal("2024-01-05", datatype=XSD.date)
    (copy,) = [p for p in graph.objects(node, SCHEMA.publication) if graph.value(p, KG.origin) == Literal("wire.jsonl:4")]
    assert graph.value(copy, SCHEMA.datePublished) == Literal("2024-02")
    assert (copy, RDF.type, SCHEMA.PublicationEvent) in graph
    partial = _graph(_article(partial_date="2024"))
    assert partial.value(ARTICLE[SYNDICATED.id], SCHEMA.datePublished) == Literal("2024")


def test_a_publication_with_two_outlets_is_a_violation() -> None:
    graph = _graph(SYNDICATED)
    copy = next(graph.objects(ARTICLE[SYNDICATED.id], SCHEMA.publication))
    graph.add((copy, SCHEMA.publisher, Literal("Reuters")))
    graph.add((ARTICLE[SYNDICATED.id], SCHEMA.datePublished, Literal("2024-13")))
    report = validate(triples_of(graph), truth=False)
    assert not report.conforms
    assert {(v.focus, v.path) for v in report.violations} >= {(to_oxigraph(copy), to_oxigraph(SCHEMA.publisher))}


def test_a_graph_without_copies_has_no_publication_nodes() -> None:
    graph = _graph(_article(date=dt.date(2024, 1, 5)))
    assert not list(graph.subject_objects(SCHEMA.publication))
    assert not list(graph.subjects(RDF.type, SCHEMA.PublicationEvent))


# --- end to end, with the model -----------------------------------------------------------------

runner = CliRunner()


@pytest.mark.model
def test_syndicated_copies_are_built_into_one_article_that_validates(tmp_path: Path) -> None:
    wire = "Iraq asks coalition to leave\n\nIraqi Prime Minister Mohammed Shia al-Sudani asked the coalition to leave."
    records = [
        {"text": wire, "source": "AFP", "date": "2024-01-05", "url": "https://afp.example/1"},
        {"text": "Talks resume\n\nAntony Blinken met Mohammed Shia al-Sudani in Baghdad.", "source": "Reuters"},
        {"text": wire, "source": "Al Jazeera", "date": "2024-01-06", "url": "https://aljazeera.example/2"},
        {"text": wire, "source": "The National", "date": "2024-02-31", "url": "https://thenational.example/3"},
    ]
    source = tmp_path / "wire.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(source), "-o", str(out), "--no-html", "--no-cache"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out / "graph.ttl")
    assert len(list(graph.subjects(RDF.type, SCHEMA.NewsArticle))) == 2
    outlets = sorted(str(row.outlet) for row in graph.query(PUBLICATIONS) if row.outlet is not None)
    assert outlets == ["Agence France-Presse", "Al Jazeera", "Reuters", "The National"]
    assert validate(triples_of(graph)).conforms
    validated = runner.invoke(app, ["validate", str(out / "graph.ttl")])
    assert validated.exit_code == 0, validated.output


@pytest.mark.model
def test_building_a_folder_into_an_output_folder_inside_it_twice_gives_the_same_graph(tmp_path: Path) -> None:
    """``kg build . -o ./out`` twice: the second build does not read the first one's outputs back."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.txt").write_text("Talks resume\n\nAntony Blinken met Mohammed Shia al-Sudani in Baghdad.\n")
    out = corpus / "out"
    graphs = []
    for _ in range(2):
        result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--store", str(out / "store")])
        assert result.exit_code == 0, result.output
        graphs.append((out / "graph.ttl").read_bytes())
    assert graphs[0] == graphs[1]
    origins = list(Graph().parse(data=graphs[1], format="turtle").objects(None, KG.origin))
    assert origins == [Literal(str(corpus / "story.txt"))]
    assert URIRef  # the graph names only the corpus's article
