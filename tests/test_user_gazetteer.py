"""User gazetteer layers (kg build --gazetteer FILE), and the layers as a setting passed everywhere.

Loading and errors need no model; the end-to-end tests at the bottom build with it.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import OntologyError
from kg.gazetteer import USER, GazetteerLayers, load_gazetteer, load_layers, load_user_layer
from kg.pipeline import Settings, build, check_settings
from kg.vocab import ENTITY, KG, ontology_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import corpus  # noqa: E402

runner = CliRunner()
K = Namespace(str(KG._NS))
CSV = """label,type,aliases
# invented actors; aliases separated by | or ;
Zorblax Brigade,ArmedGroup,ZB|Zorblax Brigades
Quentin Marlowe,Person,Marlowe; Q. Marlowe

"Port Vesper, Old Town",city,
Tehran,City,
"""
TURTLE = """@prefix kg:   <https://w3id.org/kg-news/ontology#> .
@prefix kge:  <https://w3id.org/kg-news/id/entity/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

kge:zorblax-brigade a kg:ArmedGroup ; rdfs:label "Zorblax Brigade" ;
    skos:altLabel "ZB", "Zorblax Brigades" .
kge:tehran a kg:Settlement ; rdfs:label "Tehran" .
"""


def _file(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- reading user files


def test_a_csv_layer(tmp_path: Path) -> None:
    layer = load_user_layer(_file(tmp_path, CSV, "mine.csv"))
    brigade = layer.get("zorblax-brigade")
    assert brigade is not None and (brigade.label, brigade.cls, brigade.layer) == ("Zorblax Brigade", "ArmedGroup", USER)
    assert brigade.aliases == ("ZB", "Zorblax Brigades")
    assert layer.lookup("Q. Marlowe") is layer.get("quentin-marlowe") is not None
    assert layer.get("port-vesper-old-town").cls == "Settlement"  # type: ignore[union-attr]
    assert layer.lookup("zorblax brigade") is brigade and layer.lookup("zb") is None  # acronyms as written


def test_a_csv_layer_with_a_byte_order_mark_and_no_aliases_column(tmp_path: Path) -> None:
    path = tmp_path / "mine.CSV"
    path.write_bytes("\ufeffLabel , Type\r\nQuentin Marlowe,kg:Person\r\n".encode("utf-8"))
    assert load_user_layer(path).get("quentin-marlowe").cls == "Person"  # type: ignore[union-attr]


def test_a_turtle_layer(tmp_path: Path) -> None:
    layer = load_user_layer(_file(tmp_path, TURTLE, "mine.ttl"))
    assert layer.lookup("ZB") is layer.get("zorblax-brigade") is not None


DOMAIN = """@prefix kg:   <https://w3id.org/kg-news/ontology#> .
@prefix kge:  <https://w3id.org/kg-news/id/entity/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

