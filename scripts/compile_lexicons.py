"""Compile the event-coding dictionaries into kg/data/cameo.json.

    python scripts/compile_lexicons.py ../shared/lexicons [-o kg/data/cameo.json]

Reads, from SOURCE_DIR (never copied into the project), the PETRARCH2 CAMEO verb
dictionary, the CAMEO-to-PLOVER table and the Phoenix agents dictionary; translates
PETRARCH's string patterns into dependency frames (subject, object and prepositional
noun phrases, head last); merges the hand-written ``lexicon_supplement.json`` beside
this script; writes one JSON file, byte-identical for the same sources.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERBS_FILE = "CAMEO.2.0.txt"
PLOVER_FILE = "CAMEO2PLOVER-2021.txt"
AGENTS_FILE = "Phoenix.agents.txt"
SUPPLEMENT = Path(__file__).with_name("lexicon_supplement.json")
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "kg" / "data" / "cameo.json"
EXAMPLES = 3  # skipped patterns quoted per reason in the stats

# Closed word classes (English grammar, not dictionary data): they decide which PETRARCH
# patterns are noun phrases a dependency frame can express.
PREPOSITIONS = frozenset(
    "about above across after against along alongside amid amidst among amongst around as at before behind below"
    " beneath beside besides between beyond by despite down during except for from in inside into like near of off"
    " on onto out outside over past per since through throughout till to toward towards under underneath until unto"
    " up upon via with within without".split()
)
# Adverbial particles of phrasal verbs ("put down", "set off"); PETRARCH writes them as the first word after '*'.
PARTICLES = frozenset("ahead apart aside away back down forth forward off out together up".split())
SUBORDINATORS = frozenset(
    "when while if whether that because although though unless where which who whom whose".split()
)
AUXILIARIES = frozenset(
    "am is are was were be been being has have had do does did will would shall should can could may might must".split()
)
CONJUNCTIONS = frozenset("and or but nor".split())
NEGATIONS = frozenset({"not", "no"})
# May modify a noun, never head a noun phrase.
DETERMINERS = frozenset(
    "a an the this these those another each every some any all both either neither other such its his her their our"
    " my your it they them he him she we us i you one no".split()
)
# Words in -ly that are not manner adverbs.
LY_WORDS = frozenset(
    "ally anomaly assembly bully daily early elderly family friendly holy italy july likely monopoly only rally"
    " reply supply ugly unlikely weekly monthly yearly".split()
)
BE_FORMS = frozenset({"is", "are", "am", "was", "were"})


class LexiconSourceError(Exception):
    """A source dictionary or the supplement is missing or cannot be read."""


class Untranslatable(Exception):
    """A PETRARCH pattern that no dependency frame expresses; the message is the reason."""


# ---------------------------------------------------------------- patterns


@dataclass(frozen=True)
class Group:
    """A bracketed group of a pattern: '{...}' (phrase) or '(...)' (prepositional phrase)."""

    kind: str  # "{" or "("
    items: tuple[Item, ...]


Item = str | Group


def tokenize(body: str) -> list[Item]:
    """Split a pattern body into words and bracketed groups ('(TO {BANNED PARTIES})')."""
    items, rest = _items(body, 0, None)
    if rest != len(body):
        raise Untranslatable("unbalanced brackets")
    return items


def _items(text: str, i: int, close: str | None) -> tuple[list[Item], int]:
    items: list[Item] = []
    word = ""
    while i < len(text):
        ch = text[i]
        if ch.isspace() or ch in "(){}":
            if word:
                items.append(word)
                word = ""
        if ch in "({":
            inner, i = _items(text, i + 1, ")" if ch == "(" else "}")
            items.append(Group(ch, tuple(inner)))
            continue
        if ch in ")}":
            if ch != close:
                raise Untranslatable("unbalanced brackets")
            return items, i + 1
        if not ch.isspace():
            word += ch
        i += 1
    if close is not None:
        raise Untranslatable("unbalanced brackets")
    if word:
        items.append(word)
    return items, i


@dataclass(frozen=True)
class Code:
    """A CAMEO code as PETRARCH writes it: '190', '042:043' (source->target : target->source), '---' (no event)."""

    code: str | None
    reverse: str | None = None

    @staticmethod
    def parse(text: str) -> Code:
        text = text.strip()
        if text == "---":
            return Code(None)
        forward, colon, reverse = text.partition(":")
        if not all(re.fullmatch(r"\d{2,4}", part) for part in (forward, reverse) if part) or not (forward or reverse):
            raise Untranslatable(f"unknown code [{text}]")
        return Code(forward or None, (reverse or None) if colon else None)


@dataclass
class Vocabulary:
    """What a pattern's words are translated with."""

    synsets: dict[str, list[str]]
    stems: frozenset[str] = frozenset()
    pattern_verbs: frozenset[str] = frozenset()


