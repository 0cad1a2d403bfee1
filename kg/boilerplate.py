"""Boilerplate removal: the paragraphs of a news page that are not the article.

Every rule is general (link lists, comment sections, media furniture, teasers,
CMS bylines, tag debris, tail furniture): nothing here names a particular site.
Furniture that only one site uses is found by ``repeated_lines`` instead, from
the lines its pages share. Input and output are paragraphs, one per string.

Nothing is dropped silently: callers pass a ``Counter`` that receives the number
of paragraphs each rule removed, by kind ("markup", "comment section", "link list",
"page furniture", "teaser", "CMS byline", "scraper tag", "echo", "repeated label",
"tail furniture"), for the build summary.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

# Whole paragraphs that are page furniture, compared through ``_key``.
FURNITURE: frozenset[str] = frozenset(
    {
        "open in full screen mode", "full screen", "to watch on video", "watch the video",
        "watch video", "play video", "video", "photo", "photos", "gallery", "click to enlarge",
        "a+ a-", "a- a+", "a+ a a-", "font size", "text size", "listen to this article", "listen",
        "share", "share this", "share this article", "share this story", "share on facebook",
        "share on twitter", "share on x", "tweet", "email", "e-mail", "print", "print this article",
        "copy link", "facebook", "twitter", "whatsapp", "telegram", "linkedin",
        "advertisement", "sponsored", "skip to content", "skip to main content", "back to top",
        "loading", "loading...", "loading…", "read more", "see also", "related", "related post",
        "related posts", "related articles", "related stories", "related news", "more stories",
        "you may also like", "recommended", "most read", "most popular", "trending",
        "post a comment", "leave a comment", "leave a reply", "cancel reply", "required",
        "subscribe", "follow us", "previous article", "next article", "tags",
    }
)

_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]\s]*$")
_BULLET = re.compile(r"^[•●▪▸►▶›»◦∙‣⁃]\s*")
_LINK_PREFIX = re.compile(
    r"^[^\w\s]{0,3}\s*(?:also read|read also|read more|see also|related(?: \w+)?|more on this(?: story)?"
    r"|recommended(?: for you)?|you may also like|don'?t miss|most read|trending(?: now)?|tags|topics)\s*[:：»>|–—-]",
    re.IGNORECASE,
)
_COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+)?(?:comments?|reader comments|leave a (?:comment|reply)|post a comment|add a comment"
    r"|join the (?:conversation|discussion))(?:\s*\(\d+\))?\s*:?$",
    re.IGNORECASE,
)
# Moderation notices: phrased about "our" comments, unlike a news sentence that
# says someone declined to comment or broke a platform's community guidelines.
_MODERATION = re.compile(
    r"\bmoderates? (?:all )?(?:the )?comments\b|\bcomments? (?:are|is|will be) (?:pre-)?moderated\b"
    r"|\bour (?:comments?|commenting|community) (?:policy|guidelines|rules)\b",
    re.IGNORECASE,
)
_CMS_BYLINE = re.compile(
    r"^(?:posted\s+)?by\s*:?\s*(?:admin|administrator|editor|webmaster|web ?desk|news ?desk|site ?admin"
    r"|staff|author|guest|user\s*\d*)\b[^.!?]{0,40}$",
    re.IGNORECASE,
)
# Machine tags a scraper leaves behind ("source site-39"), not a credited source.
_SOURCE_TAG = re.compile(r"^source\s*:?\s*[a-z0-9]+(?:[-_][a-z0-9]+)*[-_]\d+$", re.IGNORECASE)
_LOADING = re.compile(r"^(?:Loading|LOADING)(?:(?:\.{3}|…)\s*|(?=[A-Z“\"]))(?P<rest>.*)$")
# "SOME SITE ON INFO : headline" — a capitalised site name before a colon. Only a copy of a
# "Loading..." teaser is dropped: alone, the same shape is a headline ("UN 2024: Iraq talks resume").
_SITE_TEASER = re.compile(r"^[A-Z][A-Z0-9&'’.-]*(?:\s+[A-Z0-9&'’.-]+)+\s*:\s*(?P<headline>\S.*)$")
_COPYRIGHT = re.compile(r"^(?=.{0,120}$)(?:©.*|.*\ball rights reserved\b.*)$", re.IGNORECASE)
# A logo's or section's initials alone on a line ("TT", "AP"): no article paragraph is that short.
_INITIALS = re.compile(r"^[A-Z]{1,3}\.?$")
# Menu entries run together when a page's navigation loses its markup: "AmericasMiddle EastWar".
_RUN_TOGETHER = re.compile(r"(?<=[a-z][a-z])[A-Z](?=[a-z][a-z])")
_MENU_WORDS = 12

_TAG_NAMES = (
    r"a|abbr|article|b|blockquote|br|center|div|em|figcaption|figure|font|footer|h[1-6]|header|hr|i"
    r"|iframe|img|li|nav|ol|p|script|section|small|span|strong|style|sub|sup|table|tbody|td|th|thead|tr|u|ul"
)
_TAG_DEBRIS = re.compile(
    rf"</?(?:{_TAG_NAMES})\b[^<>]*>"  # a whole tag
    rf"|(?<![\w<])/(?:{_TAG_NAMES})>"  # a closing tag that lost its "<"
    rf"|^/?(?:{_TAG_NAMES})>"  # a tag that lost its "<" at the start of a line
    rf"|</?(?:{_TAG_NAMES})\s*$",  # a tag cut off at the end of a line
    re.IGNORECASE,
)

_VERBS = frozenset(
    """is are was were be been being am has have had do does did will would shall should can could may
    might must said says say told tells asked warned added
    claims urges warns rejects denies accuses vows condemns kills hits meets calls launches targets strikes
    attacks remain remains resume resumes leave leaves withdraw withdraws visit visits agree agrees hold holds
    struck met""".split()
)
_TAIL_WORDS = 6
_LABEL_CHARS = 80  # a label is short in characters too: one 10 MB "word" is text, not a label
_SITE_LINE_WORDS = 25  # longer lines are never counted as a site's furniture


def strip_boilerplate(lines: list[str], dropped: Counter[str] | None = None) -> list[str]:
    """The paragraphs of an article without page furniture.

    The first paragraph is the title: rules about position and repetition
    (tail furniture, labels shown twice) and the teaser and link-list rules never remove it.

    Args:
        lines: the article's paragraphs in order, title first.
        dropped: if given, receives the number of paragraphs removed, by kind.

    Returns:
        The paragraphs that belong to the article, stray HTML tags removed.
    """
    counts = dropped if dropped is not None else Counter()
    paragraphs = _counted(counts, "markup", lines, [cleaned for line in lines if (cleaned := _strip_tags(line))])
    paragraphs = _counted(counts, "comment section", paragraphs, _cut_comments(paragraphs))
    paragraphs = _drop_furniture(paragraphs, counts)
    paragraphs = _counted(counts, "echo", paragraphs, _drop_echoes(paragraphs))
    paragraphs = _counted(counts, "repeated label", paragraphs, _drop_repeated_short(paragraphs))
    while len(paragraphs) > 1 and _is_tail_furniture(paragraphs[-1]):
        paragraphs.pop()
        counts["tail furniture"] += 1
    return paragraphs


def _counted(counts: Counter[str], kind: str, before: list[str], after: list[str]) -> list[str]:
    if len(after) < len(before):
        counts[kind] += len(before) - len(after)
    return after


def repeated_lines(texts: Iterable[Iterable[str]], min_articles: int = 3) -> frozenset[str]:
    """Lines found verbatim in at least ``min_articles`` distinct articles: a site's furniture.

    Only short lines that are not sentences count: agencies repeat background
    paragraphs and short wire sentences word for word, and those carry facts.
    A line that ends like a sentence, or has a verb, is never returned.

    >>> pages = [["Title %d" % i, "Follow us on Telegram", "Kataib Hezbollah denied it", "Story %d." % i]
    ...          for i in range(3)]
    >>> sorted(repeated_lines(pages))
    ['Follow us on Telegram']
    """
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    for lines in texts:
        unique = {line.strip() for line in lines if line.strip()}
        # The same article twice would make all its lines look shared.
        digest = hashlib.sha256("\n".join(sorted(unique)).encode("utf-8")).hexdigest()
        if digest not in seen:
            seen.add(digest)
            counts.update(line for line in unique if not _is_prose(line))
    return frozenset(line for line, n in counts.items() if n >= min_articles)


def ends_sentence(line: str) -> bool:
    """True if the line ends like a sentence, closing quotes and brackets aside."""
    return bool(_SENTENCE_END.search(line))


def _key(line: str) -> str:
    return " ".join(line.casefold().split()).strip(" .:;,|•·>»–—")


def _strip_tags(line: str) -> str:
    return " ".join(_TAG_DEBRIS.sub(" ", line).split())


def _cut_comments(paragraphs: list[str]) -> list[str]:
    # A comment section runs to the end of the page; before any body text (right
    # after the title) the same words are a link in the page header, so only that line goes.
    kept: list[str] = []
    for line in paragraphs:
        if kept and (_COMMENTS_HEADING.match(line) or _is_moderation(line)):
            if len(kept) >= 2:
                break
            continue
        kept.append(line)
    return kept


def _is_moderation(line: str) -> bool:
    return bool(_MODERATION.search(line)) and "comment" in line.casefold()


def _drop_furniture(paragraphs: list[str], counts: Counter[str]) -> list[str]:
    # "LoadingHeadline" teasers first: their copies may come before them.
    teasers = {_key(m.group("rest")) for line in paragraphs if (m := _LOADING.match(line))}
    kept: list[str] = []
    for i, line in enumerate(paragraphs):
        kind = _furniture_kind(line, teasers, title=i == 0)
        if kind is None:
            kept.append(line)
        else:
            counts[kind] += 1
    return kept


def _furniture_kind(line: str, teasers: set[str], title: bool) -> str | None:
    """The kind of furniture a paragraph is, or None for article text."""
    key = _key(line)
    if _LOADING.match(line):
        return "teaser"
    if key in FURNITURE or _COPYRIGHT.match(line):
        return "page furniture"
    if _CMS_BYLINE.match(line):
        return "CMS byline"
    if _SOURCE_TAG.match(line):
        return "scraper tag"
    if title:
        return None
    if _INITIALS.match(line.strip()) or _is_run_together_menu(line):
        return "page furniture"
    site = _SITE_TEASER.match(line)
    if key in teasers or (site and _key(site.group("headline")) in teasers):
        return "teaser"
    if _LINK_PREFIX.match(line) or (_BULLET.match(line) and not ends_sentence(line) and len(line.split()) <= 25):
        return "link list"
    return None


def _is_run_together_menu(line: str) -> bool:
    """A short line of capitalised words only, in which menu entries run together twice at least."""
    words = line.split()
    return (
        len(words) <= _MENU_WORDS
        and all(w[:1].isupper() for w in words)
        and len(_RUN_TOGETHER.findall(line)) >= 2
    )


def _drop_echoes(paragraphs: list[str]) -> list[str]:
    """Drop a paragraph repeated by the next one, or cut short and completed by it."""
    kept: list[str] = []
    for i, line in enumerate(paragraphs):
        following = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        if following is not None and _is_echo(line, following):
            continue
        kept.append(line)
    return kept


def _is_echo(line: str, following: str) -> bool:
    if line == following:
        return True
    # A headline shown twice, the first copy truncated to fit a teaser box. Both
    # are headlines: a lede that starts with the headline's words is not an echo.
    if ends_sentence(line) or ends_sentence(following):
        return False
    short = _letters(line)
    return len(short.split()) >= 3 and _letters(following).startswith(short + " ")


def _letters(line: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", line.casefold()).split())


def _drop_repeated_short(paragraphs: list[str]) -> list[str]:
    # A short label shown twice in one article ("Open in full screen" over each
    # photo) is furniture even when no rule names it.
    counts = Counter(line for line in paragraphs[1:] if _is_label(line))
    return paragraphs[:1] + [line for line in paragraphs[1:] if counts[line] < 2]


def _is_label(line: str) -> bool:
    return len(line) <= _LABEL_CHARS and len(line.split()) <= _TAIL_WORDS and not ends_sentence(line)


def _is_tail_furniture(line: str) -> bool:
    # "UN 2024: Iraq talks resume" is a headline, not a section link.
    return _is_label(line) and ":" not in line and not _has_verb(line.split())


def _has_verb(words: list[str]) -> bool:
    """A cheap stand-in for a parser: an auxiliary, a reporting verb, or a lowercase -ed/-ing form."""
    for i, word in enumerate(words):
        bare = word.strip(".,;:!?\"'“”’()").casefold()
        if bare in _VERBS:
            return True
        if i > 0 and word[:1].islower() and len(bare) > 4 and bare.endswith(("ed", "ing")):
            return True
    return False


def _is_prose(line: str) -> bool:
    """Text that may carry a fact: a sentence, a line with a verb, or a long line."""
    words = line.split()
    return len(words) > _SITE_LINE_WORDS or ends_sentence(line) or _has_verb(words)
