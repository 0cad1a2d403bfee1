from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from kg.gazetteer import Gazetteer, GazetteerEntry

# Fuzzing budgets (tests/test_fuzz_*.py). "ci", the default, is bounded and derandomized so a CI
# run is repeatable and quick; "long" explores far more, with fresh random cases each run:
#   HYPOTHESIS_PROFILE=long python -m pytest -m fuzz
# The model-driven fuzz tests scale their own (smaller) budgets from max_examples.
settings.register_profile(
    "ci", max_examples=300, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", max_examples=4000, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds"


@pytest.fixture
def small_gazetteer() -> Gazetteer:
    """A hand-made gazetteer for tests that must not depend on the shipped data."""
    entries = [
        GazetteerEntry("united-states", "United States", "Country", ("US", "U.S.", "Washington"), (), ("American",)),
        GazetteerEntry("iraq", "Iraq", "Country", ("Iraqi government",), (), ("Iraqi",)),
        GazetteerEntry("popular-mobilization-forces", "Popular Mobilization Forces", "ArmedGroup",
                       ("Hashd al-Shaabi", "PMF")),
        GazetteerEntry("global-coalition-to-defeat-isis", "Global Coalition to Defeat ISIS", "InternationalOrganization",
                       ("international coalition",), ("coalition",)),
        GazetteerEntry("nechirvan-barzani", "Nechirvan Barzani", "Person"),
        GazetteerEntry("masoud-barzani", "Masoud Barzani", "Person"),
    ]
    return Gazetteer({e.id: e for e in entries})


@pytest.fixture(scope="session")
def seed_graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed articles built once with the real model, as Turtle (for tests marked ``model``)."""
    from kg.pipeline import build
    from kg.turtle import turtle_bytes

    path = tmp_path_factory.mktemp("seeds") / "graph.ttl"
    path.write_bytes(turtle_bytes(build([SEEDS]).triples()))
    return path
