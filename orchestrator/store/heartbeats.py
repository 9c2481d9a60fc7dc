"""Coordinators' heartbeats in Redis, what ``sfn status`` shows: a key per coordinator that expires with
its TTL (alive or not) and a hash of each one's last report. A mixin of
:class:`orchestrator.store.redis.RedisStore`; the memory store has no coordinators to report.
"""

from __future__ import annotations

import json
from typing import Any, cast


class RedisHeartbeats:
    _redis: Any
    keys: Any

    def heartbeat_coordinator(self, owner: str, info: dict[str, Any], ttl_seconds: float) -> None:
        """Record that coordinator ``owner`` is alive (for ``ttl_seconds``) and what it reports."""
        text = json.dumps(info)
        with self._redis.pipeline(transaction=False) as pipe:
            pipe.set(self.keys.coordinator(owner), text, px=max(1, int(ttl_seconds * 1000)))
            pipe.hset(self.keys.coordinators, owner, text)
            pipe.execute()

    def forget_coordinator(self, owner: str) -> None:
        """Coordinator ``owner`` stopped: drop its heartbeat."""
        with self._redis.pipeline(transaction=False) as pipe:
            pipe.delete(self.keys.coordinator(owner))
            pipe.hdel(self.keys.coordinators, owner)
            pipe.execute()

    def coordinators(self) -> list[dict[str, Any]]:
        """Every coordinator's last heartbeat, with ``owner`` and ``alive`` (its heartbeat has not expired)."""
        known = cast("dict[str, str]", self._redis.hgetall(self.keys.coordinators))
        owners = sorted(known)
        with self._redis.pipeline(transaction=False) as pipe:
            for owner in owners:
                pipe.exists(self.keys.coordinator(owner))
            alive = pipe.execute() if owners else []
        return [
            {**json.loads(known[owner]), "owner": owner, "alive": bool(up)}
            for owner, up in zip(owners, alive, strict=True)
        ]