class SynsetWords(list[str]):
    """The words of a synonym set standing in a noun phrase: compared as its words, written as '&NAME'."""

    def __init__(self, name: str, words: Iterable[str]) -> None:
        super().__init__(words)
        self.name = name


@dataclass
class NP:
    """A noun phrase being read: word alternatives (head last) and the actor marker in it."""

    words: list[list[str]] = field(default_factory=list)
    slot: str | None = None  # "$" (source) or "+" (target) stands in this phrase


def _word(raw: str, lex: Vocabulary) -> list[str]:
    """One pattern word as its alternatives ('BY/WITH' -> ['by', 'with']), stems marked '*'."""
    out = []
    for part in raw.split("/"):
        w = part.rstrip("_").lower()
        if not w:
            raise Untranslatable("empty word")
        out.append(w + "*" if w in lex.stems else w)
    return out


def _check_word(w: str, lex: Vocabulary) -> None:
    if w in SUBORDINATORS:
        raise Untranslatable("clause (subordinating word)")
    if w in AUXILIARIES:
        raise Untranslatable("clause (auxiliary verb)")
    if w in lex.pattern_verbs:
        raise Untranslatable("clause (a verb of its own)")
    if w in CONJUNCTIONS:
        raise Untranslatable("coordination")
    if w == "not":
        raise Untranslatable("negation away from the verb")
    if w in PREPOSITIONS or w in PARTICLES:
        raise Untranslatable("preposition or particle without brackets")
    if w.endswith("ly") and len(w) > 4 and w not in LY_WORDS:
        raise Untranslatable("adverb")


def noun_phrase(items: Iterable[Item], lex: Vocabulary) -> NP:
    """Words, '{...}' phrases, '&SYNSETS', '$' and '+' as a noun phrase (head last)."""
    np = NP()
    any_np = False
    for item in items:
        if isinstance(item, Group):
            if item.kind != "{":
                raise Untranslatable("prepositional phrase inside a phrase")
            inner = noun_phrase(item.items, lex)
            if inner.slot:
                np.slot = _one_slot(np.slot, inner.slot)
            np.words.extend(inner.words)
            continue
        if item in ("$", "+"):
            np.slot = _one_slot(np.slot, item)
            continue
        if item == "^":
            any_np = True
            continue
        if item == "%":
            raise Untranslatable("compound actor (%)")
        if "*" in item:
            raise Untranslatable("verb marker inside a word")
        if item.startswith("&") and item[1:] in lex.synsets:
            np.words.append(SynsetWords(item[1:], lex.synsets[item[1:]]))
            continue
        for part in item.split("_") if "_" in item.strip("_") else [item]:
            if part.startswith("&"):
                if part[1:] not in lex.synsets:
                    raise Untranslatable("unknown synonym set")
                np.words.append(SynsetWords(part[1:], lex.synsets[part[1:]]))
                continue
            alternatives = _word(part, lex)
            for w in alternatives:
                _check_word(w.rstrip("*"), lex)
            np.words.append(alternatives)
    if any_np and np.words:
        raise Untranslatable("'^' inside a noun phrase")
    if np.words and all(w in DETERMINERS for w in np.words[-1]):
        raise Untranslatable("no noun (determiner or pronoun)")
    return np


def _prepositions(word: str, strict: bool = True) -> list[str]:
    """'BY/WITH' -> ['by', 'with']; not all prepositions: Untranslatable, or [] when not ``strict``."""
    heads = [w.lower() for w in word.split("/")]
    if all(h in PREPOSITIONS for h in heads):
        return heads
    if strict:
        raise Untranslatable("bracket not opened by a preposition")
    return []


def _after_verb(items: list[Item], lex: Vocabulary) -> tuple[bool, str | None, NP, list[tuple[list[str], NP]]]:
    """[NOT|NO] [particle] object, then prepositional phrases, bracketed ('(ON +)') or not ('ON +').

    An unbracketed preposition opens a phrase that runs to the next preposition. A particle right after
    the verb or closing the object ('- * DOWN RIOT', '- * STAFF OUT') makes a phrasal verb.
    """
    words = [w for item in items for w in (item.items if isinstance(item, Group) and item.kind == "{" else [item])]
    negated = bool(words) and isinstance(words[0], str) and words[0].lower() in NEGATIONS
    if negated:
        words = words[1:]
    particle = None
    if words and isinstance(words[0], str) and words[0].lower() in PARTICLES:
        particle, words = words[0].lower(), words[1:]
    obj: list[Item] = []
    phrases: list[tuple[list[str], list[Item]]] = []
    open_phrase: list[Item] | None = (
        None  # the words of the unbracketed phrase being read; None while reading the object
    )
    after_bracket = False
    for k, item in enumerate(words):
        if isinstance(item, Group):
            if not item.items or not isinstance(item.items[0], str):
                raise Untranslatable("bracket without a preposition")
            phrases.append((_prepositions(item.items[0]), list(item.items[1:])))
            open_phrase, after_bracket = None, True
            continue
        low = item.lower()
        closes_object = all(isinstance(w, Group) for w in words[k + 1 :])
        if particle is None and not phrases and obj and low in PARTICLES and closes_object:
            particle = low
            continue
        heads = _prepositions(item, strict=False)
        if heads:
            open_phrase, after_bracket = [], False
            phrases.append((heads, open_phrase))
        elif after_bracket:
            raise Untranslatable("words after a prepositional phrase")
        else:
            (obj if open_phrase is None else open_phrase).append(item)
    return negated, particle, noun_phrase(obj, lex), [(heads, noun_phrase(ws, lex)) for heads, ws in phrases]


