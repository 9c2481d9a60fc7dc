"""State machine aliases in the store, so every API server of a distributed deployment sees the same ones.

Both stores get these methods from a mixin here (:class:`MemoryAliases`, :class:`RedisAliases`; Redis
keeps them in the ``sfn:aliases`` hash), and one contract suite runs against both.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Protocol, cast


@dataclass
class Alias:
    """A state machine alias: a name routing executions to one or two versions by weight."""

    arn: str
    name: str
    state_machine_arn: str
    routing: list[dict[str, Any]]
    description: str = ""
    creation_date: datetime = field(default_factory=lambda: datetime.now().astimezone())
    update_date: datetime | None = None

    def to_json(self) -> str:
        fields = asdict(self)
        fields["creation_date"] = self.creation_date.isoformat()
        fields["update_date"] = None if self.update_date is None else self.update_date.isoformat()
        return json.dumps(fields)

    @classmethod
    def from_json(cls, text: str) -> Alias:
        fields = json.loads(text)
        fields["creation_date"] = datetime.fromisoformat(fields["creation_date"])
        if fields.get("update_date") is not None:
            fields["update_date"] = datetime.fromisoformat(fields["update_date"])
        return cls(**fields)


class Aliases(Protocol):
    def put_alias(self, alias: Alias) -> None: ...
    def get_alias(self, arn: str) -> Alias | None: ...
    def list_aliases(self) -> list[Alias]: ...
    def delete_alias(self, arn: str) -> None: ...


class MemoryAliases:
    """Aliases of :class:`orchestrator.store.memory.MemoryStore` (copies in and out, as Redis would)."""

    def _alias_table(self) -> tuple[threading.Lock, dict[str, str]]:
        return cast(
            "tuple[threading.Lock, dict[str, str]]",
            self.__dict__.setdefault("_aliases_table", (threading.Lock(), {})),
        )

    def put_alias(self, alias: Alias) -> None:
        lock, table = self._alias_table()
        with lock:
            table[alias.arn] = alias.to_json()

    def get_alias(self, arn: str) -> Alias | None:
        lock, table = self._alias_table()
        with lock:
            found = table.get(arn)
        return None if found is None else Alias.from_json(found)

    def list_aliases(self) -> list[Alias]:
        lock, table = self._alias_table()
        with lock:
            texts = list(table.values())
        return [Alias.from_json(text) for text in texts]

    def delete_alias(self, arn: str) -> None:
        lock, table = self._alias_table()
        with lock:
            table.pop(arn, None)


class RedisAliases:
    """Aliases of :class:`orchestrator.store.redis.RedisStore`."""

    _redis: Any
    keys: Any

    def put_alias(self, alias: Alias) -> None:
        self._redis.hset(self.keys.aliases, alias.arn, alias.to_json())

    def get_alias(self, arn: str) -> Alias | None:
        found = self._redis.hget(self.keys.aliases, arn)
        return None if found is None else Alias.from_json(found)

    def list_aliases(self) -> list[Alias]:
        return [Alias.from_json(text) for text in self._redis.hvals(self.keys.aliases)]

    def delete_alias(self, arn: str) -> None:
        self._redis.hdel(self.keys.aliases, arn)
