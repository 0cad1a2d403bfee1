"""kg: a knowledge-graph builder for news about political and military actors."""

from __future__ import annotations

__version__ = "0.1.0"