def _one_slot(old: str | None, new: str) -> str:
    if old is not None:
        raise Untranslatable("two actor markers in one phrase")
    return new


@dataclass(frozen=True)
class Translation:
    """A pattern as a frame; ``particle`` set when it belongs to the phrasal verb 'VERB particle'."""

    frame: dict[str, Any]
    particle: str | None = None

    @property
    def constrained(self) -> bool:
        f = self.frame
        return bool(f["subject"] or f["object"] or f["preps"] or f["source"] or f["target"] or f["negated"])


def translate(line: str, lex: Vocabulary) -> list[Translation]:
    """One pattern line ('- * {SUICIDE ATTACK} (ON +) [183] # BOMB') as frames; raises Untranslatable."""
    text, _, comment = line.partition("#")
    text = text.strip()
    words = comment.replace(",", " ").split()
    origin = verb_key(words[0]) if words and re.fullmatch(r"\+?[A-Z][A-Z_-]*", words[0]) else None
    m = re.fullmatch(r"-\s*(.*?)\s*\[([^\]]*)\]", text)
    if not m:
        raise Untranslatable("no code")
    code = Code.parse(m.group(2))
    items = tokenize(m.group(1))
    stars = [i for i, item in enumerate(items) if item == "*"]
    if len(stars) != 1:
        raise Untranslatable("verb marker inside a word" if not stars else "two verb markers")
    before, after = items[: stars[0]], items[stars[0] + 1 :]
    if any(isinstance(i, Group) and i.kind == "(" for i in before):
        raise Untranslatable("prepositional phrase before the verb")
    subject = noun_phrase(before, lex)

    negated, particle, obj, preps = _after_verb(after, lex)

    # '(BY/WITH X)' is one frame per preposition.
    out = []
    for choice in itertools.product(*(heads for heads, _ in preps)):
        slots: dict[str, str] = {}
        for name, np in [("subject", subject), ("object", obj)] + [
            (f"prep:{p}", np) for p, (_, np) in zip(choice, preps, strict=True)
        ]:
            if np.slot:
                role = "source" if np.slot == "$" else "target"
                if role in slots:
                    raise Untranslatable("two sources or two targets")
                slots[role] = name
        frame = {
            "code": code.code,
            "reverse": code.reverse,
            "subject": subject.words or None,
            "object": obj.words or None,
            "preps": [{"prep": p, "np": np.words or None} for p, (_, np) in zip(choice, preps, strict=True)],
            "source": slots.get("source"),
            "target": slots.get("target"),
            "negated": negated,
        }
        if not (frame["subject"] or frame["object"] or any(p["np"] for p in frame["preps"])) and origin:
            # A frame that names no noun ('- * (INTO) [192] # PUSH') says how one verb of the block
            # is used; applied to the whole block it would code 'demanded ... into' as an invasion.
            frame["verb"] = origin
        elif origin:
            frame["origin"] = origin  # the verb the pattern was written for: it wins a tie in its block
        out.append(Translation(frame, particle))
    return out


# ---------------------------------------------------------------- verb dictionary


@dataclass
class Block:
    """A verb block: '---  KILL   [190]  ---', its verbs and the patterns they share."""

    name: str
    code: Code
    verbs: list[tuple[str, Code | None]] = field(default_factory=list)  # (written form, own code)
    forms: set[str] = field(default_factory=set)  # irregular forms in braces ('HANG {HANGS HANGED HUNG}'), as keys
    patterns: list[str] = field(default_factory=list)


def _strip_comment(line: str) -> str:
    return re.split(r"[#;]", line, maxsplit=1)[0].strip()


def read_synsets(lines: Iterable[str]) -> dict[str, list[str]]:
    """'&NAME' then '+WORD' lines -> {'NAME': ['word', 'multi word', ...]} (lower case, '_' joins words)."""
    synsets: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in lines:
        line = _strip_comment(raw)
        if line.startswith("&"):
            current = synsets.setdefault(line[1:].strip(), [])
        elif line.startswith("+") and current is not None:
            entry = " ".join(line[1:].strip().rstrip("_").lower().replace("_", " ").split())
            if entry and entry not in current:
                current.append(entry)
    return synsets


