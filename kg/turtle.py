"""Stable Turtle: a graph's triples sorted and written with fixed prefixes, whole or from cached blocks.

Equal graphs give equal bytes. Placing them on disk safely is ``kg.outputs``'s job; an
incremental build joins each article's cached share (``PartTurtle``) with the rest.
"""

from __future__ import annotations

import functools
import heapq
import io
import re
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.outputs import Staged
from kg.rdf import Triple
from kg.vocab import ENTITY, PREFIXES


def serialize(items: Sequence[ox.Triple] | Sequence[ox.Quad], fmt: ox.RdfFormat, prefixes: bool = False) -> bytes:
    """pyoxigraph's serialisation of ``items`` as bytes, with the shipped prefixes if asked."""
    data = ox.serialize(items, format=fmt, prefixes=PREFIXES if prefixes else None)
    assert data is not None  # no output file given, so pyoxigraph returns the bytes
    return data


def turtle_bytes(triples: Iterable[Triple]) -> bytes:
    """Stable Turtle of a triple stream: fixed prefixes, sorted subjects and predicates, repeats dropped."""
    buffer = io.BytesIO()
    stream_turtle(triples, buffer)
    return buffer.getvalue()


def write_turtle(path: Path, triples: Iterable[Triple]) -> int:
    """Stable Turtle of a triple stream to ``path``, atomically; returns the number of distinct triples written."""
    with Staged() as staged:
        count = stream_turtle(triples, staged.file(path))
        staged.commit()
    return count


def stream_turtle(triples: Iterable[Triple], output: str | IO[bytes]) -> int:
    """Stable Turtle to ``output``; returns the number of distinct triples.

    The triples go through a temporary file of sorted N-Triples lines, which pyoxigraph
    streams into Turtle: memory never holds every triple as an object.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8") as scratch:
        count = _write_sorted_ntriples(triples, scratch)
        scratch.seek(0)
        # lenient: the lines are pyoxigraph's own forms of terms it checked when they were made
        ordered = ox.parse(scratch, format=ox.RdfFormat.N_TRIPLES, lenient=True)
        ox.serialize(ordered, output=output, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return count


# ---------------------------------------------------------------- Turtle in blocks, one per subject
# stream_turtle's output is the prefixes, then one block per subject in the order of the subjects'
# N-Triples forms, each block depending on that subject's triples only (literals' line breaks are
# escaped, so a block's first line is the only one not indented). Triples whose subjects are disjoint
# can so be turned into blocks apart (an article's now, the others' in an earlier build) and joined.

Block = tuple[str, str]  # (the subject as N-Triples, its Turtle)
_SHARED = f"<{ENTITY}"  # subjects that many articles describe: the entities


def ntriples_lines(triples: Iterable[Triple]) -> set[str]:
    """The distinct N-Triples lines of a triple stream (as ``_write_sorted_ntriples`` writes them)."""
    return {f"{s} {p} {o} .\n" for s, p, o in triples}


def turtle_blocks(lines: Iterable[str]) -> list[Block]:
    """The Turtle blocks of distinct N-Triples lines, one per subject, in subject order.

    Raises:
        ValueError: the Turtle does not cut into one block per subject (it always does
            for what kg writes; a caller falls back to ``stream_turtle``).
    """
    ordered = sorted(lines)
    subjects = sorted({line[: line.index(" ")] for line in ordered})
    if not ordered:
        return []
    data = serialize(list(ox.parse("".join(ordered).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)),
                      ox.RdfFormat.TURTLE, prefixes=True).decode("utf-8")
    header = _turtle_header()
    if not data.startswith(header):
        raise ValueError("Turtle without the expected prefixes")
    text = data[len(header):]
    starts = [0] + [match.end() for match in re.finditer(r"\n(?=[^\t])", text)]
    blocks = [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)], strict=True)]
    if len(blocks) != len(subjects):
        raise ValueError(f"{len(blocks)} Turtle blocks for {len(subjects)} subjects")
    return list(zip(subjects, blocks, strict=True))


def join_blocks(blocks: Iterable[Block], output: str | IO[bytes]) -> None:
    """Blocks of disjoint subjects as one Turtle file: the bytes ``stream_turtle`` writes of all their triples."""
    ordered = sorted(blocks)
    with ExitStack() as stack:
        handle = stack.enter_context(open(output, "wb")) if isinstance(output, str) else output
        if ordered:
            handle.write(_turtle_header().encode("utf-8"))
        for _, block in ordered:
            handle.write(block.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class PartTurtle:
    """One article's share of graph.ttl: the blocks of the subjects only it describes, and its
    triples about entities (which other articles describe too), as N-Triples lines."""

    blocks: tuple[Block, ...]
    shared: tuple[str, ...]
    count: int  # distinct triples in the blocks


def part_turtle(triples: Iterable[Triple]) -> PartTurtle:
    """An article's triples as its share of graph.ttl; a subject in the entity namespace is shared."""
    lines = ntriples_lines(triples)
    shared = {line for line in lines if line.startswith(_SHARED)}
    own = lines - shared
    return PartTurtle(tuple(turtle_blocks(own)), tuple(sorted(shared)), len(own))


