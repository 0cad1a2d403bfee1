"""Fingerprints of what a cached result depends on: the code and data that made it, found by reading
the package as it is (a new module or word list counts from the start).

A cache (``kg.cache``) keys its rows on these: change the code of a stage, a module it imports
or a file of ``kg/data`` and every row it made is a miss; change anything else and none is.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

# The stages whose code makes an article's extraction; what they import is found by reading them,
# so a new module or word list counts from the start.
EXTRACTION_STAGES: tuple[str, ...] = ("nlp", "extract")
FORMAT = 2  # bump when the stored layout changes; kept in the file's user_version too


def extractor_fingerprint(model: str, model_version: str, gazetteer_fingerprint: str) -> str:
    """Digest of the model, the gazetteer, the extraction's code and data, and the date parser it calls."""
    dateparser = importlib.metadata.version("dateparser")
    settings = f"{FORMAT}|{model}|{model_version}|{gazetteer_fingerprint}|dateparser {dateparser}"
    digest = hashlib.sha256(settings.encode())
    digest.update(code_fingerprint(Path(__file__).resolve().parent).encode())
    return digest.hexdigest()


def code_fingerprint(package: Path, stages: Sequence[str] = EXTRACTION_STAGES) -> str:
    """Digest of the files of ``extraction_sources``: their paths in the package and their bytes."""
    digest = hashlib.sha256()
    for path in extraction_sources(package, stages):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def extraction_sources(package: Path, stages: Sequence[str] = EXTRACTION_STAGES) -> list[Path]:
    """The modules of ``stages`` (modules or subpackages of ``package``), every module of the package
    they import, directly or not (read from their import statements, wherever in the code they are),
    and every file of ``package/data``; in path order."""
    todo = [path for stage in stages for path in _stage_files(package, stage)]
    found: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        for module in _imported(path, package):
            todo.extend(_module_files(package, module))
    found.update(p for p in (package / "data").rglob("*") if p.is_file())
    return sorted(found, key=lambda p: p.relative_to(package).as_posix())


def _stage_files(package: Path, stage: str) -> list[Path]:
    folder = package / stage
    if folder.is_dir():
        return sorted(folder.rglob("*.py"))
    return _module_files(package, f"{package.name}.{stage}")


def _imported(path: Path, package: Path) -> Iterator[str]:
    """The dotted names a module imports, absolute; ``from a import b`` gives ``a`` and ``a.b`` (b may be a module)."""
    parts = path.relative_to(package.parent).with_suffix("").parts
    # The package a relative import starts from: the module's own, or itself for an __init__.py.
    current = parts[:-1]
    for node in ast.walk(_import_tree(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            start = current[: len(current) - node.level + 1] if node.level else ()
            base = ".".join([*start, *([node.module] if node.module else [])])
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


# An import statement at the start of a line (after its indent), and one that is not: after a ";" or
# a ":" ("if x: import y"), even across a backslash. Words in strings may look like either.
_IMPORT_LINE = re.compile(rb"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import\b[^\n]*", re.MULTILINE)
_IMPORT_INLINE = re.compile(rb"[;:](?:[ \t]|\\\r?\n)*(?:from[ \t]+[\w.]+[ \t]+)?import\b")


def _import_tree(source: bytes, filename: str) -> ast.Module:
    """A module of the import statements of ``source``: every one there is (some words of strings too, at worst).

    Parsing only the lines that start an import costs a fraction of parsing the module
    (every build computes the fingerprint). A module with an import that does not start
    its line, or whose import lines do not parse alone, is parsed whole.
    """
    if not _IMPORT_INLINE.search(source):
        statements = []
        for match in _IMPORT_LINE.finditer(source):
            line = match.group().strip()
            if line.endswith((b"(", b"\\")) or (b"(" in line and b")" not in line):
                # A statement that goes on: to its closing parenthesis, or the next line.
                end = source.find(b")", match.start()) if b"(" in line else source.find(b"\n", match.end() + 1)
                if end < 0:
                    break
                line = b" ".join(source[match.start() : end + 1].split())
            statements.append(line)
        else:
            try:
                return ast.parse(b"\n".join(statements), filename=filename)
            except SyntaxError:
                pass
    return ast.parse(source, filename=filename)


def _module_files(package: Path, module: str) -> list[Path]:
    """The files that importing ``module`` runs, if it is in ``package``: its own and its parent packages'."""
    parts = module.split(".")
    if parts[0] != package.name:
        return []
    files = []
    for depth in range(1, len(parts) + 1):
        folder = package.joinpath(*parts[1:depth])
        if (folder / "__init__.py").is_file():
            files.append(folder / "__init__.py")
        elif depth == len(parts) and folder.with_suffix(".py").is_file():
            files.append(folder.with_suffix(".py"))
    return files


def turtle_fingerprint() -> str:
    """Digest of what turns an article's extraction and resolution into its Turtle: the code of
    kg.graph and kg.turtle and every module of kg they import, and pyoxigraph's version."""
    oxigraph = importlib.metadata.version("pyoxigraph")
    digest = hashlib.sha256(f"{FORMAT}|pyoxigraph {oxigraph}".encode())
    digest.update(code_fingerprint(Path(__file__).resolve().parent, ("graph", "turtle")).encode())
    return digest.hexdigest()


def ingest_fingerprint() -> str:
    """Digest of what cleans a record into articles: kg.ingest and every module of kg it imports, kg/data,
    and the Unicode tables of this Python (normalisation, categories, case folding)."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version_info[:2]}|unicode {unicodedata.unidata_version}".encode())
    digest.update(code_fingerprint(Path(__file__).resolve().parent, ("ingest",)).encode())
    return digest.hexdigest()
