"""Corrections (kg build --corrections FILE): the file format, each kind, warnings, the graph record.

Most tests apply corrections to hand-made extractions resolved with a small gazetteer (no
model); the end-to-end tests at the bottom build real files with the model, cached and not.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node
from typer.testing import CliRunner

from kg.cli import app
from kg.corrections import (
    TERMS,
    Applied,
    Correction,
    CorrectionError,
    apply_corrections,
    correction_triples,
    read_corrections,
)
from kg.gazetteer import Gazetteer, GazetteerEntry
from kg.model import Article, Extraction, Mention, Ref, Relation, Resolution
from kg.pipeline import BuildResult
from kg.rdflib_bridge import triples_of
from kg.resolve import resolve
from kg.stats import compute
from kg.turtle import turtle_bytes
from kg.validate import validate
from kg.vocab import ENTITY, KG, STATEMENT, ontology_dir

DCTERMS = "http://purl.org/dc/terms/"
# The correction terms are not (yet) in the closed vocabulary kg.vocab.KG: an open namespace for all terms.
K = Namespace(str(KG._NS))
runner = CliRunner()


# ---------------------------------------------------------------- a small corpus, resolved without the model

def _article(aid: str, text: str) -> Article:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Article(id=aid, origin=f"news/{aid}.txt", title=text.split("\n")[0], text=text, content_hash=digest)


class _Doc:
    """An article and its mentions and relations, written by the words they cover."""

    def __init__(self, aid: str, text: str) -> None:
        self.article = _article(aid, text)
        self.mentions: list[Mention] = []
        self.relations: list[Relation] = []

    def span(self, words: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = self.article.text.index(words, start + 1)
        return start, start + len(words)

    def mention(self, words: str, label: str, gid: str | None = None, nth: int = 0) -> Ref:
        start, end = self.span(words, nth)
        self.mentions.append(Mention(self.article.id, start, end, words, label, gid))
        return Ref(start, end)

    def relate(self, s: Ref, predicate: str, o: Ref) -> None:
        text = self.article.text
        start = text.rindex("\n", 0, s.start) + 1 if "\n" in text[: s.start] else 0
        end = text.index(".", o.end) + 1
        self.relations.append(Relation(self.article.id, s, predicate, o, start, end, "test", 0.9))

    def extraction(self) -> Extraction:
        return Extraction(self.article, tuple(self.mentions), tuple(self.relations))


def _corpus() -> tuple[Extraction, ...]:
    a = _Doc("a", "Talks in Erbil\nMasoud Barzani met Nechirvan Barzani in Erbil.\nBarzani urged the PMF to stop.\n"
                  "Hashd al-Shaabi attacked Erbil.\nThe PMF said Tehran backs it.")
    masoud, nechirvan = a.mention("Masoud Barzani", "Person", "masoud-barzani"), a.mention("Nechirvan Barzani", "Person", "nechirvan-barzani")
    a.mention("Erbil", "Settlement", nth=1)
    a.relate(masoud, "consulted", nechirvan)
    # "Barzani" as the gazetteer's ruler tags an alias: a name of that entry, whatever resolution does with surnames.
    barzani = a.mention("Barzani", "Person", "nechirvan-barzani", nth=2)
    a.relate(barzani, "requested", a.mention("PMF", "ArmedGroup", "popular-mobilization-forces"))
    a.relate(a.mention("Hashd al-Shaabi", "ArmedGroup", "popular-mobilization-forces"), "attacked", a.mention("Erbil", "Settlement", nth=2))
    a.relate(a.mention("PMF", "ArmedGroup", "popular-mobilization-forces", nth=1), "backedBy", a.mention("Tehran", "Country", "iran"))
    b = _Doc("b", "Strike\nThe US attacked Kataib Hezbollah.\nKataib Hezbollah attacked Erbil.\nIraq condemned the US.\n"
                  "Masoud Barzani left. Barzani said nothing.")
    b.mention("Masoud Barzani", "Person", "masoud-barzani")
    b.mention("Barzani", "Person", "masoud-barzani", nth=1)
    b.relate(b.mention("US", "Country", "united-states"), "attacked", b.mention("Kataib Hezbollah", "ArmedGroup"))
    b.relate(b.mention("Kataib Hezbollah", "ArmedGroup", nth=1), "attacked", b.mention("Erbil", "Settlement"))
    b.relate(b.mention("Iraq", "Country", "iraq"), "criticized", b.mention("US", "Country", "united-states", nth=1))
    return a.extraction(), b.extraction()


KH = "kataib-hezbulah"  # outside the gazetteer: named by its transliteration key


@pytest.fixture
def gazetteer(small_gazetteer: Gazetteer) -> Gazetteer:
    entries = dict(small_gazetteer.entries)
    entries["iran"] = GazetteerEntry("iran", "Iran", "Country", ("Tehran",), (), ("Iranian",))
    return Gazetteer(entries)


@pytest.fixture
def corpus(gazetteer: Gazetteer) -> tuple[tuple[Extraction, ...], Resolution]:
    extractions = _corpus()
    return extractions, resolve(extractions, gazetteer)


def _write(tmp_path: Path, text: str, name: str = "corrections.kg") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    os.utime(path, (1709294400, 1709294400))  # 2024-03-01T12:00:00Z
    return path


def _apply(
    tmp_path: Path, text: str, corpus: tuple[tuple[Extraction, ...], Resolution], gazetteer: Gazetteer
) -> tuple[Graph, list[str], BuildResult]:
    """The graph of the corpus with the corrections ``text``, and the warnings."""
    warnings: list[str] = []
    extractions, resolution = corpus
    corrected = apply_corrections(read_corrections(_write(tmp_path, text)), extractions, resolution, gazetteer, warnings.append)
    result = BuildResult(corrected[0], corrected[1], (), corrections=corrected[2])
    return result.graph, warnings, result


def _e(ident: str) -> URIRef:
    return ENTITY[ident]


def _names(graph: Graph, ident: str) -> set[str]:
    return {str(o) for o in graph.objects(_e(ident), SKOS.altLabel)} | {str(o) for o in graph.objects(_e(ident), RDFS.label)}


def _statements(graph: Graph, s: str, p: str, o: str) -> list[Node]:
    return [st for st in graph.subjects(RDF.predicate, K[p])
            if (st, RDF.subject, _e(s)) in graph and (st, RDF.object, _e(o)) in graph]


def _correction(graph: Graph) -> URIRef:
    (node,) = graph.subjects(RDF.type, K.Correction)
    return node  # type: ignore[return-value]


def test_the_corpus_as_resolved_without_corrections(corpus: tuple[tuple[Extraction, ...], Resolution]) -> None:
    _, resolution = corpus
    ids = {e.id for e in resolution.entities}
    assert {KH, "popular-mobilization-forces", "nechirvan-barzani", "erbil", "iran"} <= ids
    for ident in ("nechirvan-barzani", "masoud-barzani"):
        assert "Barzani" in next(e for e in resolution.entities if e.id == ident).alt_labels


# ---------------------------------------------------------------- each kind


def test_merge_joins_the_second_node_into_the_first(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    graph, warnings, _ = _apply(
        tmp_path, "merge | Popular Mobilization Forces | kge:kataib-hezbulah | by: ana | why: one militia\n", corpus, gazetteer
    )
    assert warnings == []
    assert (_e(KH), RDF.type, None) not in graph
    assert _names(graph, "popular-mobilization-forces") >= {"Popular Mobilization Forces", "Kataib Hezbollah", "PMF"}
    assert (_e("popular-mobilization-forces"), K.attacked, _e("erbil")) in graph
    assert len(_statements(graph, "popular-mobilization-forces", "attacked", "erbil")) == 2  # one per article
    assert (_e("united-states"), K.attacked, _e("popular-mobilization-forces")) in graph
    node = _correction(graph)
    assert (node, K.correctionKind, Literal("merge")) in graph
    assert (node, K.correctedNode, _e("popular-mobilization-forces")) in graph
    assert (node, K.mergedNode, _e(KH)) in graph
    assert (node, URIRef(DCTERMS + "creator"), Literal("ana")) in graph
    assert (node, URIRef(DCTERMS + "description"), Literal("one militia")) in graph
    assert str(graph.value(node, K.origin)).endswith("corrections.kg:1")


def test_split_makes_the_alias_a_node_of_its_own(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    graph, warnings, _ = _apply(tmp_path, "split | Nechirvan Barzani | Barzani\n", corpus, gazetteer)
    assert warnings == []
    assert "Barzani" not in _names(graph, "nechirvan-barzani")
    assert (_e("barzani"), RDF.type, K.Person) in graph and (_e("barzani"), RDFS.label, Literal("Barzani")) in graph
    assert (_e("barzani"), K.requested, _e("popular-mobilization-forces")) in graph
    assert not _statements(graph, "nechirvan-barzani", "requested", "popular-mobilization-forces")
    assert (_e("masoud-barzani"), K.consulted, _e("nechirvan-barzani")) in graph  # the full name stays
    node = _correction(graph)
    assert (node, K.splitAlias, Literal("Barzani")) in graph and (node, K.splitNode, _e("barzani")) in graph


def test_split_with_drop_leaves_the_mentions_unresolved(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    graph, warnings, _ = _apply(tmp_path, "split | Nechirvan Barzani | barzani | drop\n", corpus, gazetteer)
    assert warnings == []
    assert "Barzani" not in _names(graph, "nechirvan-barzani")
    assert (_e("barzani"), None, None) not in graph
    assert not list(graph.subjects(K.requested, None))
    assert graph.value(_correction(graph), K.splitNode) is None


def test_split_goes_to_the_gazetteer_entry_the_alias_names(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    entries = dict(gazetteer.entries)
    entries["tehran"] = GazetteerEntry("tehran", "Tehran", "Settlement")
    entries["iran"] = GazetteerEntry("iran", "Iran", "Country")  # "Tehran" named Iran when the article was resolved
    graph, warnings, _ = _apply(tmp_path, "split | kge:iran | Tehran\n", corpus, Gazetteer(entries))
    assert warnings == []
    assert (_e("tehran"), RDF.type, K.Settlement) in graph
    assert (_e("tehran"), K.gazetteerEntry, Literal("tehran")) in graph
    assert (_e("popular-mobilization-forces"), K.backedBy, _e("tehran")) in graph
    assert (_e("iran"), None, None) not in graph  # no mention of Iran is left


def test_retype(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    graph, warnings, _ = _apply(tmp_path, "retype | Erbil | region\n", corpus, gazetteer)
    assert warnings == []
    assert set(graph.objects(_e("erbil"), RDF.type)) == {K.Region}
    assert (_correction(graph), K.previousClass, K.Settlement) in graph


def test_reject_an_edge_everywhere(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    graph, warnings, _ = _apply(tmp_path, "reject | United States | attacked | Kataib Hezbollah\n", corpus, gazetteer)
    assert warnings == []
    assert (_e("united-states"), K.attacked, _e(KH)) not in graph
    assert not _statements(graph, "united-states", "attacked", KH)
    assert (_e(KH), K.attacked, _e("erbil")) in graph
    node = _correction(graph)
    assert {str(n) for n in graph.objects(node, K.correctedNode)} == {str(_e("united-states")), str(_e(KH))}
    assert len(list(graph.objects(node, K.rejectedStatement))) == 1


def test_reject_an_edge_in_one_article_after_a_merge(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    text = "merge | PMF | Kataib Hezbollah\nreject | PMF | kg:attacked | Erbil | a.txt\n"
    graph, warnings, _ = _apply(tmp_path, text, corpus, gazetteer)
    assert warnings == []
    (left,) = _statements(graph, "popular-mobilization-forces", "attacked", "erbil")
    assert str(graph.value(left, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))).endswith("/b")
    assert (_e("popular-mobilization-forces"), K.attacked, _e("erbil")) in graph  # the other article's evidence


def test_reject_a_symmetric_edge_written_the_other_way(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    graph, warnings, _ = _apply(tmp_path, "reject | Nechirvan Barzani | consulted | Masoud Barzani\n", corpus, gazetteer)
    assert warnings == [] and not list(graph.subjects(K.consulted, None))


def test_reject_one_statement_by_its_iri(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    plain, _, _ = _apply(tmp_path, "", corpus, gazetteer)
    (statement,) = _statements(plain, "iraq", "criticized", "united-states")
    local = str(statement)[len(str(STATEMENT)):]
    for ref in (f"kgs:{local}", f"<{statement}>"):
        graph, warnings, _ = _apply(tmp_path, f"reject | {ref}\n", corpus, gazetteer)
        assert warnings == []
        assert (statement, None, None) not in graph and (_e("iraq"), K.criticized, None) not in graph
        assert (_correction(graph), K.rejectedStatement, statement) in graph


# ---------------------------------------------------------------- warnings: the build goes on


def test_corrections_naming_nothing_are_warned_by_line_and_the_rest_apply(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    text = """# corrections
merge | Nobody Here | Iraq
retype | Erbil | Region
merge | Barzani | Masoud Barzani
split | Iraq | Baghdad
reject | Iraq | attacked | Erbil
reject | United States | attacked | Kataib Hezbollah | nowhere.txt
reject | kgs:0123456789abcdef0123
merge | PMF | Hashd al-Shaabi
retype | Erbil | Region
retype | Iraq | Country

