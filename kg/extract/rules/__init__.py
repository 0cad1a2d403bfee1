"""Rule modules: each reads a :class:`kg.extract.reading.Reading` and yields findings.

``find(reading) -> Iterator[Finding]`` is the whole interface; no rule reads
another's state. :data:`RULES` is the order they run in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kg.extract.findings import Finding
from kg.extract.reading import Reading
from kg.extract.rules import (
    affiliation,
    attribution,
    membership,
    nominal,
    places,
    roles,
    verbal,
)

RULES: tuple[Callable[[Reading], Iterator[Finding]], ...] = (
    verbal.find, nominal.find, attribution.find, roles.find, membership.find, affiliation.find, places.find,
)
