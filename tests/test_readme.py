"""The README cannot drift: its shell commands, SPARQL blocks, Python snippet and example outputs run on the seeds.

Every ``sh`` block's commands run in README order, in a folder laid out as the repository
(``seeds/``, ``tests/gold/seeds``, ``kg/queries``) plus the inputs the README names
(``news/``, ``corpus/``, ``more.jsonl``, and ``my-actors.csv`` and ``corrections.kg`` written
from the README's own CSV and corrections blocks). What installs packages, starts a server
or needs a Dask cluster is skipped, each with its reason (SKIPPED). Every ``sparql`` block is
a file of kg/queries or its plain twin in kg/queries/plain (comment lines aside) and runs by name on the seed graph, built once for
the session; the ``console`` examples run as users run them (a process, ``COLUMNS`` 80 or 100,
as wide as the example) and must print the header the README shows.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli import app
from kg.query import shipped_queries

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
runner = CliRunner()

# (pattern of a command, why the test does not run it)
SKIPPED = (
    (r"^(python3 -m venv|\. \.venv|pip install|apt-get)", "installs packages"),
    (r"^(lint-imports|mypy|ruff|python -m pytest|HYPOTHESIS_PROFILE=)", "the checks and tests of .ci/run itself"),
    (r"oxigraph serve|^kg push|--endpoint",
     "needs a network server (tests/test_endpoint.py runs push and --endpoint against a real Oxigraph server)"),
    (r"^kg serve|^curl ", "starts or needs kg serve, which runs until stopped (tests/test_serve.py runs it as a process)"),
    (r"--dask", "needs a Dask cluster"),
    (r"^python scripts/compile_gazetteer\.py", "needs the [world] extra and ../shared/lexicons"),
)
# Values for the parameters a README query requires.
REQUIRED = {"actor-interactions": {"actor": "al-Sudani"}, "actor-profile": {"actor": "al-Sudani"}}
NO_ROWS_ON_SEEDS = {"corrections"}  # the seeds are built without a corrections file


@dataclass(frozen=True)
class Block:
    lang: str
    text: str
    line: int  # of the opening fence
    section: str  # the "## " heading it is under


def readme_blocks() -> list[Block]:
    blocks, section, opened = [], "", None
    lines = README.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if opened is None and line.startswith("## "):
            section = line[3:]
        if line.startswith("```"):
            if opened is None:
                opened = (line[3:].strip(), number)
            else:
                lang, start = opened
                blocks.append(Block(lang, "\n".join(lines[start:number - 1]) + "\n", start, section))
                opened = None
    return blocks


def commands() -> list[tuple[int, str]]:
    """Every command of the sh blocks, with its README line: a line (with the lines a trailing backslash
    continues it on) split at ``&&``, comments dropped."""
    found = []
    for block in readme_blocks():
        if block.lang != "sh":
            continue
        pending = ""
        for offset, line in enumerate(block.text.splitlines(), 1):
            if line.endswith("\\"):
                pending += line[:-1]
                continue
            line, pending = pending + line, ""
            words = shlex.split(line, comments=True)
            command: list[str] = []
            for word in [*words, "&&"]:
                if word == "&&":
                    if command:
                        found.append((block.line + offset, shlex.join(command)))
                    command = []
                else:
                    command.append(word)
    return found


def _skip_reason(command: str) -> str | None:
    return next((why for pattern, why in SKIPPED if re.search(pattern, command)), None)


def _kg_arguments(command: str) -> list[str]:
    words = shlex.split(command)
    if words[:1] == ["kg"]:
        return words[1:]
    if words[:3] == ["python", "-m", "kg"]:
        return words[3:]
    raise AssertionError(f"a README command the test does not know how to run: {command}")


def _comments_out(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines() if not line.lstrip().startswith("#"))


def _lay_out(folder: Path) -> Path:
    """A folder laid out as the repository for what the README reads; returns it."""
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    shutil.copytree(ROOT / "tests" / "gold" / "seeds", folder / "tests" / "gold" / "seeds")
    (folder / "kg").mkdir()
    shutil.copytree(ROOT / "kg" / "queries", folder / "kg" / "queries")
    return folder


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@pytest.fixture(scope="session")
def seeds_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's layout with out/graph.ttl built from the seeds by `kg build`, once for the session."""
    folder = _lay_out(tmp_path_factory.mktemp("readme-seeds"))
    with _inside(folder):
        built = runner.invoke(app, ["build", "-q", "--no-html"])
    assert built.exit_code == 0, built.output
    return folder


