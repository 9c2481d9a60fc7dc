"""States.UUID(): a random (version 4) UUID."""

from __future__ import annotations

import uuid


def uuid_() -> str:
    """``States.UUID()``."""
    return str(uuid.uuid4())
