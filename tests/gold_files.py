"""Gold files and hand-built graphs for the tests of kg.gold, kg.evaluate and kg.cli_render."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.gold import Gold, load_gold
from kg.vocab import ENTITY, KG

SEEDS = Path(__file__).parent / "gold" / "seeds"


def write_gold(
    directory: Path, name: str, entities: list[dict[str, Any]], relations: Sequence[dict[str, Any]] = ()
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(json.dumps({"article": name.replace(".json", ".txt"), "entities": entities,
                                "relations": list(relations)}), encoding="utf-8")
    return path


def ent(ident: str, label: str, kind: str, *aliases: str, optional: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {"id": ident, "label": label, "type": kind, "aliases": [label, *aliases]}
    if optional:
        record["optional"] = True
    return record


def rel(s: str, p: str, o: str, optional: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {"s": s, "p": p, "o": o, "evidence": f"{s} {p} {o}."}
    if optional:
        record["optional"] = True
    return record


def add_node(graph: Graph, slug: str, cls: URIRef, label: str, *alt_labels: str) -> URIRef:
    node = ENTITY[slug]
    graph.add((node, RDF.type, cls))
    graph.add((node, RDFS.label, Literal(label, lang="en")))
    for alt in alt_labels:
        graph.add((node, SKOS.altLabel, Literal(alt)))
    return node


def two_articles(tmp_path: Path) -> Gold:
    """Two articles: four required entities, one optional, three required relations."""
    write_gold(tmp_path / "gold", "000_a.json", [
        ent("victoria-nuland", "Victoria Nuland", "Person", "Nuland", "Ms. Nuland"),
        ent("mohammed-shia-al-sudani", "Mohammed Shia al-Sudani", "Person", "Mohamed Chia al-Soudani"),
        ent("iraq", "Iraq", "Place"),
        ent("canada", "Canada", "Place", optional=True),
    ], [
        rel("victoria-nuland", "consulted", "mohammed-shia-al-sudani"),
        rel("mohammed-shia-al-sudani", "leaderOf", "iraq"),
        rel("iraq", "consulted", "canada", optional=True),
    ])
    write_gold(tmp_path / "gold", "001_b.json", [
        ent("iraq", "Iraq", "Place", "Iraqi government"),
        ent("islamic-resistance-in-iraq", "Islamic Resistance in Iraq", "Organization"),
    ], [
        rel("islamic-resistance-in-iraq", "attacked", "iraq"),
    ])
    return load_gold(tmp_path / "gold")


def perfect_graph() -> Graph:
    """A graph that matches the ``gold`` fixture exactly (the optional parts left out)."""
    g = Graph()
    nuland = add_node(g, "victoria-nuland", KG.Person, "Victoria Nuland", "Nuland")
    sudani = add_node(g, "mohammed-shia-al-sudani", KG.Person, "Mohammed Shia al-Sudani",
                      "Mohamed Chia al-Soudani")
    iraq = add_node(g, "iraq", KG.Country, "Iraq")
    irI = add_node(g, "islamic-resistance-in-iraq", KG.ArmedGroup, "Islamic Resistance in Iraq")
    g.add((nuland, KG.consulted, sudani))
    g.add((sudani, KG.leaderOf, iraq))
    g.add((irI, KG.attacked, iraq))
    return g
