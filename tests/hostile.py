"""Hostile text for the fuzz and escaping tests: fragments that have broken parsers, writers and pages."""

from __future__ import annotations

from hypothesis import strategies as st

# Markup and injection payloads that must reach the page and the exports as text, never as code.
PAYLOADS: tuple[str, ...] = (
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "javascript:window.__xss=1",
    '"><svg onload=window.__xss=1>',
    "</textarea><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    "</script><script>window.__xss=1</script>",
    "'; window.__xss=1; //",
    "{{7*7}}",
    "${7*7}",
    "{% raw %}",
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1)",
    "]]><x>",
    "<!-- -->",
    "&lt;b&gt; &amp;#39; &#x3C;",
    '"""\\" \\u0022 > . <http://evil.example/x> ^^xsd:string @en',
    "[/red] [bold]x[/bold] [link=javascript:x]y[/link]",
)

# Characters and strings that trip text processing: scripts, marks, invisible and control characters.
FRAGMENTS: tuple[str, ...] = PAYLOADS + (
    "\u200f", "\u200e", "\u202e", "\u2066", "\u2069",  # right-to-left mark, LRM, RLO, isolates
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad",  # zero-width and soft hyphen
    "e\u0301", "\u0308", "a" + "\u0300" * 40,  # combining marks, a zalgo stack
    "محمد شياع السوداني", "الحشد الشعبي", "Мохаммед Шиа ас-Судани", "Ιraq", "Ｉｒａｑ",
    "👨\u200d👩\u200d👧", "🇮🇶", "漢字", "\U0010fffd",
    "\x00", "\x01", "\x07", "\x08", "\x1b[31m", "\x7f", "\x85", "\x9b", "\x0b", "\x0c",
    "\r", "\r\n", "\u2028", "\u2029", "\t",
    "\ufffe", "\uffff", "\ufffd",
    "9" * 400, "a" * 3000, " " * 300, "." * 300, "\n" * 30, "(" * 200, "<a " * 100,
)

SEED_SENTENCES: tuple[str, ...] = (
    "Iraqi Prime Minister Mohammed Shia al-Sudani met US Secretary of State Antony Blinken in Baghdad.",
    "The Islamic Resistance in Iraq claimed a drone attack on US forces in Syria on Monday.",
    "Kataib Hezbollah threatened to keep attacking American troops, a spokesman said.",
    "Washington urged Baghdad to protect coalition personnel.",
    "The Popular Mobilization Forces (PMF) condemned the strike.",
)

_PLAIN = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


def hostile_text(max_parts: int = 12, surrogates: bool = False) -> st.SearchStrategy[str]:
    """Text made of hostile fragments, seed sentences, arbitrary characters and line breaks."""
    parts = [st.sampled_from(FRAGMENTS), st.sampled_from(SEED_SENTENCES), _PLAIN, st.sampled_from(["\n", "\n\n", " "])]
    if surrogates:
        parts.append(st.sampled_from(["\ud800", "\udfff", "\udc80x"]))
    return st.lists(st.one_of(*parts), max_size=max_parts).map("".join)


def json_values(max_leaves: int = 8) -> st.SearchStrategy[object]:
    """Any JSON value: what a JSONL field may hold instead of a string."""
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), hostile_text(4), st.just(""),
    )
    return st.recursive(
        leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=max_leaves,
    )
