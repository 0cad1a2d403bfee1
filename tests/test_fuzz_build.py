"""Fuzzing the whole build with the model: hostile articles never crash it, and the graph never lies.

The model is slow, so the budgets here are small (a fraction of the profile's
``max_examples``); the pipeline is loaded once for the module.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli import EXIT_SKIPPED, app
from kg.errors import InputError
from kg.ingest import iter_articles
from kg.map_worker import DEFAULT_BATCH_SIZE, extract, worker_pipeline
from kg.rdflib_bridge import triples_of
from kg.resolve import resolve
from kg.turtle import write_turtle
from kg.validate import truth_violations, validate

from .hostile import FRAGMENTS, PAYLOADS, SEED_SENTENCES, hostile_text

pytestmark = [pytest.mark.model, pytest.mark.fuzz]
MODEL_EXAMPLES = max(6, settings.default.max_examples // 4)
CLI_EXAMPLES = max(3, settings.default.max_examples // 12)
RAPPER = shutil.which("rapper")
NAMES = ("Mohammed Shia al-Sudani", "Antony Blinken", "Kataib Hezbollah", "Baghdad", "Iraq", "United States")
SPOILERS = ("\u200f", "\u200d", "\u0301", "\u202e", "\u2066", "\u00ad", "\u200b", "\x00", "\x1b", "\u2028", "<b>", "&amp;")


@st.composite
def spoiled_sentence(draw: st.DrawFn) -> str:
    """A seed sentence with hostile characters inside names, or a hostile fragment beside it."""
    sentence = draw(st.sampled_from(SEED_SENTENCES))
    for name in NAMES:
        if name in sentence and draw(st.booleans()):
            cut = draw(st.integers(1, len(name) - 1))
            sentence = sentence.replace(name, name[:cut] + draw(st.sampled_from(SPOILERS)) + name[cut:], 1)
    extra = draw(st.sampled_from(("", *FRAGMENTS)))
    return draw(st.sampled_from([sentence + " " + extra, extra + " " + sentence, sentence]))


@st.composite
def articles(draw: st.DrawFn) -> str:
    title = draw(st.sampled_from(["Iraq talks", "Attack on base", draw(hostile_text(2)) or "News"]))
    paragraphs = draw(st.lists(st.one_of(spoiled_sentence(), hostile_text(4)), min_size=1, max_size=6))
    return title + "\n\n" + "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def pipeline():  # type: ignore[no-untyped-def]
    return worker_pipeline(None)


@settings(max_examples=MODEL_EXAMPLES)
@given(texts=st.lists(articles(), min_size=1, max_size=3))
def test_hostile_articles_build_a_graph_that_parses_conforms_and_never_lies(pipeline, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    nlp, gazetteer = pipeline
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "batch.jsonl"
        source.write_text("".join(json.dumps({"text": t, "source": PAYLOADS[i % len(PAYLOADS)]}) + "\n"
                                  for i, t in enumerate(texts)), encoding="utf-8")
        errors: list[InputError] = []
        read = list(iter_articles([source], errors.append))
        assert all(len(str(e).splitlines()) == 1 for e in errors)
        extractions = list(extract(read, nlp, gazetteer, DEFAULT_BATCH_SIZE))
        resolution = resolve(extractions, gazetteer)
        path = Path(tmp) / "graph.ttl"
        from kg.graph import iter_triples

        write_turtle(path, iter_triples(extractions, resolution))
        data = path.read_bytes()
        graph = Graph().parse(data=data, format="turtle")
        assert len(graph) == len({(t.subject, t.predicate, t.object) for t in ox.parse(data, format=ox.RdfFormat.TURTLE)})
        if RAPPER:
            done = subprocess.run([RAPPER, "-q", "-i", "turtle", "-c", str(path)], capture_output=True)
            assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert [v.message for v in truth_violations(triples_of(graph))] == []
    report = validate(triples_of(graph), truth=False)
    assert report.conforms, [(str(v.focus), v.message) for v in report.violations[:5]]


runner = CliRunner()


@settings(max_examples=CLI_EXAMPLES)
@given(text=articles(), junk=st.lists(st.tuples(st.sampled_from([".txt", ".html", ".jsonl"]), st.binary(max_size=200)
                                                  | hostile_text(4).map(lambda t: t.encode("utf-8", "surrogatepass"))),
                                        max_size=3))
def test_kg_build_skips_bad_inputs_on_one_line_and_builds_the_rest(pipeline, text: str, junk: list) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        (folder / "good.txt").write_text("Iraq talks\n\n" + SEED_SENTENCES[0] + "\n", encoding="utf-8")
        (folder / "hostile.txt").write_text(text, encoding="utf-8")
        for i, (suffix, data) in enumerate(junk):
            (folder / f"junk{i}{suffix}").write_bytes(data)
        out = Path(tmp) / "out"
        result = runner.invoke(app, ["build", str(folder), "-o", str(out), "--no-cache"])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, EXIT_SKIPPED), result.output
        assert "Traceback" not in result.output
        skipped = [line for line in result.output.splitlines() if line.startswith("skipped: ")]
        assert (result.exit_code == EXIT_SKIPPED) == bool(skipped)
        graph = Graph().parse(out / "graph.ttl")
        assert (out / "graph.html").is_file()
    assert "mohammed-shia-al-sudani" in {str(s).rsplit("/", 1)[1] for s in graph.subjects()}
    assert truth_violations(triples_of(graph)) == []
