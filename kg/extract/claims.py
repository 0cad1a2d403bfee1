"""Claims: a figure as one article reports it, never merged with another outlet's.

"At least 102 attacks since October 17" and "over 165 times since mid-October" are
two claims, each with its hedge, its period, whom it is about (the troops' owner,
the attacks' target, the casualties' side) and who the text credits with it
("according to the Pentagon", "Washington has recorded"). Figures an event
already carries ("three soldiers were killed") are not repeated as claims.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from spacy.tokens import Span, Token

from kg.extract import dates, parse, syntax
from kg.extract.actors import Arg, noun_forms, unique_args
from kg.extract.occurrence import Occurrences
from kg.extract.reading import Reading
from kg.model import Claim

# Entity labels of numbers that are no counts ("October 17", "5.8%", "first").
NOT_COUNTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL", "QUANTITY"})


def claims(reading: Reading, used: set[int]) -> Iterator[Claim]:
    """Every figure of the article but those at token indexes ``used`` (carried by events)."""
    reader = _ClaimReader(reading)
    for n in range(len(reading.units)):
        span = reading.unit_span(n)
        for token in reading.tokens[span.start : span.end]:
            i = token.i
            # a figure is a number or a 'no' (see claim_at): the other words are passed over here, unread
            if i not in used and (reading.pos[i] == "NUM" or reading.lowers[i] == "no" or token.like_num):
                claim = reader.claim_at(token, span)
                if claim is not None:
                    yield claim


class _ClaimReader:
    def __init__(self, reading: Reading) -> None:
        self.r = reading
        self.occ = Occurrences(reading)
        lex = reading.lexicon
        self.measure_of = {form: m for m, forms in lex.claims.measures.items() for form in forms}
        self.victim_kind = self.occ.victim_kind
        self.victim_nouns = lex.claims.victim_nouns | lex.membership.member_nouns
        self.dead_words = lex.claims.dead_words
        self.times_nouns = lex.claims.times_nouns
        self.approximations = lex.claims.approximations
        self.report_verbs = lex.claims.report_verbs
        self.speech_verbs = lex.clauses.speech | self.report_verbs
        self.attribution_heads = lex.claims.attribution_heads
        self.holder_verbs = lex.deployment.holder_verbs
        self.participles = lex.deployment.participles
        self.assault_verbs = lex.assault_verbs

    def _args(self, tokens: Iterable[Token], members: bool = False) -> list[Arg]:
        return unique_args(a for t in tokens for a in self.r.args(t, members=members))

    def claim_at(self, t: Token, span: Span) -> Claim | None:
        bare = False
        if t.lower_ == "no" and t.dep_ == "det":
            noun, value = t.head, 0
            if not self._existential(noun):
                return None
        elif t.pos_ == "NUM" or t.like_num:
            if t.ent_type_ in NOT_COUNTS:
                return None
            number = self.occ.number(t)
            if number is None:
                return None
            value = number
            if t.dep_ == "nummod":
                noun = t.head
                while noun.dep_ == "compound" and noun.head.i > noun.i:
                    noun = noun.head  # "more than 150 drone strikes"
            elif t.dep_ == "conj":
                # "about 2,500 troops in Iraq and nearly 900 in Syria": the count shares the noun
                noun = t.head
                while noun.pos_ == "NUM" and noun.dep_ in ("conj", "nummod") and not parse.is_root(noun):
                    noun = noun.head
                bare = True
                if noun.pos_ != "NOUN":
                    return None
            elif t.dep_ in ("nsubj", "nsubjpass", "dobj"):
                noun, bare = t, True  # "more than 40 were injured"
            else:
                return None
        else:
            return None
        measure, verb = self._measure(noun)
        if measure is None or (value == 0 and measure == "troops"):
            return None
        approximation, first = self.occ.approximation(t)
        if measure == "attacks" and verb is not None and noun.lemma_.lower() in self.times_nouns:
            first = first or t
            if noun.dep_ == "pobj" and noun.head.lower_ in self.approximations:
                approximation, first = noun.head.lower_, noun.head
        start = (first or t).idx
        last = t if bare else noun
        subject = self._subject(measure, noun, verb)
        anchors = self._anchors(noun, verb)
        source, speech = self._source(noun, span)
        if speech is not None:
            anchors.append(speech)
        since, when = self._when(anchors, span)
        places = self._places_in([t] if bare else [noun, *self._counted_things(noun, verb)])
        return Claim(
            article_id=self.r.article.id,
            measure=measure,
            value=str(value),
            approximation=approximation,
            start=start,
            end=last.idx + len(last.text),
            sentence_start=span.start_char,
            sentence_end=span.end_char,
            subject=subject.ref if subject else None,
            source=source.ref if source else None,
            places=tuple(p.ref for p in places),
            since=since.value if since else None,
            since_text=since.text if since else None,
            time=when.value if when else None,
            time_text=when.text if when else None,
            rule="claim-" + ("times" if noun.lemma_.lower() in self.times_nouns else "count" if value else "none"),
        )

    @staticmethod
    def _existential(noun: Token) -> bool:
        """'There have been no attacks since February 4'."""
        head = noun.head
        return (
            noun.dep_ in ("attr", "nsubj") and head.lemma_ == "be"
            and any(c.dep_ == "expl" for c in parse.children(head))
        )

    def _measure(self, noun: Token) -> tuple[str | None, Token | None]:
        """What a counted noun measures, and the verb a count of 'times' hangs on."""
        if noun.lemma_.lower() in self.times_nouns:
            verb = noun.head.head if noun.dep_ == "pobj" else noun.head
            if verb.pos_ == "VERB" and verb.lemma_.lower() in self.assault_verbs:
                return "attacks", verb
            return None, None
        victim = self._victim_measure(noun)
        if victim is not None:
            return victim, None
        forms = noun_forms(noun)
        for child in parse.children(noun):
            if child.dep_ == "compound" and child.i == noun.i - 1:
                forms |= {f"{child.lower_} {f}" for f in noun_forms(noun)}
        for form in sorted(forms, key=lambda k: (-len(k.split()), k)):
            if form in self.measure_of:
                measure = self.measure_of[form]
                if measure in ("fatalities", "injuries", "attacks") or self._victim_measure(noun) is None:
                    return measure, None
        return None, None

    def _victim_measure(self, noun: Token) -> str | None:
        if not (noun_forms(noun) & self.victim_nouns or noun.pos_ == "NUM"):
            return None
        head = noun.head
        lemma = head.lemma_.lower()
        if noun.dep_ == "nsubjpass" and lemma in self.victim_kind:
            return self.victim_kind[lemma]
        if noun.dep_ == "nsubj" and lemma in ("die", "perish"):
            return "fatalities"
        if noun.dep_ == "dobj" and lemma in self.victim_kind and head.tag_ != "VBN":
            return self.victim_kind[lemma]
        if noun.dep_ == "dobj" and any(
            c.dep_ in ("oprd", "acomp", "xcomp") and c.lower_ in self.dead_words for c in parse.children(head)
        ):
            return "fatalities"  # "left eight fighters dead"
        for child in parse.children(noun):
            if child.dep_ in ("acl", "amod") and child.lemma_.lower() in self.victim_kind and child.tag_ == "VBN":
                return self.victim_kind[child.lemma_.lower()]
        return None

    def _subject(self, measure: str, noun: Token, verb: Token | None) -> Arg | None:
        """Whom a figure is about: the troops' owner, the attacks' target, the casualties' side."""
        found: list[Arg] = []
        if measure == "troops":
            found = self.r.actors.owners(noun)
            if not found and noun.dep_ == "dobj" and noun.head.lemma_.lower() in self.holder_verbs:
                found = self._args(syntax.subjects(noun.head))
        elif measure == "attacks":
            if verb is not None:
                tokens = syntax.passive_subjects(verb) if syntax.is_passive(verb) else syntax.direct_objects(verb)
                found = self._args(tokens, members=True)
            else:
                found = self._args(syntax.prep_objects(noun, ("on", "against", "targeting")))
                for child in parse.children(noun):
                    if child.dep_ == "acl" and child.lemma_.lower() in self.assault_verbs:
                        found.extend(self._args(syntax.direct_objects(child), members=True))
                head = noun.head
                if not found and noun.dep_ in ("nsubj", "attr") and head.pos_ in ("VERB", "AUX"):
                    if head.lemma_.lower() in self.assault_verbs:
                        found = self._args(syntax.direct_objects(head), members=True)
                    else:
                        found = self._args(syntax.prep_objects(head, ("on", "against")))
        else:
            found = self._args(syntax.prep_objects(noun, ("to", "among"))) or self.r.actors.owners(noun)
        found = [a for a in found if a.kinds() & {"Actor", "Site"}]
        return found[0] if found else None

    @staticmethod
    def _counted_things(noun: Token, verb: Token | None) -> list[Token]:
        """Where to look for the places a figure is about: the noun, the attacked troops, 'on our troops'."""
        things: list[Token] = []
        if verb is not None:
            things.extend(c for c in parse.children(verb) if c.dep_ in ("nsubjpass", "dobj"))
        things.extend(syntax.prep_objects(noun, ("on", "against")))
        head = noun.head
        if noun.dep_ in ("attr", "nsubj") and head.pos_ in ("VERB", "AUX"):
            things.extend(syntax.prep_objects(head, ("on", "against")))
            things.extend(c for c in parse.children(head) if c.dep_ == "dobj")
        return things

    def _places_in(self, tokens: Sequence[Token]) -> list[Arg]:
        """Places named around counted things: 'attacks in Iraq', 'troops based in Iraq and Syria'."""
        participles = [
            c for t in tokens for c in parse.children(t) if c.dep_ in ("acl", "amod") and c.lower_ in self.participles
        ]
        return self.occ.places([*tokens, *participles])

    @staticmethod
    def _anchors(noun: Token, verb: Token | None) -> list[Token]:
        anchors = [noun]
        governor = verb or syntax.governing_verb(noun)
        if governor is not None:
            anchors.append(governor)
            anchors.extend(c for c in parse.children(governor) if c.dep_ in ("aux", "auxpass"))
        return anchors

    def _source(self, noun: Token, span: Span) -> tuple[Arg | None, Token | None]:
        """Who reports the figure: 'according to X', 'X has recorded N', 'X told reporters that ...'."""
        for token in span:
            if token.lower_ != "according":
                continue
            for pobj in syntax.prep_objects(token, ("to",)):
                found = self.r.args(pobj, expand=False)
                if not found and noun_forms(pobj) & self.attribution_heads:
                    found = self._args(syntax.prep_objects(pobj, ("from", "by", "of")))
                found = [a for a in found if "Actor" in a.kinds()]
                if found:
                    return found[0], None
        node = noun
        for _ in range(6):
            if parse.is_root(node):
                break
            if node.dep_ == "dobj" and node.head.lemma_.lower() in self.report_verbs:
                found = [a for a in self._args(syntax.subjects(node.head)) if "Actor" in a.kinds()]
                if found:
                    return found[0], node.head
            if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_.lower() in self.speech_verbs:
                found = [a for a in self._args(syntax.subjects(node.head)) if "Actor" in a.kinds()]
                return (found[0], node.head) if found else (None, node.head)
            node = node.head
        return None, None

    def _when(self, anchors: Sequence[Token], span: Span) -> tuple[dates.When | None, dates.When | None]:
        """The period a count runs from ('since mid-October') and the date it is given for ('on Tuesday')."""
        since = when = None
        for found in dates.dates_near(self.r, anchors, span):
            if found.since and since is None:
                since = found
            elif not found.since and when is None:
                when = found
            if since is not None and when is not None:
                break
        return since, when
