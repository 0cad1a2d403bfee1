"""kg.rdf: a graph read the same from any file format kg reads and from a store; one-line errors; compact names."""

from __future__ import annotations

import gc
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from kg.errors import GraphError
from kg.export import export_files
from kg.rdf import compact, read_graph, triple_key
from kg.rdflib_bridge import rdflib_graph
from kg.vocab import ENTITY

from .gold_files import perfect_graph
from .sample_graph import write_sample

EX = Namespace("https://example.org/onto#")


@pytest.mark.parametrize(("name", "content", "where"), [
    ("broken.ttl", '@prefix kg: <http://x/> .\nkg:a kg:b kg:c .\nkg:a kg:b "unterminated .\n', "broken.ttl:3: "),
    ("broken.nt", '<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n', "broken.nt:2: "),
    ("latin1.ttl", '<http://a> <http://b> "caf\xe9" .\n', "latin1.ttl:1: "),
])
def test_a_graph_file_that_does_not_parse_is_named_with_its_line(
    tmp_path: Path, name: str, content: str, where: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(GraphError) as raised:
        read_graph(path)
    assert str(raised.value).startswith(f"{path}:") and where in str(raised.value)
    assert "not a readable graph" in str(raised.value) and "\n" not in str(raised.value)


def test_read_graph_reads_what_rdflib_reads_and_nesting_rdflib_cannot(tmp_path: Path) -> None:
    graph = perfect_graph()
    graph.add((ENTITY["iraq"], RDFS.comment, Literal("quoted \"text\"\nover lines", lang="fr")))
    graph.add((ENTITY["iraq"], EX["size"], Literal(3)))
    path = tmp_path / "graph.ttl"
    graph.serialize(path, format="turtle")
    assert isomorphic(rdflib_graph(read_graph(path)), Graph().parse(path))
    deep = tmp_path / "deep.ttl"
    deep.write_text("@prefix : <http://x/> .\n:a :p " + "[ :p " * 100_000 + ":b" + " ]" * 100_000 + " .\n")
    assert len(read_graph(deep)) == 100_001


def test_every_format_and_a_store_give_the_same_sorted_distinct_triples(tmp_path: Path) -> None:
    sample = write_sample(tmp_path)
    triples = read_graph(sample)
    assert triples == sorted(set(triples), key=triple_key)
    formats = (("ntriples", "graph.nt"), ("nquads", "graph.nq"), ("trig", "graph.trig"), ("jsonld", "graph.jsonld"))
    for fmt, name in formats:
        path = tmp_path / name
        path.write_bytes(export_files(triples, fmt)[name])
        assert read_graph(path) == triples, fmt  # named graphs merged, repeats dropped
    store = ox.Store(str(tmp_path / "store"))
    store.bulk_load(path=str(sample), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    gc.collect()  # closes the store, releasing its lock
    assert read_graph(tmp_path / "store") == triples


def test_what_is_no_graph_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "graph.rdfx").write_text("")
    folder = tmp_path / "notes"
    folder.mkdir()
    for path, message in ((tmp_path / "missing.ttl", "no such graph file or store"),
                          (tmp_path / "graph.rdfx", "unknown graph format"),
                          (folder, "not an Oxigraph store")):
        with pytest.raises(GraphError, match=message) as raised:
            read_graph(path)
        assert str(raised.value).startswith(str(path)) and "\n" not in str(raised.value)


def test_compact_uses_the_longest_shipped_prefix_and_leaves_odd_names_whole() -> None:
    assert compact(str(ENTITY["iraq"])) == "kge:iraq"
    assert compact("https://w3id.org/kg-news/ontology#attacked") == "kg:attacked"
    assert compact(str(ENTITY["a b"])) == f"<{ENTITY['a b']}>"
    assert compact(str(ENTITY["a b"]), brackets=False) == str(ENTITY["a b"])
