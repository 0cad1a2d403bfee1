"""What a rule yields: a typed event and/or a direct edge, with its arguments and trigger.

Rules never build model records themselves: :mod:`kg.extract.assemble` turns
findings into ``Event`` and ``Relation`` records in one place (signatures,
sentence, time, place, casualty figures, duplicates).
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract.actors import Arg
from kg.vocab import EventType, Predicate


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule read in one sentence.

    ``kind`` is the PLOVER type of an event (None for a relation that is no
    event, such as memberOf); ``predicate`` the direct edge to assert between
    each actor and each target (None: an event only). ``concrete`` events are
    one occurrence; summaries ("most of the attacks") and standing stances give
    edges, not events. ``mutual``: actors and targets are all participants.
    """

    kind: EventType | None
    predicate: Predicate | None
    anchor: int  # token index of the trigger word
    actors: tuple[Arg, ...] = ()
    targets: tuple[Arg, ...] = ()
    rule: str = ""
    confidence: float = 0.7
    mutual: bool = False
    concrete: bool = True
    code: str = ""  # CAMEO code the wording gave
    mode: str = ""  # PLOVER mode (phone, visit, investigate, ...)
    context: str = ""  # PLOVER context (military, diplomatic, ...)
    qualifiers: tuple[tuple[str, str], ...] = ()  # role, quantity ...
    anchors: tuple[int, ...] = ()  # other words of the same occurrence (for time, place and figures)
    cross_sentence: bool = False  # an argument may come from another sentence (roles read from titles)
    refer_back: bool = False  # "the attacks", "its strikes": the targets are those of the attack told before
