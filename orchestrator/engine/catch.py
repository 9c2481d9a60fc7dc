"""Catch: the first catcher whose ``ErrorEquals`` matches the error (ASL spec, "Fallback states")."""

from __future__ import annotations

from collections.abc import Sequence

from orchestrator.asl.models import Catcher
from orchestrator.engine.errors import matches


def find_catcher(catchers: Sequence[Catcher], error: str) -> Catcher | None:
    for catcher in catchers:
        if matches(catcher.error_equals, error):
            return catcher
    return None