kge:iran a kg:Country ; rdfs:label "Iran" ; skos:altLabel "Islamic Republic of Iran", "Tehran" .
kge:iraq a kg:Country ; rdfs:label "Iraq" .
"""


@pytest.mark.parametrize("name,text", [("mine.csv", CSV), ("mine.ttl", TURTLE)])
def test_the_user_layer_is_above_domain_and_world(tmp_path: Path, name: str, text: str) -> None:
    path = _file(tmp_path, text, name)
    domain = _file(tmp_path, DOMAIN, "domain.ttl")
    gazetteer = load_layers(GazetteerLayers(domain_file=domain, world=False, extra=(path,)))
    assert gazetteer.layers == (USER, "domain")
    # "Tehran" is an alias of the domain's Iran: the user's city takes the name
    tehran = gazetteer.lookup("Tehran")
    assert tehran is not None and (tehran.id, tehran.cls, tehran.layer) == ("tehran", "Settlement", USER)
    iran = gazetteer.get("iran")
    assert iran is not None and iran.aliases == ("Islamic Republic of Iran",)
    assert gazetteer.lookup("Iraq") is gazetteer.get("iraq") is not None  # the rest is as before
    # over the shipped layers too, whatever they hold
    shipped = load_layers(GazetteerLayers(extra=(path,)))
    assert shipped.layers == (USER, "domain", "world")
    assert shipped.lookup("Tehran").cls == "Settlement"  # type: ignore[union-attr]
    assert shipped.lookup("ZB") is shipped.get("zorblax-brigade") is not None
    assert shipped.fingerprint != load_layers(GazetteerLayers()).fingerprint
    # the user layer alone
    alone = load_layers(GazetteerLayers(domain=False, world=False, extra=(path,)))
    assert alone.lookup("Iraq") is None and alone.lookup("ZB") is not None


def test_the_first_user_file_wins(tmp_path: Path) -> None:
    first = _file(tmp_path, "label,type,aliases\nTehran,City,\n", "first.csv")
    second = _file(tmp_path, "label,type,aliases\nTehran,Region,Teheran\n", "second.csv")
    gazetteer = load_layers(GazetteerLayers(extra=(first, second)))
    assert gazetteer.get("tehran").cls == "Settlement"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,kind\nA,Person\n", r":1: expected the header label,type,aliases, found 'name,kind'"),
        ("", r": expected the header label,type,aliases, found an empty file"),
        ("label,type,aliases\nA,Person,\n,Person,B\n", r":3: no label \(the first field\)"),
        ("label,type,aliases\nA,,\n", r":2: 'A' has no type"),
        ("label,type,aliases\n# fine\nA,Nation,\n", r":3: 'A' has unknown type 'Nation'; expected one of Person, "),
        ("label,type,aliases\nA,Person,B,C\n", r":2: 4 fields, expected at most 3"),
        ("label,type,aliases\nAbu Foo,Person,\n\nAbu  foo,Person,\n",
         r":4: 'Abu  foo' is already the entity of line 2 \(kge:abu-foo\)"),
        ("label,type,aliases\nAbu Foo,Person,Foo\nFoo,Person,\n",
         r":3: the name 'Foo' of 'Foo' is also a name of 'Abu Foo' on line 2 \(as 'Foo'\)"),
        ("label,type,aliases\nA,Person,B|C\nD,Person,c\n", r":3: the name 'c' of 'D' is also a name of 'A' on line 2"),
        ('label,type,aliases\nA,Person,"B\x07"\n', r":2: the name 'B\\x07' holds a control or format character"),
        ('label,type,aliases\nA,Person,"B\n', r":2: not CSV: "),
    ],
)
def test_bad_csv_files_name_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = _file(tmp_path, text, "mine.csv")
    with pytest.raises(OntologyError, match="^" + str(path).replace(".", r"\.") + message):
        load_user_layer(path)


def test_unreadable_user_files(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match=r"nope\.csv: gazetteer file not found"):
        load_layers(GazetteerLayers(extra=(tmp_path / "nope.csv",)))
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(OntologyError, match=r"folder\.csv: cannot read gazetteer"):
        load_user_layer(folder)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("label,type,aliases\nA,Person,\nCaf\xe9,Person,\n".encode("latin-1"))
    with pytest.raises(OntologyError, match=r"latin\.csv:3: not UTF-8 \(byte 0xe9\)"):
        load_user_layer(latin)


def test_bad_turtle_user_files_name_the_line(tmp_path: Path) -> None:
    bad = TURTLE.replace("kge:tehran a kg:Settlement", "kge:tehran a kg:City")
    with pytest.raises(OntologyError, match=r"mine\.ttl:8: tehran has unknown class"):
        load_user_layer(_file(tmp_path, bad, "mine.ttl"))
    clash = TURTLE.replace('rdfs:label "Tehran" .', 'rdfs:label "Tehran" ; skos:altLabel "Zorblax Brigades" .')
    with pytest.raises(OntologyError, match=r"mine\.ttl:6: alias 'Zorblax Brigades' of zorblax-brigade is also claimed "
                                            r"by tehran \(as 'Zorblax Brigades'\) on line 8"):
        load_user_layer(_file(tmp_path, clash, "mine.ttl"))
    broken = TURTLE.replace('"Zorblax Brigades" .', '"Zorblax Brigades"')
    with pytest.raises(OntologyError, match=r"mine\.ttl: Turtle syntax error: line 8: expected '\.'"):
        load_user_layer(_file(tmp_path, broken, "mine.ttl"))


# ---------------------------------------------------------------- the setting, passed everywhere


def test_check_settings_loads_the_layers() -> None:
    check_settings(Settings())
    with pytest.raises(OntologyError, match="no gazetteer layer is switched on"):
        check_settings(Settings(gazetteer=GazetteerLayers(domain=False, world=False)))


def test_benchmark_corpora_use_the_domain_layer_alone() -> None:
    """BENCHMARKS.md measured corpora made from the domain layer: the world layer must not change them."""
    _, mapping = corpus._swaps(random.Random("0-0"))
    domain = load_gazetteer(ontology_dir() / "gazetteer.ttl")
    assert set(mapping) == {entry.label for entry in domain}


@pytest.mark.parametrize("flags", [["--no-domain-gazetteer", "--no-world-gazetteer"], ["--gazetteer", "{bad}"]])
def test_cli_refuses_a_bad_gazetteer_before_touching_the_output(tmp_path: Path, flags: list[str]) -> None:
    bad = _file(tmp_path, "label,type,aliases\nA,Nation,\n", "bad.csv")
    (tmp_path / "a.txt").write_text("Title\n\nBody text about Iraq.\n", encoding="utf-8")
    out = tmp_path / "new" / "out"
    result = runner.invoke(app, ["build", str(tmp_path / "a.txt"), "-o", str(out), *[f.format(bad=bad) for f in flags]])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert (f"{bad}:2: 'A' has unknown type 'Nation'" in lines[0]) or ("no gazetteer layer is switched on" in lines[0])
    assert not (tmp_path / "new").exists()  # the build did not start: not even the output's parent was made


def test_eval_builds_with_the_layers_it_is_given(tmp_path: Path) -> None:
    bad = _file(tmp_path, "label,type,aliases\nA,Nation,\n", "bad.csv")
    article = _file(tmp_path, "Title\n\nBody text about Iraq.\n", "a.txt")
    gold = Path(__file__).parent / "gold" / "seeds"
    result = runner.invoke(app, ["eval", str(article), "--gold", str(gold), "--gazetteer", str(bad)])
    assert result.exit_code == 1 and f"{bad}:2: 'A' has unknown type 'Nation'" in result.output, result.output


def test_eval_refuses_gazetteer_options_on_a_built_graph(tmp_path: Path) -> None:
    graph = _file(tmp_path, "", "graph.ttl")
    result = runner.invoke(app, ["eval", str(graph), "--gold", str(tmp_path), "--no-world-gazetteer"])
    assert result.exit_code == 2 and "apply when eval builds from articles" in result.output


# ---------------------------------------------------------------- end to end, with the model

ARTICLE = ("Militia attack\n\nThe Zorblax Brigade, or ZB, attacked US forces near Baghdad. "
           "Officials in Tehran said the Zorblax Brigades answer to nobody.\n")


def _e(ident: str) -> URIRef:
    return ENTITY[ident]


@pytest.mark.model
@pytest.mark.parametrize("name,text", [("mine.csv", CSV), ("mine.ttl", TURTLE)])
def test_kg_build_with_a_user_gazetteer(tmp_path: Path, name: str, text: str) -> None:
    src = _file(tmp_path, ARTICLE, "a.txt")
    layer = _file(tmp_path, text, name)
    plain = tmp_path / "plain"
    assert runner.invoke(app, ["build", str(src), "-o", str(plain), "--no-html"]).exit_code == 0
    before = Graph().parse(plain / "graph.ttl")
    assert (_e("zorblax-brigade"), RDF.type, K.ArmedGroup) not in before

    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(src), "-o", str(out), "--no-html", "--gazetteer", str(layer)])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out / "graph.ttl")
    brigade = _e("zorblax-brigade")
    assert (brigade, RDF.type, K.ArmedGroup) in graph
    assert (brigade, RDFS.label, Literal("Zorblax Brigade")) in graph
    assert {str(o) for o in graph.objects(brigade, SKOS.altLabel)} >= {"ZB", "Zorblax Brigades"}
    assert (_e("tehran"), RDF.type, K.Settlement) in graph


@pytest.mark.model
def test_the_cache_follows_the_layers(tmp_path: Path) -> None:
    src = _file(tmp_path, ARTICLE, "a.txt")
    layer = _file(tmp_path, CSV, "mine.csv")
    settings = Settings(cache_dir=tmp_path / "cache", gazetteer=GazetteerLayers(extra=(layer,)))
    assert build([src], settings).cached == 0
    assert build([src], settings).cached == 1
    assert build([src], Settings(cache_dir=tmp_path / "cache")).cached == 0  # other layers, other results
    layer.write_text(CSV.replace("ZB|", ""), encoding="utf-8")  # an edited file is a new layer
    result = build([src], settings)
    assert result.cached == 0
    assert "ZB" not in next(e for e in result.resolution.entities if e.id == "zorblax-brigade").alt_labels


@pytest.mark.model
def test_worker_processes_get_the_layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kg.pipeline.CHUNK_SIZE", 1)  # two chunks, both handed to the one worker process
    monkeypatch.setattr("kg.pipeline.MIN_SHARED", 1)
    for i in range(2):
        _file(tmp_path, ARTICLE.replace("Militia attack", f"Militia attack {i}"), f"a{i}.txt")
    layer = _file(tmp_path, CSV, "mine.csv")
    settings = Settings(jobs=2, gazetteer=GazetteerLayers(extra=(layer,)))
    parallel = build([tmp_path / "a0.txt", tmp_path / "a1.txt"], settings)
    serial = build([tmp_path / "a0.txt", tmp_path / "a1.txt"], Settings(gazetteer=settings.gazetteer))
    assert parallel.extractions == serial.extractions
    assert any(m.gazetteer_id == "zorblax-brigade" for e in parallel.extractions for m in e.mentions)
