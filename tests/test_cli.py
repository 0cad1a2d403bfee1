from __future__ import annotations

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