def read_blocks(lines: Iterable[str]) -> tuple[list[Block], list[str]]:
    """The verb blocks, and the verb lines that could not be read."""
    blocks: list[Block] = []
    bad: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = re.match(r"---\s*(\S+?)\s*\[([^\]]*)\]", line)
        if header:
            try:
                code = Code.parse(header.group(2))
            except Untranslatable:
                bad.append(line)
                code = Code(None)
            blocks.append(Block(header.group(1), code))
            continue
        if not blocks:
            continue
        if re.match(r"-\s", line) or line == "-":
            blocks[-1].patterns.append(line)
            continue
        forms = tuple(
            verb_key(f) for braces in re.findall(r"\{([^}]*)\}", line) for f in braces.replace(",", " ").split()
        )
        text = re.sub(r"\{[^}]*\}", " ", _strip_comment(line))
        own = re.search(r"\[([^\]]*)\]", text)
        words = re.sub(r"\[[^\]]*\]", " ", text).split()
        try:
            own_code = Code.parse(own.group(1)) if own else None
        except Untranslatable:
            bad.append(line)
            continue
        if len(words) != 1:
            bad.append(line)
            continue
        blocks[-1].verbs.append((words[0], own_code))
        blocks[-1].forms.update(forms)
    return blocks, bad


def _recode_block(block: Block, recode: dict[str, str]) -> None:
    """Write a block's codes anew ({'173': '115'}): header, verbs' own codes, patterns; an unused code fails."""
    used = False

    def new(code: Code) -> Code:
        nonlocal used
        if code.code in recode:
            used = True
            return Code(recode[code.code], code.reverse)
        return code

    block.code = new(block.code)
    block.verbs = [(word, new(own) if own is not None else None) for word, own in block.verbs]
    lines = []
    for line in block.patterns:
        for old, code in recode.items():
            line, n = re.subn(rf"\[{old}(?=[\]:])", f"[{code}", line)
            used = used or n > 0
        lines.append(line)
    block.patterns = lines
    if not used:
        raise LexiconSourceError(f"supplement block_codes: block {block.name!r} uses none of {sorted(recode)}")


def verb_key(written: str) -> str:
    """'+SHOOT_DOWN' -> 'shoot down', 'KILL' -> 'kill'."""
    return " ".join(written.lstrip("+").rstrip("_").lower().replace("_", " ").split())


def _not_base_form(key: str, single: set[str], forms: set[str]) -> str | None:
    """Why a verb cannot be keyed by its lemma ('killed and', 'lost', 'angered by'), or None.

    ``single``: the one-word verbs listed; ``forms``: the irregular forms listed in braces.
    """
    words = key.split()
    if any(w in CONJUNCTIONS for w in words):
        return "coordination of verbs"
    first = words[0]
    stems: set[str] = set()
    if first.endswith("ed"):  # attack-ed, anger-ed, kidnapp-ed
        stems = {first[:-2], first[:-1], first[:-3]}
    elif first.endswith("ing"):  # tour-ing, deterr-ing, mak-ing
        stems = {first[:-3], first[:-4], first[:-3] + "e"}
    if stems & (single - {first}):
        return "inflected form"
    # 'FOUND' and 'BOUND' are verbs of their own as well as forms of FIND and BIND: only a word that
    # is not listed alone counts as a form.
    if len(words) > 1 and first in forms and first not in single:
        return "inflected form"
    return None


def _frame_key(frame: dict[str, Any]) -> str:
    """What a frame matches and codes; the verb it was written for does not make it another frame."""
    return json.dumps({k: v for k, v in frame.items() if k != "origin"}, sort_keys=True)


