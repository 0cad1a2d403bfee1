"""Findings into records: direct-edge evidence (``Relation``) and events (``Event``), in one place.

For every finding with a predicate, each actor-target pair (or, for mutual types,
each pair of participants) that fits the predicate's signature and lies in the
trigger's sentence becomes one piece of evidence, dated by :mod:`kg.extract.dates`.
Concrete findings of a PLOVER type become events: findings of one type whose
triggers tell one occurrence (:class:`kg.extract.occurrence.Occurrences`) make one
event with the union of their participants, its place, date and casualty figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from spacy.tokens import Span

from kg.extract import dates, parse, syntax
from kg.extract.actors import PLACE_RANK, SITE_CLASSES, Arg, unique_args
from kg.extract.findings import Finding
from kg.extract.occurrence import Occurrences
from kg.extract.reading import Reading
from kg.model import Event, Ref, Relation
from kg.vocab import SYMMETRIC_PREDICATES, EventType

# Event types that are material acts: only one concrete occurrence makes an event.
MATERIAL = frozenset({EventType.ASSAULT, EventType.COERCE})


# How many sentences back "the attacks" may refer.
REFER_BACK_WINDOW = 2


def resolve_references(reading: Reading, findings: Sequence[Finding]) -> list[Finding]:
    """Give findings about 'the attacks' / 'its strikes' the targets of the latest attack told before."""
    resolved: list[Finding] = []
    earlier: list[Finding] = []
    for f in sorted(findings, key=lambda f: f.anchor):
        if f.refer_back and not f.targets:
            unit = reading.sent_of[f.anchor]
            for before in reversed(earlier):
                if unit - reading.sent_of[before.anchor] > REFER_BACK_WINDOW:
                    break
                if before.kind is EventType.ASSAULT and before.targets:
                    f = replace(f, targets=before.targets, cross_sentence=True)
                    break
        if f.kind is EventType.ASSAULT and f.targets and f.rule != "noun-standing":  # acts, not "the war"
            earlier.append(f)
        resolved.append(f)
    return resolved


class Assembler:
    def __init__(self, reading: Reading) -> None:
        self.r = reading
        self.signatures = reading.lexicon.signatures
        self.occurrences = Occurrences(reading)
        self.used_numbers: set[int] = set()  # figures events carry: claims do not repeat them

    # ------------------------------------------------------------------ relations
    def relations(self, findings: Iterable[Finding]) -> list[Relation]:
        found: dict[tuple[str, str, str, int], _Keyed] = {}
        for f in findings:
            if f.predicate is None:
                continue
            unit = self.r.unit_of[f.anchor]
            if unit < 0:
                continue
            span = self.r.unit_span(unit)
            quals: list[tuple[str, str]] | None = None  # a date costs a dateparser call: only once a pair holds
            for pair in self._pairs(f):
                oriented = self._admitted(f, *pair, unit)
                if oriented is None:
                    continue
                if quals is None:
                    quals = self._qualifiers(f, span)
                relation = self._relation(f, *oriented, span, quals)
                key = (relation.subject_key, f.predicate.value, relation.object_key, unit)
                old = found.get(key)
                if old is None or old.relation.confidence < relation.relation.confidence:
                    found[key] = relation
        ordered = sorted(found.values(), key=lambda k: (k.relation.sentence_start, k.relation.predicate,
                                                        k.relation.subject.start, k.relation.object.start))
        return [k.relation for k in ordered]

    @staticmethod
    def _pairs(f: Finding) -> list[tuple[Arg, Arg]]:
        if f.mutual and not f.targets:
            # "X and Y met": each pair of parties; "X met Y and Z" pairs X with each, not Y with Z
            return [(a, b) for i, a in enumerate(f.actors) for b in f.actors[i + 1 :]]
        return [(a, t) for a in f.actors for t in f.targets]

    def _qualifiers(self, f: Finding, span: Span) -> list[tuple[str, str]]:
        """The finding's qualifiers, with the date attached to its trigger words when it has none."""
        quals = list(f.qualifiers)
        if not any(k in ("time", "time_text") for k, _ in quals):
            anchors = [self.r.doc[i] for i in (f.anchor, *f.anchors)]
            quals.extend(dates.qualifiers(dates.attached(self.r, anchors, span)))
        return quals

    def _admitted(self, f: Finding, s: Arg, o: Arg, unit: int) -> tuple[Arg, Arg] | None:
        """The pair as the relation's (subject, object), or None if the predicate does not hold between them."""
        assert f.predicate is not None
        predicate = f.predicate.value
        if s.key == o.key or s.proxy or o.proxy:
            return None
        allowed_s, allowed_o = self.signatures[predicate]
        if not (s.kinds() & allowed_s) or not (o.kinds() & allowed_o):
            return None
        if not f.cross_sentence and any(self.r.unit_of[a.token] != unit for a in (s, o) if a.token >= 0):
            return None
        if predicate == "locatedIn" and not _smaller(s, o):
            return None
        if predicate in SYMMETRIC_PREDICATES and s.key > o.key:
            return o, s
        return s, o

    def _relation(self, f: Finding, s: Arg, o: Arg, span: Span, quals: Sequence[tuple[str, str]]) -> _Keyed:
        assert f.predicate is not None
        predicate = f.predicate.value
        described = [
            (f"{role}_descriptor", a.descriptor) for role, a in (("subject", s), ("object", o)) if a.descriptor
        ]
        described += [(f"{role}_sector", a.sector) for role, a in (("subject", s), ("object", o)) if a.sector]
        relation = Relation(
            article_id=self.r.article.id,
            subject=s.ref,
            predicate=predicate,
            object=o.ref,
            sentence_start=span.start_char,
            sentence_end=span.end_char,
            rule=f.rule,
            confidence=f.confidence,
            qualifiers=tuple(dict.fromkeys([*quals, *described])),
        )
        return _Keyed(relation, s.key, o.key)

    # ------------------------------------------------------------------ events
    def events(self, findings: Iterable[Finding]) -> list[Event]:
        by_unit: dict[tuple[int, EventType], list[Finding]] = {}
        for f in findings:
            if f.kind is None or not f.concrete:
                continue
            unit = self.r.unit_of[f.anchor]
            if unit < 0:
                continue
            if f.kind in MATERIAL and not self.occurrences.concrete(self.r.doc[f.anchor], self.r.unit_span(unit)):
                continue
            by_unit.setdefault((unit, f.kind), []).append(f)
        found: list[Event] = []
        for (unit, kind), group in sorted(by_unit.items(), key=lambda item: (item[0][0], item[0][1].value)):
            tokens = [self.r.doc[f.anchor] for f in group]
            for occurrence in self.occurrences.group(tokens):
                members = [f for f in group if self.r.doc[f.anchor] in occurrence]
                event = self._event(kind, members, unit)
                if event is not None:
                    found.append(event)
        return sorted(found, key=lambda e: (e.sentence_start, e.trigger_start, e.kind))

    def _event(self, kind: EventType, members: list[Finding], unit: int) -> Event | None:
        span = self.r.unit_span(unit)
        predicate = members[0].predicate.value if members[0].predicate else None
        allowed_s, allowed_o = self.signatures[predicate] if predicate else (frozenset({"Actor"}),) * 2
        actors = unique_args(a for f in members for a in f.actors if a.kinds() & allowed_s)
        # an actor is no target of its own act, but "Syrian Kurds protested against Syria": people of a
        # state (a proxy) may act against the state itself
        raw_targets = unique_args(
            t for f in members for t in f.targets
            if not any(a.key == t.key and (not a.proxy or t.proxy) for a in actors)
        )
        targets = [t for t in raw_targets if t.kinds() & allowed_o]
        struck_places = [t for t in raw_targets if not t.kinds() & allowed_o and t.top == "Place"]
        mutual = any(f.mutual for f in members)
        if mutual:
            participants = [("participant", a.ref) for a in unique_args([*actors, *targets])]
            if len(participants) < 2 and not struck_places:
                return None
        anchors = [self.r.doc[i] for f in members for i in (f.anchor, *f.anchors)]
        if not mutual:
            if not targets:
                # "imposed a curfew in X", "shelled X", "blockaded X": the place the act is aimed at
                objects = [o for a in anchors for o in [*syntax.direct_objects(a), *(p for _, p in syntax.preps(a))]]
                places = struck_places or self.occurrences.places(anchors) or self.occurrences.places(objects)
                # the most precise place that is no actor's own ("a curfew in Cizre in southeastern Turkey")
                places = [p for p in places if p.key not in {a.key for a in actors}]
                targets = sorted(places, key=lambda p: (PLACE_RANK.get(p.cls, 1.5), p.ref.start))[:1]
            participants = [("actor", a.ref) for a in actors] + [("target", t.ref) for t in targets]
        if not participants:
            return None
        primary = min((self.r.doc[f.anchor] for f in members), key=lambda t: (t.pos_ != "VERB", t.tag_ == "NNS", t.i))
        casualties = self.occurrences.casualties(anchors) if kind is EventType.ASSAULT else None
        if casualties is not None:
            self.used_numbers |= casualties.used
            anchors.extend(casualties.anchors)
        places = self.occurrences.places(anchors) or struck_places
        if not places:
            places = [t for t in targets if t.cls in SITE_CLASSES]
        place = min(places, key=lambda a: (PLACE_RANK.get(a.cls, 1.5), a.ref.start)) if places else None
        when = dates.attached(self.r, anchors, span)
        start = primary.idx
        for child in parse.children(primary):
            # "drone strike", "phone conversation": the trigger with the compound before it
            if child.dep_ == "compound" and child.i == primary.i - 1 and child.pos_ == "NOUN":
                start = child.idx
        first = (
            next(f for f in members if f.anchor == primary.i)
            if any(f.anchor == primary.i for f in members)
            else members[0]
        )
        descriptors = tuple(dict.fromkeys(
            (role, a.descriptor or "", a.sector or "")
            for role, args in (("actor", actors), ("target", targets))
            for a in args
            if a.descriptor or a.sector
        ))
        return Event(
            article_id=self.r.article.id,
            kind=kind.value,
            trigger_start=start,
            trigger_end=primary.idx + len(primary.text),
            sentence_start=span.start_char,
            sentence_end=span.end_char,
            participants=tuple(dict.fromkeys(participants)),
            place=place.ref if place else None,
            time=when.value if when else None,
            time_text=when.text if when else None,
            quantities=tuple((k, str(v)) for k, v in sorted(casualties.counts.items())) if casualties else (),
            rule=first.rule,
            mode=first.mode,
            context=first.context,
            code=first.code,
            descriptors=descriptors,
        )


class _Keyed:
    """A relation with the identity keys of its two arguments (for duplicates)."""

    __slots__ = ("object_key", "relation", "subject_key")

    def __init__(self, relation: Relation, subject_key: str, object_key: str) -> None:
        self.relation = relation
        self.subject_key = subject_key
        self.object_key = object_key


def _smaller(a: Arg, b: Arg) -> bool:
    ra, rb = PLACE_RANK.get(a.cls), PLACE_RANK.get(b.cls)
    return ra is not None and rb is not None and ra < rb


def refs(args: Iterable[Arg]) -> tuple[Ref, ...]:
    return tuple(a.ref for a in args)
