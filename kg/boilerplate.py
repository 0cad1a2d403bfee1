"""Boilerplate removal: the paragraphs of a news page that are not the article.

Every rule is general (link lists, comment sections, media furniture, teasers,
CMS bylines, tag debris, tail furniture): nothing here names a particular site.
Furniture that only one site uses is found by ``repeated_lines`` instead, from
the lines its pages share. Input and output are paragraphs, one per string.
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
# "SOME SITE ON INFO : headline" — a capitalised site name before a colon.
_SITE_TEASER = re.compile(r"^[A-Z][A-Z0-9&'’.-]*(?:\s+[A-Z0-9&'’.-]+)+\s*:\s*(?P<headline>\S.*)$")

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
    might must said says say told tells asked warned added""".split()
)
_TAIL_WORDS = 6


def strip_boilerplate(lines: list[str]) -> list[str]:
    """The paragraphs of an article without page furniture.

    The first paragraph is the title: rules about position and repetition
    (tail furniture, labels shown twice) never remove it.

    Args:
        lines: the article's paragraphs in order, title first.

    Returns:
        The paragraphs that belong to the article, stray HTML tags removed.
    """
    paragraphs = [cleaned for line in lines if (cleaned := _strip_tags(line))]
    paragraphs = _cut_comments(paragraphs)
    paragraphs = _drop_furniture(paragraphs)
    paragraphs = _drop_echoes(paragraphs)
    paragraphs = _drop_repeated_short(paragraphs)
    while len(paragraphs) > 1 and _is_tail_furniture(paragraphs[-1]):
        paragraphs.pop()
    return paragraphs


def repeated_lines(texts: Iterable[list[str]], min_articles: int = 3) -> frozenset[str]:
    """Lines found verbatim in at least ``min_articles`` distinct articles: a site's furniture.

    Long sentences are never returned: agencies repeat background paragraphs
    word for word, and those carry facts.

    >>> pages = [["Title %d" % i, "Follow us on Telegram", "Story %d." % i] for i in range(3)]
    >>> sorted(repeated_lines(pages))
    ['Follow us on Telegram']
    """
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    for lines in texts:
        unique = {line.strip() for line in lines if line.strip()}
        # The same article twice in a folder would make all its lines look shared.
        digest = hashlib.sha256("\n".join(sorted(unique)).encode("utf-8")).hexdigest()
        if digest not in seen:
            seen.add(digest)
            counts.update(unique)
    return frozenset(line for line, n in counts.items() if n >= min_articles and not _is_prose(line))


def ends_sentence(line: str) -> bool:
    """True if the line ends like a sentence, closing quotes and brackets aside."""
    return bool(_SENTENCE_END.search(line))


def _key(line: str) -> str:
    return " ".join(line.casefold().split()).strip(" .:;,|•·>»–—")


def _strip_tags(line: str) -> str:
    return " ".join(_TAG_DEBRIS.sub(" ", line).split())


def _cut_comments(paragraphs: list[str]) -> list[str]:
    # A comment section runs to the end of the page; before any body text the
    # same words are a link in the page header, so only that line goes.
    for i, line in enumerate(paragraphs):
        if i > 0 and (_COMMENTS_HEADING.match(line) or _is_moderation(line)):
            if i >= 2:
                return paragraphs[:i]
            return paragraphs[:i] + _cut_comments(paragraphs[i + 1 :])
    return paragraphs


def _is_moderation(line: str) -> bool:
    return bool(_MODERATION.search(line)) and "comment" in line.casefold()


def _drop_furniture(paragraphs: list[str]) -> list[str]:
    kept: list[str] = []
    teasers: set[str] = set()
    for line in paragraphs:
        loading = _LOADING.match(line)
        site = _SITE_TEASER.match(line)
        if loading:
            teasers.add(_key(loading.group("rest")))
        elif site and (not ends_sentence(site.group("headline")) or _key(site.group("headline")) in teasers):
            teasers.add(_key(site.group("headline")))
        elif not (
            _key(line) in FURNITURE
            or _key(line) in teasers
            or _LINK_PREFIX.match(line)
            or (_BULLET.match(line) and not ends_sentence(line) and len(line.split()) <= 25)
            or _CMS_BYLINE.match(line)
            or _SOURCE_TAG.match(line)
        ):
            kept.append(line)
    return kept


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
    short, full = _letters(line), _letters(following)
    # A headline shown twice, the first copy truncated to fit a teaser box. Both
    # are headlines: a lede that starts with the headline's words is not an echo.
    return (
        not ends_sentence(line)
        and not ends_sentence(following)
        and len(short.split()) >= 3
        and full.startswith(short + " ")
    )


def _letters(line: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", line.casefold()).split())


def _drop_repeated_short(paragraphs: list[str]) -> list[str]:
    # A short label shown twice in one article ("Open in full screen" over each
    # photo) is furniture even when no rule names it.
    counts = Counter(line for line in paragraphs[1:] if _is_label(line))
    return paragraphs[:1] + [line for line in paragraphs[1:] if counts[line] < 2]


def _is_label(line: str) -> bool:
    return len(line.split()) <= _TAIL_WORDS and not ends_sentence(line)


def _is_tail_furniture(line: str) -> bool:
    return _is_label(line) and not _has_verb(line.split())


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
    return len(line.split()) >= 12 and ends_sentence(line)
