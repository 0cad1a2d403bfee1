"""From a coded verb and the mood of its clause to the PLOVER type of what the sentence reports.

Event coders read intentions and refusals as events of their own: an announced
or promised cooperative act is AGREE ("will provide aid", "promised to
withdraw"), an announced hostile one is THREATEN ("would boycott", "will strike
unless ..."), a refused or failed cooperative act is REJECT ("will not accept",
"failed to reach agreement"); a denied, hypothetical or merely conditional act
is no event at all ("did not attack", "could strike", "if attacked").
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from kg.extract import parse
from kg.extract.actors import Arg
from kg.extract.modality import Mood
from kg.vocab import EventType

COOPERATIVE = frozenset({
    EventType.AGREE, EventType.CONSULT, EventType.SUPPORT, EventType.COOPERATE, EventType.AID,
    EventType.CONCEDE, EventType.RETREAT,
})
HOSTILE = frozenset({EventType.PROTEST, EventType.SANCTION, EventType.MOBILIZE, EventType.COERCE, EventType.ASSAULT})
VERBAL_CONFLICT = frozenset({EventType.REQUEST, EventType.ACCUSE, EventType.REJECT, EventType.THREATEN})
ACCORD_CODE = "057"  # CAMEO: sign formal agreement


def intended(kind: EventType) -> EventType:
    """What announcing or promising an act of this type is."""
    if kind in COOPERATIVE:
        return EventType.AGREE
    if kind in HOSTILE:
        return EventType.THREATEN
    return kind


def refused(kind: EventType) -> EventType | None:
    """What refusing, failing or declining an act of this type is (None: no event)."""
    return EventType.REJECT if kind in COOPERATIVE else None


def with_mood(kind: EventType, mood: Mood, *, unless: bool = False) -> EventType | None:
    """The type of an act of ``kind`` reported in a clause of this mood (None: no event).

    Args:
        unless: the clause carries an 'unless' condition, the shape of a threat.
    """
    if mood.condition:
        return None
    if mood.negated:
        return refused(kind)
    if unless and kind not in VERBAL_CONFLICT:
        return EventType.THREATEN
    if mood.future or mood.conditional:
        return intended(kind)
    if mood.possible or mood.obligation:
        return None
    return kind


def bilateral(kind: EventType, code: str, actors: Sequence[Arg], targets: Sequence[Arg], anchor: Token) -> bool:
    """Is this an accord both sides made ('X and Y agreed', 'X reached a deal *with* Y')?

    An accord is AGREE or a formal agreement (CAMEO 057); agreeing *to* another's
    proposal, or offering to act *with* Y ('offered to negotiate with Y'), stays one side's act.
    """
    if kind is not EventType.AGREE and not code.startswith(ACCORD_CODE):
        return False
    if not targets:
        return len({a.token for a in actors}) > 1
    doc = anchor.doc
    holders = {anchor.i} | {c.i for c in parse.children(anchor) if c.dep_ == "dobj"}
    return bool(actors) and all(
        a.token >= 0 and doc[a.token].head.lower_ in ("with", "between") and doc[a.token].head.head.i in holders
        for a in targets
    )
