"""The Redis store of the distributed runtime: :class:`~orchestrator.store.base.Store` and
:class:`~orchestrator.store.base.Coordination` over one Redis server, shared by every process.

Records, interpreter states and events are JSON. An execution moves only through the ``commit`` script
(:mod:`.scripts`), which checks the version, so two coordinators never both advance one execution.
A finished execution's keys expire after ``retention_seconds`` (90 days, as AWS keeps them); the
indexes may still name it for a while, and listing skips what has expired. Key layout: :mod:`.keys`.

Redis must not evict: a dropped key is a lost execution. ``check_eviction`` refuses a server whose
``maxmemory-policy`` is not ``noeviction``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

import redis

from orchestrator.errors import SfnError
from orchestrator.store import scripts
from orchestrator.store.activities import RedisActivities
from orchestrator.store.aliases import RedisAliases
from orchestrator.store.base import NewExecution, Post, Taken, VersionConflict
from orchestrator.store.heartbeats import RedisHeartbeats
from orchestrator.store.keys import Keys
from orchestrator.store.records import TERMINAL_STATUSES, ExecutionRecord, MapRunRecord, StateMachineRecord

if TYPE_CHECKING:
    from orchestrator.store.base import Coordination, Store

log = logging.getLogger(__name__)

DEFAULT_RETENTION_SECONDS = 90 * 86400
START_BATCH = 500  # executions started per pipeline (a DISTRIBUTED Map starts thousands at once)
ORPHAN_BATCH = 500
"""Executions checked per round trip by ``requeue_orphans``."""
DEFAULT_READY_GRACE_SECONDS = 60.0
"""How long an execution may wait in the ready list before the orphan scan counts its entry as lost (a
coordinator popped it and died before taking the lease) and pushes it again."""
INDEX_GRACE_SECONDS = 300.0
"""An index entry whose record is missing is dropped once it is this old (its record expired; a younger
one may belong to an execution being created right now)."""


class RedisStore(RedisActivities, RedisAliases, RedisHeartbeats):
    """A store shared through Redis (thread-safe: one connection pool behind every call).

    With ``check_eviction`` the constructor talks to the server once, so an unreachable server raises
    ``redis.ConnectionError`` here rather than at the first call.
    """

    def __init__(
        self,
        url: str,
        *,
        retention_seconds: float = DEFAULT_RETENTION_SECONDS,
        prefix: str = "sfn",
        check_eviction: bool = True,
        ready_grace_seconds: float = DEFAULT_READY_GRACE_SECONDS,
    ) -> None:
        self.url = url
        self.ready_grace_ms = max(1, int(ready_grace_seconds * 1000))
        self.keys = Keys(prefix)
        self.retention_ms = max(1, int(retention_seconds * 1000))
        self._redis: redis.Redis = redis.Redis.from_url(url, decode_responses=True)
        register = self._redis.register_script
        self._create_execution = register(scripts.CREATE_EXECUTION)
        self._start_execution = register(scripts.START_EXECUTION)
        self._commit = register(scripts.COMMIT)
        self._post = register(scripts.POST)
        self._clear_outbox = register(scripts.CLEAR_OUTBOX)
        self._acquire = register(scripts.ACQUIRE)
        self._release = register(scripts.RELEASE)
        self._requeue_orphan = register(scripts.REQUEUE_ORPHAN)
        self._claim_due_timers = register(scripts.CLAIM_DUE_TIMERS)
        self._commit_settle = register(scripts.COMMIT_SETTLE)
        self._scripts = [
            self._create_execution,
            self._start_execution,
            self._commit,
            self._post,
            self._clear_outbox,
            self._acquire,
            self._release,
            self._requeue_orphan,
            self._claim_due_timers,
            self._commit_settle,
        ]
        if check_eviction:
            self.check_eviction_policy()

    def close(self) -> None:
        """Close the connection pool (the store is unusable afterwards)."""
        self._redis.close()
        self._redis.connection_pool.disconnect()

    def check_eviction_policy(self) -> None:
        """Raise :class:`SfnError` unless the server is set never to evict keys (a warning when the server
        does not let us read its configuration, as managed services often do)."""
        try:
            config = cast("dict[str, str]", self._redis.config_get("maxmemory-policy"))
        except redis.ResponseError as error:
            log.warning(
                "cannot read maxmemory-policy of Redis at %s (%s); make sure it is 'noeviction'",
                self._safe_url(),
                error,
            )
            return
        policy = config.get("maxmemory-policy", "noeviction")
        if policy != "noeviction":
            raise SfnError(
                f"Redis at {self._safe_url()} uses maxmemory-policy '{policy}', which can evict execution "
                "state; set it to 'noeviction'"
            )

    def _safe_url(self) -> str:
        """Where the server is, without the URL's credentials."""
        kwargs = self._redis.connection_pool.connection_kwargs
        where = kwargs.get("path") or f"{kwargs.get('host')}:{kwargs.get('port')}"
        return f"{where}/{kwargs.get('db', 0)}"

    def _pipelined(self, build: Callable[[Any], None]) -> list[Any]:
        """Run the commands ``build(pipe)`` queues in one round trip and return their replies.

        Scripts go in as ``EVALSHA`` (:func:`_run_script`), not through redis-py's pipelined
        ``Script``, which asks ``SCRIPT EXISTS`` first: a second round trip for every pipeline. When the
        server has lost its scripts (a restart), they are loaded and the pipeline runs again, so every
        pipeline built here must be safe to run twice (all of ours are: the scripts check before they
        write).
        """
        for attempt in (1, 2):
            with self._redis.pipeline(transaction=False) as pipe:
                build(pipe)
                try:
                    return pipe.execute()
                except redis.exceptions.NoScriptError:
                    if attempt == 2:
                        raise
                    for script in self._scripts:
                        script.sha = self._redis.script_load(script.script)
        raise AssertionError("unreachable")

    # ---- state machines -----------------------------------------------------------------------

    def put_state_machine(self, record: StateMachineRecord) -> None:
        self._redis.hset(self.keys.state_machines, record.arn, dump_record(record))

    def get_state_machine(self, arn: str) -> StateMachineRecord | None:
        found = cast("str | None", self._redis.hget(self.keys.state_machines, arn))
        return None if found is None else load_state_machine(found)

    def delete_state_machine(self, arn: str) -> None:
        self._redis.hdel(self.keys.state_machines, arn)

    def list_state_machines(self) -> list[StateMachineRecord]:
        found = cast("list[str]", self._redis.hvals(self.keys.state_machines))
        return [load_state_machine(text) for text in found]

    # ---- executions ---------------------------------------------------------------------------

    def create_execution(self, record: ExecutionRecord, state: dict[str, Any] | None) -> bool:
        started = record.start_date.timestamp()
        # Indexed first: a crash in between leaves an index entry without a record, which listing skips.
        with self._redis.pipeline(transaction=False) as pipe:
            pipe.zadd(self.keys.executions, {record.arn: started}, nx=True)
            pipe.zadd(self.keys.executions_of(record.state_machine_arn), {record.arn: started}, nx=True)
            pipe.execute()
        created = self._create_execution(
            keys=[self.keys.of_execution(record.arn).execution],
            args=[dump_record(record), record.status, json.dumps(state)],
        )
        return bool(created)

    def get_execution(self, arn: str) -> ExecutionRecord | None:
        found = cast("str | None", self._redis.hget(self.keys.of_execution(arn).execution, "record"))
        return None if found is None else load_execution(found)

    def list_executions(self, state_machine_arn: str | None = None) -> list[ExecutionRecord]:
        index = (
            self.keys.executions if state_machine_arn is None else self.keys.executions_of(state_machine_arn)
        )
        entries = cast("list[tuple[str, float]]", self._redis.zrange(index, 0, -1, withscores=True))
        with self._redis.pipeline(transaction=False) as pipe:
            for arn, _ in entries:
                pipe.hget(self.keys.of_execution(arn).execution, "record")
            found: list[str | None] = pipe.execute()
        stale_before = time.time() - INDEX_GRACE_SECONDS
        expired = [
            arn
            for (arn, started), text in zip(entries, found, strict=True)
            if text is None and started < stale_before
        ]
        if expired:
            self._redis.zrem(index, *expired)
        return [load_execution(text) for text in found if text is not None]

    def load_state(self, arn: str) -> tuple[dict[str, Any] | None, int]:
        state, version = self._redis.hmget(self.keys.of_execution(arn).execution, ["state", "version"])
        return (None if state is None else json.loads(state)), int(version or 0)

    def commit(
        self,
        arn: str,
        version: int,
        state: dict[str, Any] | None,
        events: Iterable[dict[str, Any]],
        record: ExecutionRecord | None = None,
        *,
        consumed: int = 0,
        outbox: list[dict[str, Any]] | None = None,
    ) -> int:
        keys = self.keys.of_execution(arn)
        args: list[str | int] = [
            version,
            json.dumps(state),
            "" if record is None else dump_record(record),
            "" if record is None else record.status,
            consumed,
            0 if outbox is None else 1,
            json.dumps(outbox or []),
            self.retention_ms,
            " ".join(sorted(TERMINAL_STATUSES)),
            *(json.dumps(event) for event in events),
        ]
        written, now = self._commit(keys=[keys.execution, keys.history, keys.inbox, keys.outbox], args=args)
        if not written:
            raise VersionConflict(f"{arn}: version {version} is stale (now {now})")
        return int(now)

    # ---- map runs -----------------------------------------------------------------------------

    def put_map_run(self, record: MapRunRecord) -> None:
        index = self.keys.map_runs_of(record.execution_arn)
        with self._redis.pipeline(transaction=False) as pipe:
            pipe.set(self.keys.map_run(record.arn), dump_record(record), px=self.retention_ms)
            pipe.zadd(index, {record.arn: record.start_date.timestamp()})
            pipe.pexpire(index, self.retention_ms)
            pipe.execute()

    def get_map_run(self, arn: str) -> MapRunRecord | None:
        found = cast("str | None", self._redis.get(self.keys.map_run(arn)))
        return None if found is None else load_map_run(found)

    def list_map_runs(self, execution_arn: str) -> list[MapRunRecord]:
        arns = cast("list[str]", self._redis.zrange(self.keys.map_runs_of(execution_arn), 0, -1))
        if not arns:
            return []
        found = cast("list[str | None]", self._redis.mget([self.keys.map_run(arn) for arn in arns]))
        return [load_map_run(text) for text in found if text is not None]

    def update_map_run(self, arn: str, changes: dict[str, Any]) -> MapRunRecord | None:
        key = self.keys.map_run(arn)

        def update(pipe: Any) -> MapRunRecord | None:
            text = pipe.get(key)
            if text is None:
                return None
            record = load_map_run(text)
            if record.status != "RUNNING":
                return record
            record = dataclasses.replace(record, **changes)
            pipe.multi()
            pipe.set(key, dump_record(record), keepttl=True)
            return record

        transaction = cast("Callable[..., MapRunRecord | None]", self._redis.transaction)
        return transaction(update, key, value_from_callable=True)

    # ---- history ------------------------------------------------------------------------------

    def history(self, arn: str) -> list[dict[str, Any]]:
        found = cast("list[str]", self._redis.lrange(self.keys.of_execution(arn).history, 0, -1))
        return [json.loads(text) for text in found]

    def history_length(self, arn: str) -> int:
        return int(self._redis.llen(self.keys.of_execution(arn).history))

    # ---- coordination -------------------------------------------------------------------------

    def post(self, arn: str, event: dict[str, Any]) -> None:
        self._pipelined(lambda pipe: self._queue_posts(pipe, [(arn, event)]))

    def _queue_posts(self, pipe: Any, posts: Sequence[Post]) -> None:
        for arn, event in posts:
            keys = self.keys.of_execution(arn)
            # Active before the inbox grows, so an orphan scan always sees an execution with events.
            _run_script(
                pipe,
                self._post,
                [keys.inbox, keys.execution, self.keys.active, self.keys.ready, keys.lease, self.keys.queued],
                [json.dumps(event), arn],
            )

    def start_executions(self, items: list[NewExecution], owner: str, ttl: float) -> list[str]:
        created: list[str] = []
        terminal = " ".join(sorted(TERMINAL_STATUSES))
        for first in range(0, len(items), START_BATCH):
            batch = items[first : first + START_BATCH]

            def build(pipe: Any, batch: list[NewExecution] = batch) -> None:
                for item in batch:
                    record = item.record
                    started = record.start_date.timestamp()
                    pipe.zadd(self.keys.executions, {record.arn: started}, nx=True)
                    pipe.zadd(
                        self.keys.executions_of(record.state_machine_arn), {record.arn: started}, nx=True
                    )
                    keys = self.keys.of_execution(record.arn)
                    _run_script(
                        pipe,
                        self._start_execution,
                        [keys.execution, keys.history, keys.outbox, self.keys.active, keys.lease],
                        [
                            dump_record(record),
                            record.status,
                            json.dumps(item.state),
                            json.dumps(item.outbox),
                            record.arn,
                            self.retention_ms,
                            terminal,
                            owner,
                            max(1, int(ttl * 1000)),
                            *(json.dumps(event) for event in item.events),
                        ],
                    )

            results = self._pipelined(build)
            created.extend(
                item.record.arn for item, result in zip(batch, results[2::3], strict=True) if int(result)
            )
        return created

    def inbox(self, arn: str) -> list[dict[str, Any]]:
        found = cast("list[str]", self._redis.lrange(self.keys.of_execution(arn).inbox, 0, -1))
        return [json.loads(text) for text in found]

    def outbox(self, arn: str) -> list[dict[str, Any]]:
        found = cast("str | None", self._redis.get(self.keys.of_execution(arn).outbox))
        return [] if found is None else list(json.loads(found))

    def clear_outbox(self, arn: str, version: int) -> None:
        keys = self.keys.of_execution(arn)
        self._clear_outbox(keys=[keys.execution, keys.outbox], args=[version])

    def settle_all(
        self, owner: str, versions: Sequence[tuple[str, int | None]], posts: Sequence[Post] = ()
    ) -> None:
        def build(pipe: Any) -> None:
            self._queue_posts(pipe, posts)
            for arn, version in versions:
                self._queue_settle(pipe, arn, owner, version)

        if versions or posts:
            self._pipelined(build)

    def next_ready(self, timeout: float) -> str | None:
        if timeout <= 0:  # BLPOP's 0 would block for ever
            found = cast("str | None", self._redis.lpop(self.keys.ready))
            return found
        popped = cast("tuple[str, str] | None", self._redis.blpop([self.keys.ready], timeout=timeout))
        return None if popped is None else popped[1]

    def acquire(self, arn: str, owner: str, ttl: float) -> bool:
        lease = self.keys.of_execution(arn).lease
        return bool(self._acquire(keys=[lease, self.keys.queued], args=[owner, max(1, int(ttl * 1000)), arn]))

    def release(self, arn: str, owner: str) -> None:
        keys = self.keys.of_execution(arn)
        self._release(keys=[keys.lease, keys.inbox, self.keys.ready, self.keys.queued], args=[owner, arn])

    def take(self, arn: str, owner: str, ttl: float) -> Taken | None:
        keys = self.keys.of_execution(arn)

        def build(pipe: Any) -> None:
            _run_script(
                pipe, self._acquire, [keys.lease, self.keys.queued], [owner, max(1, int(ttl * 1000)), arn]
            )
            pipe.get(keys.outbox)
            pipe.lrange(keys.inbox, 0, -1)
            pipe.hmget(keys.execution, ["state", "version"])

        acquired, outbox, inbox, (state, version) = self._pipelined(build)
        if not acquired:
            return None
        return Taken(
            outbox=[] if outbox is None else list(json.loads(outbox)),
            inbox=[json.loads(text) for text in inbox],
            state=None if state is None else json.loads(state),
            version=int(version or 0),
            size=0 if state is None else len(state),
        )

    def settle(
        self, arn: str, owner: str, version: int | None, posts: Sequence[Post] = (), *, release: bool = True
    ) -> None:
        def build(pipe: Any) -> None:
            self._queue_posts(pipe, posts)
            self._queue_settle(pipe, arn, owner, version, release=release)

        if posts or version is not None or release:
            self._pipelined(build)

    def _queue_settle(
        self, pipe: Any, arn: str, owner: str, version: int | None, *, release: bool = True
    ) -> None:
        keys = self.keys.of_execution(arn)
        if version is not None:
            _run_script(pipe, self._clear_outbox, [keys.execution, keys.outbox], [version])
        if release:
            _run_script(
                pipe, self._release, [keys.lease, keys.inbox, self.keys.ready, self.keys.queued], [owner, arn]
            )

    def commit_settle(
        self,
        arn: str,
        version: int,
        state: dict[str, Any] | None,
        events: Iterable[dict[str, Any]],
        record: ExecutionRecord | None,
        *,
        consumed: int,
        owner: str,
        posts: Sequence[Post] = (),
    ) -> int:
        keys = self.keys.of_execution(arn)
        script_keys = [
            keys.execution,
            keys.history,
            keys.inbox,
            keys.outbox,
            keys.lease,
            self.keys.ready,
            self.keys.queued,
            self.keys.active,
        ]
        post_args: list[str] = []
        for target, event in posts:
            target_keys = self.keys.of_execution(target)
            script_keys += [target_keys.inbox, target_keys.execution, target_keys.lease]
            post_args += [json.dumps(event), target]
        args: list[str | int] = [
            version,
            json.dumps(state),
            "" if record is None else dump_record(record),
            "" if record is None else record.status,
            consumed,
            self.retention_ms,
            " ".join(sorted(TERMINAL_STATUSES)),
            owner,
            arn,
            len(posts),
            *post_args,
            *(json.dumps(event) for event in events),
        ]
        written, now = self._commit_settle(keys=script_keys, args=args)
        if not written:
            raise VersionConflict(f"{arn}: version {version} is stale (now {now})")
        return int(now)

    def claim_orphan_scan(self, owner: str, seconds: float) -> bool:
        return bool(self._redis.set(self.keys.orphan_scan, owner, nx=True, px=max(1, int(seconds * 1000))))

    def requeue_orphans(self) -> int:
        active = list(self._redis.sscan_iter(self.keys.active, count=ORPHAN_BATCH))
        requeued = 0
        for first in range(0, len(active), ORPHAN_BATCH):
            batch = active[first : first + ORPHAN_BATCH]

            def build(pipe: Any, batch: list[str] = batch) -> None:
                for arn in batch:
                    keys = self.keys.of_execution(arn)
                    _run_script(
                        pipe,
                        self._requeue_orphan,
                        [
                            keys.inbox,
                            keys.outbox,
                            keys.lease,
                            self.keys.ready,
                            self.keys.active,
                            self.keys.queued,
                        ],
                        [arn, self.ready_grace_ms],
                    )

            requeued += sum(int(marked) for marked in self._pipelined(build))
        return requeued

    def add_timer(self, arn: str, timer_id: str, due: float) -> None:
        self._redis.zadd(self.keys.timers, {_timer_member(arn, timer_id): due})

    def cancel_timer(self, arn: str, timer_id: str) -> None:
        self._redis.zrem(self.keys.timers, _timer_member(arn, timer_id))

    def claim_timer(self, arn: str, timer_id: str) -> bool:
        return bool(self._redis.zrem(self.keys.timers, _timer_member(arn, timer_id)))

    def claim_due_timers(self, now: float, limit: int = 100) -> list[tuple[str, str]]:
        claimed: list[str] = self._claim_due_timers(keys=[self.keys.timers], args=[repr(now), limit])
        return [_timer_of(member) for member in claimed]

    def next_timer_due(self) -> float | None:
        first = cast("list[tuple[str, float]]", self._redis.zrange(self.keys.timers, 0, 0, withscores=True))
        return float(first[0][1]) if first else None