@pytest.fixture(scope="module")
def tour_folder(tmp_path_factory: pytest.TempPathFactory, seeds_folder: Path) -> Path:
    """Where the README's commands run, one after the other, with the inputs they name."""
    folder = _lay_out(tmp_path_factory.mktemp("readme-tour"))
    shutil.copytree(seeds_folder / "out", folder / "out")
    shutil.copytree(ROOT / "seeds", folder / "news")
    shutil.copytree(ROOT / "seeds", folder / "corpus")
    (folder / "more.jsonl").write_text(
        '{"title": "Envoy visits Erbil", "date": "2024-03-05", "text": "Envoy visits Erbil\\n\\n'
        'A United Nations envoy met Kurdish officials in Erbil on Tuesday."}\n', encoding="utf-8")
    blocks = readme_blocks()
    (gazetteer,) = [b for b in blocks if b.lang == "csv" and b.section == "How to add a gazetteer"]
    (folder / "my-actors.csv").write_text(gazetteer.text, encoding="utf-8")
    (corrections,) = [b for b in blocks if b.lang == "text" and b.section == "How to correct the graph"]
    (folder / "corrections.kg").write_text(corrections.text, encoding="utf-8")
    (folder / "mine.rq").write_text(next(b.text for b in blocks if b.lang == "sparql"), encoding="utf-8")
    return folder


def test_the_readme_has_what_this_test_reads() -> None:
    kinds = {block.lang for block in readme_blocks()}
    assert {"sh", "sparql", "console", "python", "csv", "text"} <= kinds
    assert len(commands()) > 25


@pytest.mark.model
@pytest.mark.parametrize(("line", "command"), commands(), ids=[f"README:{n}" for n, _ in commands()])
def test_every_readme_command_runs(tour_folder: Path, line: int, command: str) -> None:
    reason = _skip_reason(command)
    if reason is not None:
        pytest.skip(f"README:{line}: {reason}")
    with _inside(tour_folder):
        result = runner.invoke(app, _kg_arguments(command))
    assert result.exit_code == 0, f"README:{line}: {command}\n{result.output}"
    assert "Traceback" not in result.output


def _shipped_by_text() -> dict[str, str]:
    """Shipped query text -> name; a query that reads the summary graph is shown in the README in its
    plain form (which rdflib runs on graph.ttl as it is)."""
    texts = {_comments_out(query.text): query.name for query in shipped_queries()}
    texts |= {_comments_out(query.plain): query.name for query in shipped_queries() if query.plain}
    return texts


def sparql_blocks() -> list[Block]:
    return [block for block in readme_blocks() if block.lang == "sparql"]


@pytest.mark.parametrize("block", sparql_blocks(), ids=[f"README:{b.line}" for b in sparql_blocks()])
def test_every_readme_sparql_block_is_a_shipped_query(block: Block) -> None:
    assert _comments_out(block.text) in _shipped_by_text(), (
        f"README:{block.line}: this SPARQL is no file of kg/queries (comment lines aside); ship it, or copy "
        "the file's text into the README")


@pytest.mark.model
def test_every_readme_query_runs_on_the_seeds_by_name_and_with_rdflib(seeds_folder: Path) -> None:
    graph = Graph().parse(seeds_folder / "out" / "graph.ttl")
    shipped = _shipped_by_text()
    blocks = readme_blocks()
    for block in sparql_blocks():
        name = shipped[_comments_out(block.text)]
        args = ["query", str(seeds_folder / "out" / "graph.ttl"), name, "-f", "csv"]
        for key, value in REQUIRED.get(name, {}).items():
            args += ["-p", f"{key}={value}"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (name, result.output)
        header, *rows = result.stdout.splitlines()
        assert bool(rows) != (name in NO_ROWS_ON_SEEDS), (name, result.stdout)
        if name not in REQUIRED:  # as the README's Python snippet runs them: the text alone, in rdflib
            assert len(list(graph.query(block.text))) == len(rows), name
        # an example output right after the query shows its columns, in order
        following = next((b for b in blocks if b.line > block.line), None)
        if following is not None and following.lang == "text" and following.section == block.section:
            shown = [cell.strip() for cell in following.text.splitlines()[0].split("|")]
            assert shown == header.split(","), (name, following.line)


@pytest.mark.model
def test_the_readme_python_snippet_runs(seeds_folder: Path) -> None:
    (snippet,) = [b for b in readme_blocks() if b.lang == "python"]
    printed = io.StringIO()
    with _inside(seeds_folder), contextlib.redirect_stdout(printed):
        exec(compile(snippet.text, str(README), "exec"), {})  # noqa: S102 -- the README's own code
    assert printed.getvalue().count("\n") >= 5


def console_blocks() -> list[Block]:
    return [block for block in readme_blocks() if block.lang == "console"]


@pytest.mark.model
@pytest.mark.parametrize("block", console_blocks(), ids=[f"README:{b.line}" for b in console_blocks()])
def test_every_readme_example_prints_the_header_it_shows(seeds_folder: Path, block: Block) -> None:
    first, *shown = block.text.splitlines()
    assert first.startswith("$ kg ")
    width = 80 if max(map(len, shown)) <= 80 else 100  # an example as narrow as a terminal was printed at 80
    done = subprocess.run(
        [sys.executable, "-m", "kg", *shlex.split(first[len("$ kg "):])], cwd=seeds_folder, capture_output=True,
        text=True, timeout=120, check=False, env={**os.environ, "COLUMNS": str(width), "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    # the column names: a table's second line, a record's first field, a CSV's first line
    header = next(i for i, line in enumerate(shown) if re.search(r"[a-z]", line))
    assert printed[header].rstrip() == shown[header].rstrip(), f"README:{block.line}:\n{done.stdout}"
    assert len(printed) > header + 1
