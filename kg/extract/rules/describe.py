"""What an unnamed noun phrase or a modifier describes: shared by the relation rules, no rule itself.

"Kataib Hezbollah, *a network* of fighters aligned with Tehran": the network is Kataib
Hezbollah; "the group is *part* of X": the subject; "groups *backed* by Iran": the groups.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract import parse, syntax
from kg.extract.actors import Arg
from kg.extract.reading import QUANTIFIERS, Reading

# Nouns through which an 'of' phrase still describes the same actor ("a network of fighters").
_MEMBER_LEMMAS = frozenset({"fighter", "member", "militant"})


def ent_before_comma(r: Reading, token: Token) -> Arg | None:
    """The name just before the comma that opens the phrase of ``token`` ('X, an ally of Y')."""
    left = token.left_edge.i
    doc = r.doc
    if left >= 2 and doc[left - 1].text == ",":
        j = left - 2
        if doc[j].is_punct and j >= 1 and doc[j].text in ('"', "”", "'", ")"):
            j -= 1  # a closing quote or bracket after the name
            if doc[j + 1].text == ")":
                opening = next((k for k in range(j, max(j - 6, -1), -1) if doc[k].text == "("), None)
                j = opening - 1 if opening is not None else j
        ent = r.actors.ent_at.get(j)
        if ent is not None and ent.end == j + 1:
            return r.actors.ent_arg(ent)
    return None


def appos_subject(r: Reading, appos: Token) -> list[Arg]:
    """What an apposition describes: the name before its comma, else its head."""
    adjacent = ent_before_comma(r, appos)
    if adjacent is not None:
        return [adjacent]
    return r.args(appos.head, expand=False)


def described(r: Reading, noun: Token) -> list[Arg]:
    """The named actor an unnamed noun phrase describes: through apposition, umbrella 'of' chains, copulas."""
    collective = r.lexicon.membership.collective_nouns
    node = noun
    for _ in range(8):
        ent = r.actors.ent_at.get(node.i)
        if ent is not None:
            return [r.actors.ent_arg(ent)]
        named = r.actors.denote(node, expand=False)
        if named and node.lemma_.lower() in collective:
            return named
        if node.dep_ == "appos":
            adjacent = ent_before_comma(r, node)
            if adjacent is not None:
                return [adjacent]
            node = node.head
        elif node.dep_ == "conj":
            node = node.head
        elif (
            node.dep_ == "pobj"
            and node.head.lower_ in ("of", "from")
            and node.head.head.pos_ in ("NOUN", "PROPN", "ADJ")
        ):
            owner = node.head.head
            lemma = owner.lemma_.lower()
            if lemma in collective or owner.lower_ in QUANTIFIERS or lemma in _MEMBER_LEMMAS:
                node = owner
            else:
                return []
        elif node.dep_ == "attr":
            subject = syntax.copula_subject(node)
            return r.args(subject, expand=False) if subject is not None else []
        else:
            return []
    return []


def modified_noun(r: Reading, token: Token, sponsor: Arg | None = None) -> list[Arg]:
    """The actor the noun a pre-modifier attaches to stands for ('the *Iran-backed* militant organisation').

    The modifier's own actor (``sponsor``) is never what it describes: 'pro - Iranian factions'
    do not stand for Iran.
    """
    head = token
    for _ in range(4):
        if head.dep_ in ("amod", "compound", "nmod", "npadvmod", "punct", "advmod") and head.head.i > head.i:
            head = head.head
        else:
            break
    if head.pos_ not in ("NOUN", "PROPN"):
        return []
    own = [a for a in r.actors.denote(head, expand=False) if sponsor is None or a.key != sponsor.key]
    return own or _coreferent(r, head) or described(r, head)


def participle_subject(r: Reading, token: Token) -> list[Arg]:
    """What a participle or predicate describes: 'groups *backed* by X', 'X, *led* by Y', 'X is *linked* to Y'."""
    if token.dep_ in ("acl", "amod", "appos"):
        head = token.head
        return r.actors.denote(head, expand=False) or _coreferent(r, head) or described(r, head)
    if token.dep_ == "conj" and token.head.pos_ in ("VERB", "ADJ") and not parse.is_root(token):
        return participle_subject(r, token.head)
    if token.dep_ in ("relcl", "ccomp", "ROOT", "advcl", "acomp", "conj"):
        for child in parse.children(token):
            if child.dep_ in ("nsubjpass", "nsubj"):
                return r.args(child)
        if token.dep_ == "acomp" or (token.dep_ == "advcl" and token.tag_ == "VBN"):
            return [a for t in syntax.subjects(token.head) for a in r.args(t, expand=False)]
    return []


def _coreferent(r: Reading, head: Token) -> list[Arg]:
    """'the Iran-backed militant organisation': the group the description refers back to."""
    if r.coref.is_anaphor(head):
        resolved = r.coref.resolve(head)
        if resolved is not None and resolved.top == "Organization":
            return [resolved]
    return []


def title_bearer(r: Reading, noun: Token) -> list[Arg]:
    """'led by the leader of W, Y,': the person named right after a title noun phrase."""
    if (noun.lower_,) not in r.lexicon.title_table and (noun.lemma_.lower(),) not in r.lexicon.title_table:
        return []
    doc = r.doc
    comma = noun.right_edge.i + 1
    if comma + 1 >= len(doc) or doc[comma].text != ",":
        return []
    ent = r.actors.ent_at.get(comma + 1)
    if ent is None or ent.start != comma + 1 or ent.label_ != "Person":
        return []
    if ent.end < len(doc) and not doc[ent.end].is_punct:
        return []  # "..., Y said": Y opens a clause of his own
    return [r.actors.ent_arg(ent)]