reject | kge:no-such-node | attacked | Erbil
"""
    graph, warnings, _ = _apply(tmp_path, text, corpus, gazetteer)
    path = tmp_path / "corrections.kg"
    expected = [
        (2, "merge: 'Nobody Here' names no node of the graph"),
        (4, "merge: 'Barzani' names 2 nodes (kge:masoud-barzani, kge:nechirvan-barzani); write the one meant as its IRI"),
        (5, "split: 'Baghdad' is no name of kge:iraq"),
        (6, "reject: names no edge of the graph"),
        (7, "reject: 'nowhere.txt' names no article of the build"),
        (8, "reject: names no statement of the graph"),
        (9, "merge: 'PMF', 'Hashd al-Shaabi' are already one node (kge:popular-mobilization-forces)"),
        (10, "the same correction as " + f"{path}:3"),
        (11, "retype: kge:iraq is already kg:Country"),
        (13, "reject: 'kge:no-such-node' names no node of the graph"),
    ]
    assert len(warnings) == len(expected), warnings
    for warning, (line, problem) in zip(warnings, expected, strict=True):
        assert warning.startswith(f"{path}:{line}: {problem}"), warning
        assert warning.endswith("line ignored")
    assert set(graph.objects(_e("erbil"), RDF.type)) == {K.Region}  # line 3 applied
    assert len(list(graph.subjects(RDF.type, K.Correction))) == 1


def test_an_ambiguous_name_is_resolved_by_the_iri(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    graph, warnings, _ = _apply(tmp_path, "merge | kge:masoud-barzani | kge:nechirvan-barzani\n", corpus, gazetteer)
    assert warnings == []
    assert _names(graph, "masoud-barzani") >= {"Masoud Barzani", "Nechirvan Barzani", "Barzani"}


# ---------------------------------------------------------------- the file


def test_the_file_format(tmp_path: Path) -> None:
    path = _write(tmp_path, "\ufeff# a comment\r\n\r\n  MERGE|A|  B  |by:ana|why: same | when: 2024-02-03\r\n"
                            "split | A | a | DROP\nretype | A | City | when: 2024-02-03T10:20:30Z\n"
                            "reject | A | <https://w3id.org/kg-news/ontology#attacked> | B | kga:0123\n")
    merge, split, retype, reject = read_corrections(path)
    assert (merge.kind, merge.args, merge.by, merge.why, merge.when) == ("merge", ("A", "B"), "ana", "same", "2024-02-03")
    assert merge.origin == f"{path}:3" and merge.text == "MERGE|A|  B  |by:ana|why: same | when: 2024-02-03"
    assert split.args == ("A", "a", "DROP") and split.when == "2024-03-01T12:00:00Z"  # the file's modification time
    assert retype.when == "2024-02-03T10:20:30Z" and reject.args[3] == "kga:0123"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("mrege | A | B", "unknown correction 'mrege'; expected merge, split, retype, reject"),
        ("merge | A", "merge needs two nodes or more"),
        ("split | A", "split takes a node, an alias and optionally drop"),
        ("split | A | B | C", "split takes a node, an alias and optionally drop"),
        ("retype | A", "retype takes a node and a class"),
        ("retype | A | Nation", "unknown class 'Nation'"),
        ("reject | A | attacked", "expected reject | SUBJECT | PREDICATE | OBJECT [| ARTICLE]"),
        ("reject | A | bombed | B", "unknown predicate 'bombed'"),
        ("reject | A", "'A' is not a statement IRI"),
        ("merge | A || B", "an empty field"),
        ("merge | A | by: ana | B", "'B' comes after by:/why:/when:"),
        ("merge | A | B | by: ana | by: bo", "by: is given twice"),
        ("merge | A | B | why:", "why: is empty"),
        ("merge | A | B | when: yesterday", "when: 'yesterday' is not an ISO date"),
        ("merge | A | B\x1b[2J", "the line holds a control or format character"),
    ],
)
def test_malformed_lines_are_errors_naming_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    path = _write(tmp_path, f"# fine\nmerge | A | B\n{line}\n")
    with pytest.raises(CorrectionError) as info:
        read_corrections(path)
    assert str(info.value).startswith(f"{path}:3: {problem}"), str(info.value)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(CorrectionError, match=r"nope\.kg: corrections file not found"):
        read_corrections(tmp_path / "nope.kg")
    with pytest.raises(CorrectionError, match=r"cannot read the corrections file"):
        read_corrections(tmp_path)
    path = tmp_path / "latin.kg"
    path.write_bytes("merge | A | B\nmerge | Caf\xe9 | B\n".encode("latin-1"))
    with pytest.raises(CorrectionError, match=r"latin\.kg:2: not UTF-8 \(byte 0xe9\)"):
        read_corrections(path)


# ---------------------------------------------------------------- the record in the graph


def test_the_corrected_graph_conforms_to_the_shapes_and_tells_the_truth(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    text = ("merge | PMF | Kataib Hezbollah | by: ana\nsplit | Nechirvan Barzani | Barzani\n"
            "retype | Erbil | Region | when: 2024-02-03\nreject | Iraq | criticized | US | why: misread\n")
    graph, warnings, _ = _apply(tmp_path, text, corpus, gazetteer)
    assert warnings == []
    report = validate(triples_of(graph))
    assert report.conforms, [(str(v.focus), v.message) for v in report.violations]
    dates = {graph.value(n, URIRef(DCTERMS + "date")) for n in graph.subjects(RDF.type, K.Correction)}
    assert dates == {Literal("2024-03-01T12:00:00Z", datatype=XSD.dateTime), Literal("2024-02-03", datatype=XSD.date)}


def test_stats_count_the_corrections(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    text = "merge | PMF | Kataib Hezbollah\nretype | Erbil | Region\nretype | Iraq | Region\n"
    _, _, result = _apply(tmp_path, text, corpus, gazetteer)
    triples = [ox.Triple(*t) for t in result.triples()]
    assert compute(triples).corrections == (("merge", 1), ("retype", 2))
    graph_file = tmp_path / "graph.ttl"
    graph_file.write_bytes(turtle_bytes(result.triples()))
    shown = runner.invoke(app, ["stats", str(graph_file)])
    assert shown.exit_code == 0 and "3 corrections applied (1 merge, 2 retype)" in shown.output


def test_same_corrections_same_bytes_and_no_corrections_no_record(tmp_path: Path, corpus, gazetteer: Gazetteer) -> None:
    text = "merge | PMF | Kataib Hezbollah\nsplit | Nechirvan Barzani | Barzani\nreject | Iraq | criticized | US\n"
    first = turtle_bytes(_apply(tmp_path, text, corpus, gazetteer)[2].triples())
    again = turtle_bytes(_apply(tmp_path, text, corpus, gazetteer)[2].triples())
    assert first == again
    extractions, resolution = corpus
    plain = turtle_bytes(BuildResult(extractions, resolution, ()).triples())
    assert turtle_bytes(_apply(tmp_path, "# nothing yet\n", corpus, gazetteer)[2].triples()) == plain
    assert b"Correction" not in plain


def test_the_correction_terms_are_declared_in_the_ontology() -> None:
    ontology = Graph().parse(ontology_dir() / "kg.ttl")
    for term in TERMS:
        assert (K[term], RDFS.label, None) in ontology, term
    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    assert (None, URIRef("http://www.w3.org/ns/shacl#targetClass"), K.Correction) in shapes


def test_correction_triples_of_nothing() -> None:
    assert correction_triples(()) == []
    correction = Correction("retype", ("A", "Region"), "f:1", "retype | A | Region", "2024-01-01")
    triples = correction_triples([Applied(correction, ("a",), previous_class="Settlement")])
    assert (ox.NamedNode(correction.iri), ox.NamedNode(str(K.previousClass)), ox.NamedNode(str(K.Settlement))) in triples


# ---------------------------------------------------------------- end to end, with the model

ARTICLES = {
    "a1.txt": "Iraq talks\n\nIraqi Prime Minister Mohammed Shia al-Sudani met Antony Blinken in Baghdad on Monday. "
              "Blinken urged Sudani to protect US troops.\n",
    "a2.txt": "Militia attack\n\nKataib Hezbollah attacked US forces at Ain al-Asad air base. "
              "The United States condemned Kataib Hezbollah.\n",
}
MORE = {"a3.txt": "More talks\n\nAntony Blinken met Mohammed Shia al-Sudani again in Baghdad on Friday.\n"}
CORRECTIONS = """# kept across rebuilds
split | Mohammed Shia al-Sudani | Sudani | by: ana | why: another Sudani
retype | Baghdad | Region
reject | United States | criticized | Kataib Hezbollah | a2.txt
merge | Antony Blinken | Iraq
"""


def _build(src: Path, out: Path, *options: str) -> tuple[int, str]:
    result = runner.invoke(app, ["build", str(src), "-o", str(out), "--no-html", *options])
    return result.exit_code, result.output


def _ttl(out: Path) -> Graph:
    return Graph().parse(out / "graph.ttl")


@pytest.mark.model
def test_corrections_survive_full_and_incremental_rebuilds_and_removing_one_undoes_it(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / name).write_text(text, encoding="utf-8")
    corrections = _write(tmp_path, CORRECTIONS)
    out = tmp_path / "out"
    code, output = _build(src, out, "--corrections", str(corrections))
    assert code == 0, output
    assert "corrections applied: 4 (1 merge, 1 reject, 1 retype, 1 split)" in output
    graph = _ttl(out)
    assert (_e("sudani"), K.requested, None) in graph or (None, K.requested, _e("sudani")) in graph
    assert "Sudani" not in _names(graph, "mohammed-shia-al-sudani")
    assert set(graph.objects(_e("baghdad"), RDF.type)) == {K.Region}
    assert (_e("united-states"), K.criticized, _e("kataib-hezbollah")) not in graph
    assert (_e("iraq"), RDF.type, None) not in graph and "Iraq" in _names(graph, "antony-blinken")
    first = (out / "graph.ttl").read_bytes()

    # A rebuild from the cache: the same corrections, the same bytes.
    assert _build(src, out, "--corrections", str(corrections))[0] == 0
    assert (out / "graph.ttl").read_bytes() == first

    # An incremental build (two articles cached, one new) equals a full build without the cache.
    for name, text in MORE.items():
        (src / name).write_text(text, encoding="utf-8")
    code, output = _build(src, out, "--corrections", str(corrections))
    assert code == 0 and "2 from cache" in output, output
    full = tmp_path / "full"
    assert _build(src, full, "--corrections", str(corrections), "--no-cache")[0] == 0
    assert (out / "graph.ttl").read_bytes() == (full / "graph.ttl").read_bytes()
    assert set(_ttl(out).objects(_e("baghdad"), RDF.type)) == {K.Region}

    # Removing a line undoes it on the next build; removing the file gives the uncorrected graph.
    _write(tmp_path, CORRECTIONS.replace("retype | Baghdad | Region\n", ""))
    assert _build(src, out, "--corrections", str(corrections))[0] == 0
    graph = _ttl(out)
    assert set(graph.objects(_e("baghdad"), RDF.type)) == {K.Settlement}
    assert "Sudani" not in _names(graph, "mohammed-shia-al-sudani")
    assert _build(src, out)[0] == 0
    assert _build(src, full, "--no-cache")[0] == 0
    plain = (out / "graph.ttl").read_bytes()
    assert plain == (full / "graph.ttl").read_bytes() and b"Correction" not in plain
    assert "Sudani" in _names(_ttl(out), "mohammed-shia-al-sudani")


@pytest.mark.model
def test_cli_warns_by_line_and_builds(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a1.txt").write_text(ARTICLES["a1.txt"], encoding="utf-8")
    corrections = _write(tmp_path, "retype | Baghdad | Region\nmerge | Nobody | Baghdad\n")
    code, output = _build(src, tmp_path / "out", "--corrections", str(corrections), "-q")
    assert code == 0, output
    assert f"warning: {corrections}:2: merge: 'Nobody' names no node of the graph; line ignored" in output
    assert "Traceback" not in output


def test_cli_refuses_a_malformed_corrections_file_before_touching_the_output(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a1.txt").write_text(ARTICLES["a1.txt"], encoding="utf-8")
    corrections = _write(tmp_path, "retype | Baghdad | Region\nmerge | Baghdad\n")
    out = tmp_path / "new" / "out"
    code, output = _build(src, out, "--corrections", str(corrections))
    assert code == 1
    assert output.strip() == f"error: {corrections}:2: merge needs two nodes or more; expected merge | NODE | NODE [| NODE ...]"
    assert not (tmp_path / "new").exists()  # the build did not start: not even the output's parent was made
    code, output = _build(src, out, "--corrections", str(tmp_path / "missing.kg"))
    assert code == 1 and "missing.kg: corrections file not found" in output and not (tmp_path / "new").exists()


def test_a_corrections_file_is_never_replaced_by_a_store(tmp_path: Path) -> None:
    keep = tmp_path / "keep"
    keep.mkdir()
    corrections = _write(keep, "retype | Baghdad | Region\n")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a1.txt").write_text(ARTICLES["a1.txt"], encoding="utf-8")
    code, output = _build(src, tmp_path / "out", "--corrections", str(corrections), "--store", str(keep))
    assert code == 1 and "corrections file" in output, output
    assert corrections.read_text(encoding="utf-8") == "retype | Baghdad | Region\n"
