"""How the mood of a clause types what it reports (kg.extract.coding): intentions, refusals, conditions."""

from __future__ import annotations

import pytest

from kg.extract.coding import COOPERATIVE, HOSTILE, VERBAL_CONFLICT, with_mood
from kg.extract.modality import Mood
from kg.vocab import EventType as T


def test_the_three_groups_cover_every_type_once() -> None:
    assert COOPERATIVE | HOSTILE | VERBAL_CONFLICT == set(T)
    assert not (COOPERATIVE & HOSTILE or COOPERATIVE & VERBAL_CONFLICT or HOSTILE & VERBAL_CONFLICT)


@pytest.mark.parametrize(
    ("kind", "mood", "unless", "expected"),
    [
        (T.ASSAULT, Mood(), False, T.ASSAULT),  # "X attacked Y"
        (T.AID, Mood(future=True), False, T.AGREE),  # "X will provide aid"
        (T.RETREAT, Mood(future=True), False, T.AGREE),  # "X will withdraw"
        (T.ASSAULT, Mood(future=True), False, T.THREATEN),  # "X will strike"
        (T.PROTEST, Mood(future=True), False, T.THREATEN),  # "X would boycott"
        (T.REQUEST, Mood(future=True), False, T.REQUEST),  # "X will ask"
        (T.CONSULT, Mood(negated=True), False, T.REJECT),  # "X will not meet Y"
        (T.ASSAULT, Mood(negated=True), False, None),  # "X did not attack"
        (T.ASSAULT, Mood(possible=True), False, None),  # "X could strike"
        (T.ASSAULT, Mood(condition=True), False, None),  # "if X attacks"
        (T.ASSAULT, Mood(conditional=True), False, T.THREATEN),  # "X will strike if ..."
        (T.RETREAT, Mood(future=True), True, T.THREATEN),  # "X will withdraw unless ..."
        (T.REQUEST, Mood(obligation=True), False, None),  # "X must ask": no act yet
    ],
)
def test_mood_types_the_act(kind: T, mood: Mood, unless: bool, expected: T | None) -> None:
    assert with_mood(kind, mood, unless=unless) is expected