def join_parts(parts: Sequence[PartTurtle], others: Iterable[Triple], output: str | IO[bytes]) -> int | None:
    """graph.ttl from the articles' shares and the other triples (entities, corrections): the bytes
    ``stream_turtle`` writes of all their triples; returns the number of distinct triples.

    None, with nothing written, if two shares describe one subject (never, for what kg makes):
    the caller writes the graph with ``stream_turtle`` instead.
    """
    shared = ntriples_lines(others)
    blocks: dict[str, str] = {}
    for part in parts:
        shared.update(part.shared)
        blocks.update(part.blocks)
    count = len(shared) + sum(part.count for part in parts)
    owned = sum(len(part.blocks) for part in parts)
    common = turtle_blocks(shared)
    if len(blocks) < owned or any(key in blocks for key, _ in common):
        return None
    blocks.update(common)
    join_blocks(blocks.items(), output)
    return count


@functools.cache
def _turtle_header() -> str:
    """The prefix lines pyoxigraph writes before the first triple (nothing at all for no triple)."""
    probe = ox.Triple(ox.NamedNode("urn:kg:s"), ox.NamedNode("urn:kg:p"), ox.NamedNode("urn:kg:o"))
    data = serialize([probe], ox.RdfFormat.TURTLE, prefixes=True).decode("utf-8")
    block = "<urn:kg:s> <urn:kg:p> <urn:kg:o> .\n"
    if not data.endswith(block):
        raise ValueError("unexpected Turtle of one triple")
    return data[: -len(block)]


# Lines sorted in memory at a time by ``_write_sorted_ntriples``: about 250 MB of text.
RUN_LINES = 1_000_000


def _write_sorted_ntriples(triples: Iterable[Triple], handle: IO[str]) -> int:
    """The distinct triples as N-Triples lines, sorted; returns how many.

    An external merge sort: runs of ``RUN_LINES`` lines are sorted and spilled to
    temporary files, so memory holds one run's text, never the whole graph as objects.
    """
    with ExitStack() as stack:
        runs: list[Iterable[str]] = []
        # A dict, not a set: it keeps the lines in the order made, which come grouped by subject
        # mostly, and sorting runs already in order is fast (a set's order is its hashes').
        run: dict[str, None] = {}
        for s, p, o in triples:
            # A term's str is its N-Triples form, which escapes newlines: one line per triple.
            run[f"{s} {p} {o} .\n"] = None
            if len(run) >= RUN_LINES:
                spill = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
                spill.writelines(sorted(run))
                spill.seek(0)
                runs.append(spill)
                run = {}
        if not runs:  # one run: its lines are distinct already
            handle.writelines(sorted(run))
            return len(run)
        runs.append(sorted(run))
        del run
        count, previous = 0, None
        for line in heapq.merge(*runs):
            if line != previous:
                handle.write(line)
                count, previous = count + 1, line
    return count