@dataclass
class Entry:
    """A verb's code and frames (each once, in order); ``blocks`` and ``own`` say where they came from."""

    code: Code
    frames: list[dict[str, Any]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    blocks: list[str] = field(default_factory=list)  # blocks whose frames it has
    own: list[dict[str, Any]] = field(default_factory=list)  # frames of no block (a phrasal verb's)

    def add(self, frame: dict[str, Any]) -> bool:
        key = _frame_key(frame)
        if key in self.seen:
            return False
        self.seen.add(key)
        self.frames.append(frame)
        return True

    def add_block(self, name: str, frames: list[dict[str, Any]]) -> None:
        for frame in frames:
            self.add(frame)
        if frames and name not in self.blocks:
            self.blocks.append(name)

    def stored(self, block_frames: dict[str, list[dict[str, Any]]]) -> tuple[list[str], list[dict[str, Any]]]:
        """The blocks and own frames the file lists for this verb: own frames, then the blocks' frames, give
        ``frames`` exactly. Where they would not (a frame in two of its blocks, a listed phrasal verb whose block
        frames come first), no blocks and all frames written out."""
        joined = self.own + [f for name in self.blocks for f in block_frames[name]]
        if [_frame_key(f) for f in joined] == [_frame_key(f) for f in self.frames]:
            return self.blocks, self.own
        return [], self.frames


def _written(node: Any, used: dict[str, list[str]]) -> Any:
    """A frame as the file writes it: synonym sets as '&NAME' references, collected in ``used``."""
    if isinstance(node, SynsetWords):
        used[node.name] = list(node)
        return "&" + node.name
    if isinstance(node, list):
        return [_written(n, used) for n in node]
    if isinstance(node, dict):
        return {k: _written(v, used) for k, v in node.items()}
    return node


def compile_verbs(
    text: str, stems: frozenset[str] = frozenset(), pattern_verbs: frozenset[str] = frozenset(),
    extra_verbs: dict[str, dict[str, str]] | None = None, extra_patterns: dict[str, list[str]] | None = None,
    block_codes: dict[str, dict[str, str]] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The verb dictionary as the file's tables 'verbs', 'blocks' and 'synsets', and its stats.

    Args:
        stems: words written as truncated stems; pattern_verbs: verbs that make a pattern a clause.
        extra_verbs: hand-written verbs, {'urge': {'block': 'DEMAND', 'code': '020'}}: listed in that block.
        extra_patterns: hand-written patterns in the dictionary's own syntax, by block: appended to it.
        block_codes: codes of a block written anew, {'SUE': {'173': '115'}}: its header, its verbs' own
            codes and its patterns' codes.
    """
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("####### VERB PATTERNS"))
    except StopIteration:
        raise LexiconSourceError(f"{VERBS_FILE}: no '####### VERB PATTERNS' line") from None
    end = next((i for i, line in enumerate(lines) if line.startswith("######## TRANSFORMATIONS")), len(lines))
    lex = Vocabulary(read_synsets(lines[:start]), stems, pattern_verbs)
    blocks, bad_lines = read_blocks(lines[start + 1 : end])
    for name, spec in (extra_verbs or {}).items():
        block = next((b for b in blocks if b.name == spec["block"]), None)
        if block is None:
            raise LexiconSourceError(f"supplement verb {name!r}: no block {spec['block']!r} in {VERBS_FILE}")
        if any(verb_key(w) == name for b in blocks for w, _ in b.verbs):
            raise LexiconSourceError(
                f"supplement verb {name!r} is already in {VERBS_FILE}; remove it from the supplement"
            )
        block.verbs.append((name.upper().replace(" ", "_"), Code.parse(spec["code"])))
    for name, lines_ in (extra_patterns or {}).items():
        block = next((b for b in blocks if b.name == name), None)
        if block is None:
            raise LexiconSourceError(f"supplement patterns: no block {name!r} in {VERBS_FILE}")
        block.patterns.extend(lines_)
    for name, recode in (block_codes or {}).items():
        block = next((b for b in blocks if b.name == name), None)
        if block is None:
            raise LexiconSourceError(f"supplement block_codes: no block {name!r} in {VERBS_FILE}")
        _recode_block(block, recode)

    single = {verb_key(w) for b in blocks for w, _ in b.verbs if " " not in verb_key(w)}
    forms = {f for b in blocks for f in b.forms} - {
        verb_key(w) for b in blocks for w, _ in b.verbs if " " in verb_key(w)
    }
    entries: dict[str, Entry] = {}
    conflicts: list[str] = []
    skipped_verbs: list[str] = []
    reasons: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    patterns = translated = 0
    phrasal: list[tuple[str, str, str, Translation]] = []  # ('put down', 'put', block name, translation)

    def set_code(key: str, code: Code, origin: str) -> None:
        entry = entries.get(key)
        if entry is None:
            entries[key] = Entry(code)
        elif entry.code != code:
            conflicts.append(f"{key}: kept {_show(entry.code)}, dropped {_show(code)} ({origin})")

    block_frames: dict[str, list[dict[str, Any]]] = {}
    for block in blocks:
        translations: list[Translation] = []
        for line in block.patterns:
            patterns += 1
            try:
                found = translate(line, lex)
            except Untranslatable as why:
                reason = str(why)
                reasons[reason] += 1
                shown = examples.setdefault(reason, [])
                if len(shown) < EXAMPLES:
                    shown.append(" ".join(line.split("#", 1)[0].split()))
                continue
            translated += 1
            translations.extend(found)
        shared = Entry(block.code)
        for t in translations:
            if t.particle is None:
                shared.add(t.frame)
        if shared.frames:
            block_frames[block.name] = shared.frames
        for written, own in block.verbs:
            key = verb_key(written)
            why_not = _not_base_form(key, single, forms)
            if why_not:
                skipped_verbs.append(f"{written} ({why_not})")
                continue
            first, _, rest = key.partition(" ")
            if first in BE_FORMS and rest:
                key = f"be {rest}"
            code = own if own is not None else block.code
            set_code(key, code, f"block {block.name}")
            entries[key].add_block(block.name, shared.frames)
            for t in translations:
                if t.particle is not None and " " not in key:
                    phrasal.append((f"{key} {t.particle}", key, block.name, t))

    # A particle right after '*' ('- * DOWN RIOT [175]') makes the phrasal verb 'put down' with the rest as
    # its frame; a bare particle ('- * FORWARD [013]') gives the phrasal verb its code, else it has its
    # verb's. A phrasal verb that the dictionary lists itself keeps its own code.
    listed = set(entries)
    bare: dict[str, Code] = {}
    for name, _, block_name, t in phrasal:
        if not t.constrained:
            code = Code(t.frame["code"], t.frame["reverse"])
            kept = entries[name].code if name in listed else bare.setdefault(name, code)
            if kept != code:
                conflicts.append(
                    f"{name}: kept {_show(kept)}, dropped {_show(code)} (bare particle in block {block_name})"
                )
    derived = {name for name, _, _, _ in phrasal} - listed
    for name, key, _, t in phrasal:
        if name not in entries:
            entries[name] = Entry(bare.get(name, entries[key].code))
        if t.constrained and entries[name].add(t.frame):
            entries[name].own.append(t.frame)

    synsets: dict[str, list[str]] = {}
    verbs: dict[str, Any] = {}
    written_out = 0
    for key, entry in entries.items():
        names, own = entry.stored(block_frames)
        written_out += bool(entry.blocks) and not names
        code, reverse = entry.code.code, entry.code.reverse
        verbs[key] = {"code": code, "reverse": reverse, "blocks": names, "frames": _written(own, synsets)}
    listed_blocks = {name for entry in verbs.values() for name in entry["blocks"]}
    tables = {
        "verbs": verbs,
        "blocks": {name: _written(frames, synsets) for name, frames in block_frames.items() if name in listed_blocks},
        "synsets": synsets,
    }
    skipped = sum(reasons.values())
    stats = {
        "verbs": len(verbs),
        "phrasal_verbs_from_patterns": len(derived),
        "frames": sum(len(e.frames) for e in entries.values()),
        "frames_stored": sum(len(v["frames"]) for v in verbs.values()) + sum(len(b) for b in tables["blocks"].values()),
        "verbs_with_block_frames_written_out": written_out,
        "patterns": patterns,
        "patterns_translated": translated,
        "patterns_skipped": skipped,
        "skipped_reasons": dict(sorted(reasons.items())),
        "skipped_examples": [ex for reason in sorted(examples) for ex in examples[reason]],
        "code_conflicts": len(conflicts),
        "code_conflict_list": conflicts,
        "verbs_skipped": skipped_verbs,
        "unreadable_lines": bad_lines,
    }
    return tables, stats


def _show(code: Code) -> str:
    if code.code is None and code.reverse is None:
        return "---"
    return (code.code or "") + (f":{code.reverse}" if code.reverse else "")


# ---------------------------------------------------------------- PLOVER table and agents


def read_plover(text: str) -> tuple[dict[str, dict[str, str]], list[str]]:
    """'190: ASSAULT, , military # ...' lines -> {'190': {'type', 'mode', 'context'}}; two-digit headers are labels."""
    table: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.fullmatch(r"(\d{3,4}):\s*(.*)", line)
        if not m:
            continue
        fields = [" ".join(f.split()) for f in m.group(2).split(",")]
        if len(fields) != 3 or not re.fullmatch(r"[A-Z]+", fields[0]):
            problems.append(raw.strip())
            continue
        entry = {"type": fields[0], "mode": fields[1], "context": fields[2]}
        old = table.setdefault(m.group(1), entry)
        if old != entry:
            problems.append(f"{raw.strip()} (kept the first {m.group(1)})")
    return table, problems


def read_agents(text: str, stems: frozenset[str]) -> tuple[dict[str, list[str]], list[str]]:
    """'OFFICIAL [~GOV]', 'HOME_!MINIST! [~GOV]' lines -> {'official': ['GOV'], 'home minister': ['GOV'], ...}.

    Compound codes ('~GOVAGR') are split into CAMEO's three-letter codes (['GOV', 'AGR']);
    irregular plurals in braces ('LAWMAN {LAWMEN}') are nouns of their own.
    """
    substitutions: dict[str, list[str]] = {}
    agents: dict[str, list[str]] = {}
    bad: list[str] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        sub = re.fullmatch(r"(![A-Z]+!)\s*=\s*(.*)", line)
        if sub:
            substitutions[sub.group(1)] = [w.strip() for w in sub.group(2).split(",") if w.strip()]
            continue
        m = re.fullmatch(r"([^\[\]]*?)\s*\[\s*(~?[A-Z]+~?)\s*\]", line)
        if not m or len(m.group(2).strip("~")) % 3:
            bad.append(raw.strip())
            continue
        code = m.group(2).strip("~")
        codes = [code[i : i + 3] for i in range(0, len(code), 3)]
        phrase = m.group(1)
        forms = [re.sub(r"\{[^}]*\}", " ", phrase)]
        forms += [f for braces in re.findall(r"\{([^}]*)\}", phrase) for f in braces.split()]
        for form in forms:
            for noun in _substituted(form, substitutions):
                words = noun.replace("_", " ").lower().split()
                if not words:
                    continue
                key = " ".join(w + "*" if w in stems else w for w in words)
                have = agents.setdefault(key, [])
                have.extend(c for c in codes if c not in have)
    return agents, bad


def _substituted(phrase: str, substitutions: dict[str, list[str]]) -> Iterator[str]:
    names = re.findall(r"![A-Z]+!", phrase)
    if not names:
        yield phrase
        return
    name = names[0]
    for value in substitutions.get(name, []):
        # '!MINIST!' stands for a word of its own: 'HOME_!MINIST!' is 'HOME_MINISTER'.
        yield from _substituted(phrase.replace(name, value, 1), substitutions)


# ---------------------------------------------------------------- the whole file

DOC = (
    "CAMEO event-coding dictionaries for kg.extract, compiled by scripts/compile_lexicons.py from {verbs} (PETRARCH2"
    " CAMEO verb dictionary, (c) 2015 Open Event Data Alliance, MIT), {plover} (CAMEO-to-PLOVER table, (c) Philip"
    " Schrodt / Open Event Data Alliance 2021, CC BY-SA 4.0) and {agents} (Phoenix agents dictionary, (c) 2014 Open"
    " Event Data Alliance, MIT), plus the hand-written scripts/lexicon_supplement.json (its entries are listed"
    " under 'hand_written', its '_doc' says why each is there). Because it adapts the PLOVER table, this file is"
    " shared under CC BY-SA 4.0; see NOTICE."
    " Regenerate with: python scripts/compile_lexicons.py ../shared/lexicons (deterministic: same sources, same bytes)."
    " 'plover': CAMEO code -> PLOVER type, mode, context (no 01x: public statements are no event). 'verbs': lemma"
    " ('kill', 'shoot down') -> default 'code' (null: no event), 'reverse' (the target->source code where the"
    " default also codes one, else null), 'blocks' and 'frames': the verb's frames are its own 'frames' (a phrasal"
    " verb's) followed by the frames of each block it lists, in that order. 'blocks': PETRARCH verb block name ->"
    " its patterns as dependency frames, shared by the block's verbs. A frame's 'code' null means 'no event' (the"
    " pattern suppresses the default); 'reverse' is the target->source code of '[042:043]' (code null with a"
    " reverse: only the reverse event). Noun phrases are lists of word alternatives, modifiers first and the head"
    " last; an alternative list is either written out or '&NAME', the synonym set 'synsets' NAME. Words are lower"
    " case as the dictionary writes them (plural or singular; match a token's lower-case form or lemma);"
    " a trailing '*' marks a truncated stem (prefix match). 'np' null: any noun phrase. 'source'/'target':"
    " 'subject', 'object' or 'prep:<prep>', where PETRARCH's '$' and '+' stand. 'negated': NOT/NO right after"
    " the verb. A pattern opening with a particle ('- * DOWN RIOT') belongs to the phrasal verb ('put down')."
    " Patterns no frame expresses (clauses with a verb of their own, adverbs, coordinations) are skipped and"
    " counted in 'stats'. 'agents': common noun -> CAMEO agent codes."
)


def read_source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconSourceError(f"cannot read {path}: {exc}") from exc


def load_supplement(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        plover, agents = data["plover"], data["agents"]
        stems, verbs, extra = data["stems"], data["pattern_verbs"], data["verbs"]
        if not all(isinstance(t, dict) for t in (plover, agents, extra)) or not all(
            isinstance(t, list) for t in (stems, verbs)
        ):
            raise TypeError("'plover', 'agents' and 'verbs' must be objects, 'stems' and 'pattern_verbs' lists")
        for name, spec in extra.items():
            if sorted(spec) != ["block", "code"]:
                raise ValueError(f"bad verb entry {name!r}: needs 'block' and 'code'")
        for code, entry in plover.items():
            if not re.fullmatch(r"\d{3,4}", code) or sorted(entry) != ["context", "mode", "type"]:
                raise ValueError(f"bad PLOVER entry {code!r}")
        for noun, codes in agents.items():
            if (
                noun != " ".join(noun.lower().split())
                or not codes
                or not all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
            ):
                raise ValueError(f"bad agent entry {noun!r}: a lower-case noun and a list of three-letter codes")
        for verb, code in data.get("codes", {}).items():
            if not isinstance(code, str) or not re.fullmatch(r"\d{3,4}", code):
                raise ValueError(f"bad code override {verb!r}: a CAMEO code string")
        for block, lines in data.get("patterns", {}).items():
            if not isinstance(lines, list) or not all(isinstance(t, str) and t.startswith("- ") for t in lines):
                raise ValueError(f"bad patterns of block {block!r}: a list of '- ...' pattern lines")
        for code, entry in data.get("recoded", {}).items():
            if not re.fullmatch(r"\d{3,4}", code) or sorted(entry) != ["context", "mode", "type"]:
                raise ValueError(f"bad recoded PLOVER entry {code!r}")
        for block, recode in data.get("block_codes", {}).items():
            if not isinstance(recode, dict) or not recode or not all(
                re.fullmatch(r"\d{3,4}", k) and isinstance(v, str) and re.fullmatch(r"\d{3,4}", v)
                for k, v in recode.items()
            ):
                raise ValueError(f"bad block_codes of block {block!r}: CAMEO code -> CAMEO code")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LexiconSourceError(f"{path}: {exc!r}") from exc
    return data


def compile_lexicons(source_dir: str | Path, supplement: Path = SUPPLEMENT) -> dict[str, Any]:
    """The content of kg/data/cameo.json from the dictionaries in ``source_dir``."""
    src = Path(source_dir)
    extra = load_supplement(supplement)
    stems = frozenset(w.lower() for w in extra["stems"])
    pattern_verbs = frozenset(w.lower() for w in extra["pattern_verbs"])

    plover, plover_problems = read_plover(read_source(src / PLOVER_FILE))
    for code, entry in extra["plover"].items():
        if code in plover:
            raise LexiconSourceError(
                f"{supplement}: code {code} is already in {PLOVER_FILE}; remove it from the supplement"
            )
        plover[code] = dict(entry)
    for code, entry in extra.get("recoded", {}).items():
        if plover.get(code) in (None, entry):
            raise LexiconSourceError(
                f"{supplement}: recoded {code} is not in {PLOVER_FILE} or is the same there;"
                " remove it from the supplement"
            )
        plover[code] = dict(entry)
    tables, stats = compile_verbs(
        read_source(src / VERBS_FILE), stems, pattern_verbs, extra["verbs"], extra.get("patterns", {}),
        extra.get("block_codes", {}),
    )
    agents, bad_agents = read_agents(read_source(src / AGENTS_FILE), stems)
    for noun, codes in extra["agents"].items():
        if noun in agents:
            raise LexiconSourceError(
                f"{supplement}: agent {noun!r} is already in {AGENTS_FILE}; remove it from the supplement"
            )
        agents[noun] = list(codes)

    verbs = tables["verbs"]
    for verb, code in extra.get("codes", {}).items():
        if verb not in verbs:
            raise LexiconSourceError(f"{supplement}: code override for {verb!r}, which {VERBS_FILE} does not list")
        verbs[verb]["code"], verbs[verb]["reverse"] = code, None
    frames = [f for v in verbs.values() for f in v["frames"]] + [f for b in tables["blocks"].values() for f in b]
    codes = {v[k] for v in verbs.values() for k in ("code", "reverse")} | {
        f[k] for f in frames for k in ("code", "reverse")
    }
    codes.discard(None)
    stats["codes_without_plover"] = sorted(c for c in codes if c not in plover and not c.startswith("01"))
    stats["plover_entries"] = len(plover)
    stats["plover_problems"] = plover_problems
    stats["agents"] = len(agents)
    stats["agent_lines_skipped"] = bad_agents
    return {
        "_doc": DOC.format(verbs=VERBS_FILE, plover=PLOVER_FILE, agents=AGENTS_FILE),
        "hand_written": {
            name: sorted(extra.get(name, ()))
            for name in ("plover", "recoded", "verbs", "agents", "codes", "patterns", "block_codes")
        },
        "plover": plover,
        **tables,
        "agents": agents,
        "stats": stats,
    }


def dumps(data: dict[str, Any]) -> str:
    """Compact JSON with one line per entry of each top-level table: small to load, readable in a diff."""

    def compact(node: Any) -> str:
        return json.dumps(node, separators=(",", ":"), sort_keys=True, ensure_ascii=False)

    def table(node: Any) -> str:
        if not isinstance(node, dict) or not node:
            return compact(node)
        return "{\n" + ",\n".join(f"{compact(k)}:{compact(node[k])}" for k in sorted(node)) + "\n}"

    return "{\n" + ",\n".join(f"{compact(k)}:{table(data[k])}" for k in sorted(data)) + "\n}\n"


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` whole: readers see the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; this is a data file for everyone
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compile the CAMEO/PLOVER/Phoenix dictionaries into kg/data/cameo.json."
    )
    parser.add_argument("source_dir", help="folder with CAMEO.2.0.txt, CAMEO2PLOVER-2021.txt, Phoenix.agents.txt")
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUT, help="output file (default: kg/data/cameo.json)"
    )
    args = parser.parse_args(argv)
    try:
        data = compile_lexicons(args.source_dir)
        write_atomic(args.output, dumps(data))
    except (LexiconSourceError, OSError) as exc:
        print(f"compile_lexicons: {exc}", file=sys.stderr)
        return 1
    s = data["stats"]
    print(
        f"{args.output}: {s['verbs']} verbs, {s['frames']} frames, {s['patterns_skipped']} of {s['patterns']} patterns"
        f" skipped, {s['code_conflicts']} code conflicts, {s['agents']} agent nouns, {s['plover_entries']} PLOVER codes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
