"""Bytes to text: UTF-8, the encoding a byte-order mark or a page declares, else one detected; binary refused.

Every decoding but UTF-8 says how it was made ("windows-1252 (not UTF-8)"), for
the user to check. Detection on a short text is a guess among single-byte
encodings that read the same letters differently, so windows-1252 (the web's
default for pages that declare nothing, and the usual encoding of Western text
that is not UTF-8) is tried first, and charset-normalizer's best guess after it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

# UTF-32 first: its little-endian mark starts with UTF-16's.
BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_DECLARED_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})|<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
# Labels that mean another encoding on the web (the WHATWG encoding standard): pages declaring
# Latin-1 use windows-1252's curly quotes and dashes, which Latin-1 proper makes control characters.
_WEB_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254"}
_MAX_CONTROLS = 0.05  # decoded text with more control or unassigned characters than this is binary


class NotText(ValueError):
    """Bytes that are binary, or in no encoding that reads them as text; the message says which."""


def decode(raw: bytes, html: bool = False) -> tuple[str, str | None]:
    """The text of ``raw`` and, unless it is UTF-8, how it was decoded ("UTF-16 (byte-order mark)").

    Args:
        raw: the whole of a file, or one line of one.
        html: read a charset the page declares (``<meta charset>``, an XML declaration).

    Raises:
        NotText: binary data, or bytes no encoding reads as text.

    >>> decode("Café".encode("latin-1"))
    ('Café', 'windows-1252 (not UTF-8)')
    >>> decode(b"\\xff\\xfeI\\x00r\\x00a\\x00q\\x00")
    ('Iraq', 'UTF-16 (byte-order mark)')
    """
    for bom, encoding, label in BOMS:
        if raw.startswith(bom):
            if encoding == "utf-8":
                break
            try:
                text = raw[len(bom):].decode(encoding)
            except UnicodeDecodeError as error:
                raise NotText(f"expected {label} text after its byte-order mark, found an invalid sequence at "
                              f"byte offset {len(bom) + error.start}") from None
            if control_share(text) > _MAX_CONTROLS:
                raise NotText(f"expected text, found binary data (control characters in {label})")
            return text, f"{label} (byte-order mark)"
    if (what := binary(raw)) is not None:
        raise NotText(f"expected text, found binary data ({what})")
    start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[start:].decode("utf-8"), None
    except UnicodeDecodeError as error:
        offset = start + error.start
    declared = declared_charset(raw) if html else None
    if declared is not None and declared != "utf-8":
        try:
            return raw.decode(declared), f"{encoding_name(declared)} (declared in the page)"
        except (UnicodeDecodeError, LookupError):
            pass
    found = detect(raw)
    if found is not None:
        return found[0], f"{encoding_name(found[1])} (not UTF-8)"
    line = raw[:offset].count(b"\n") + 1
    raise NotText(f"expected text, found bytes in no encoding kg can tell (not UTF-8: byte 0x{raw[offset]:02X} "
                  f"at byte offset {offset}, line {line}); re-encode the file as UTF-8")


def detect(raw: bytes) -> tuple[str, str] | None:
    """(text, codec) of bytes that are not UTF-8: windows-1252 where it reads them as text, else the best guess."""
    for isolation in (["cp1252"], None):
        best = charset_normalizer.from_bytes(raw, cp_isolation=isolation, enable_fallback=False).best()
        if best is not None and best.encoding not in {"utf_8", "ascii"}:
            text = str(best)
            if control_share(text) <= _MAX_CONTROLS:
                return text, best.encoding
    return None


def binary(raw: bytes) -> str | None:
    """What makes these bytes binary rather than text ("NUL bytes"...), or None."""
    sample = raw[:8192]
    controls = sum(1 for b in sample if (b < 32 and b not in b"\t\n\f\r") or b == 127)
    if b"\x00" in raw:
        return "NUL bytes"
    return "mostly control characters" if controls > len(sample) / 20 else None


def control_share(text: str) -> float:
    """The share of control, surrogate, private and unassigned characters at the start of ``text``."""
    sample = text[:8192]
    controls = sum(1 for c in sample if unicodedata.category(c) in {"Cc", "Cs", "Co", "Cn"} and c not in "\t\n\f\r")
    return controls / max(1, len(sample))


def declared_charset(raw: bytes) -> str | None:
    """The Python codec of the charset a page declares in its first 4 KB, or None.

    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
    'cp1252'
    """
    match = _DECLARED_CHARSET.search(raw[:4096])
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    codec = info.name
    # Not text encodings (base64, rot13...), and UTF-7, which the web refuses (it hides markup).
    if not getattr(info, "_is_text_encoding", True) or codec == "utf-7":
        return None
    if codec.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a declaration cannot be read in UTF-16 without a byte-order mark: it is wrong (WHATWG)
    return _WEB_ALIASES.get(codec, codec)


def encoding_name(codec: str) -> str:
    """A codec as people name it: windows-1252, UTF-16, ISO8859-2, shift_jis..."""
    name = codecs.lookup(codec).name
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    return name.upper() if name.startswith(("utf", "iso")) else name