def _run_script(pipe: Any, script: Any, keys: list[str], args: list[Any]) -> None:
    """Queue ``script`` on ``pipe`` by its SHA (see :meth:`RedisStore._pipelined`)."""
    pipe.evalsha(script.sha, len(keys), *keys, *args)


def _timer_member(arn: str, timer_id: str) -> str:
    return json.dumps([arn, timer_id])


def _timer_of(member: str) -> tuple[str, str]:
    arn, timer_id = json.loads(member)
    return str(arn), str(timer_id)


# ---- records as JSON (datetimes as ISO 8601 text, time zone included) ----------------------------------

Record = TypeVar("Record", StateMachineRecord, ExecutionRecord, MapRunRecord)


def dump_record(record: StateMachineRecord | ExecutionRecord | MapRunRecord) -> str:
    fields = {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in record.to_dict().items()
    }
    return json.dumps(fields)


def _load(kind: type[Record], text: str) -> Record:
    stored: dict[str, Any] = json.loads(text)
    fields: dict[str, Any] = {}
    for field in dataclasses.fields(kind):  # fields a newer version added are left out, not refused
        if field.name not in stored:
            continue
        value = stored[field.name]
        if "datetime" in str(field.type) and isinstance(value, str):
            value = datetime.fromisoformat(value)
        fields[field.name] = value
    return kind(**fields)


def load_state_machine(text: str) -> StateMachineRecord:
    return _load(StateMachineRecord, text)


def load_execution(text: str) -> ExecutionRecord:
    return _load(ExecutionRecord, text)


def load_map_run(text: str) -> MapRunRecord:
    return _load(MapRunRecord, text)


if TYPE_CHECKING:

    def _implements_both_protocols(store: RedisStore) -> tuple[Store, Coordination]:
        return store, store
