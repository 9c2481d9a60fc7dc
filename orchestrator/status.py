"""``sfn status``: what a distributed deployment is doing, read from its Redis.

One snapshot (:func:`collect_status`, plain JSON-able dicts) of:

* ``coordinators``: each one's last heartbeat (``sfn:coordinators``) and whether it is alive (its
  ``sfn:coordinator:<owner>`` key has not expired);
* ``workers``: Celery's ``inspect().stats()``/``active()`` with a short timeout (status is not a probe);
* ``queues``: the length of each Celery queue (``sfn-tasks``, ``sfn-timers``, any routed queue Kombu has
  bound), and the messages delivered but not acknowledged yet (running, or delayed by a countdown);
* ``executions``: running ones (count, the oldest few) from the execution index, plus the ready list,
  the active set and the executions queued for a coordinator. Counting reads every indexed execution's
  status (pipelined, ``scan_limit`` at most: ``complete`` says whether all were read);
* ``timers``: pending, due now (not fired yet), the most overdue, the next due;
* ``redis``: version, memory, ``maxmemory-policy``.

:func:`status_tables` renders it for a terminal (rich); ``--json`` prints the dict.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, cast

import redis
from rich.table import Table

from orchestrator.store.keys import Keys
from orchestrator.store.redis import RedisStore
from orchestrator.transport.celery import DEFAULT_QUEUE, TIMER_QUEUE

PRIORITY_SEPARATOR = "\x06\x16"
"""Kombu's Redis transport keeps a queue's priority levels 3, 6, 9 in lists ``<queue>\\x06\\x16<level>``."""
PRIORITY_LEVELS = ("3", "6", "9")
BINDINGS = "_kombu.binding.*"
UNACKED = "unacked"
SCAN_BATCH = 500


def collect_status(
    url: str,
    *,
    prefix: str = "sfn",
    inspect_timeout: float = 1.0,
    oldest: int = 5,
    scan_limit: int = 100_000,
    queues: list[str] | None = None,
) -> dict[str, Any]:
    """A snapshot of the deployment on the Redis at ``url`` (``inspect_timeout`` 0: skip the workers)."""
    client = redis.Redis.from_url(url, decode_responses=True)
    store = RedisStore(url, prefix=prefix, check_eviction=False)
    keys = store.keys
    try:
        now = time.time()
        return {
            "time": _iso(now),
            "redis": redis_info(client),
            "coordinators": coordinators(store),
            "workers": workers(url, inspect_timeout),
            "queues": queue_depths(client, queues),
            "executions": executions(client, keys, oldest=oldest, scan_limit=scan_limit),
            "timers": timers(client, keys, now),
        }
    finally:
        client.close()
        store.close()


def redis_info(client: redis.Redis) -> dict[str, Any]:
    """The server's version, memory in use, memory limit and eviction policy."""
    info = client.info()
    return {
        "version": info.get("redis_version"),
        "used_memory": info.get("used_memory"),
        "used_memory_human": info.get("used_memory_human"),
        "maxmemory": info.get("maxmemory"),
        "maxmemory_policy": info.get("maxmemory_policy"),
        "connected_clients": info.get("connected_clients"),
    }


def coordinators(store: RedisStore) -> list[dict[str, Any]]:
    """Every coordinator's last heartbeat, ``alive`` while its heartbeat key lives."""
    found = []
    for beat in store.coordinators():
        found.append(
            {
                "owner": beat["owner"],
                "alive": beat["alive"],
                "host": beat.get("host"),
                "pid": beat.get("pid"),
                "started": _iso(beat.get("started")),
                "last_tick": _iso(beat.get("last_tick")),
                "rounds": beat.get("rounds"),
                "leases_held": beat.get("leases_held"),
            }
        )
    return found


def workers(url: str, timeout: float) -> dict[str, Any]:
    """Celery workers answering ``inspect`` within ``timeout`` seconds (``skipped`` when 0)."""
    if timeout <= 0:
        return {"skipped": True, "workers": []}
    from celery import Celery

    app = Celery("sfn-status", broker=url, set_as_current=False)
    try:
        inspect = app.control.inspect(timeout=timeout)
        stats = inspect.stats() or {}
        active = (inspect.active() or {}) if stats else {}
    except Exception as error:  # the broker refused: show why, the rest of the status still helps
        return {"error": f"{type(error).__name__}: {error}", "workers": []}
    finally:
        app.close()
    found = []
    for name in sorted(stats):
        pool = stats[name].get("pool") or {}
        total = stats[name].get("total") or {}
        found.append(
            {
                "name": name,
                "pid": stats[name].get("pid"),
                "concurrency": pool.get("max-concurrency"),
                "active": len(active.get(name) or []),
                "processed": sum(total.values()) if isinstance(total, dict) else None,
            }
        )
    return {"workers": found}


def queue_names(client: redis.Redis, extra: list[str] | None = None) -> list[str]:
    """The default task and timer queues, every queue Kombu has bound, and ``extra``."""
    names = {DEFAULT_QUEUE, TIMER_QUEUE, *(extra or ())}
    for binding in client.scan_iter(match=BINDINGS, count=1000):
        for member in cast("set[str]", client.smembers(binding)):
            queue = member.split(PRIORITY_SEPARATOR)[-1]
            if queue and not queue.endswith(".pidbox") and "celery" not in queue:
                names.add(queue)
    return sorted(names)


def queue_depths(client: redis.Redis, extra: list[str] | None = None) -> dict[str, Any]:
    """Messages waiting in each queue (every priority level), and those delivered but not acknowledged."""
    names = queue_names(client, extra)
    with client.pipeline(transaction=False) as pipe:
        for name in names:
            pipe.llen(name)
            for level in PRIORITY_LEVELS:
                pipe.llen(f"{name}{PRIORITY_SEPARATOR}{level}")
        pipe.hlen(UNACKED)
        replies = pipe.execute()
    per_queue = 1 + len(PRIORITY_LEVELS)
    depths = {name: sum(replies[i * per_queue : (i + 1) * per_queue]) for i, name in enumerate(names)}
    return {"waiting": depths, "unacked": replies[-1]}


def executions(client: redis.Redis, keys: Keys, *, oldest: int, scan_limit: int) -> dict[str, Any]:
    """Running executions (count and the ``oldest`` first started), from the index, and the queues of
    executions with work (ready list, active set, queued for a coordinator)."""
    with client.pipeline(transaction=False) as pipe:
        pipe.zcard(keys.executions)
        pipe.llen(keys.ready)
        pipe.scard(keys.active)
        pipe.hlen(keys.queued)
        indexed, ready, active, queued = pipe.execute()
    running = 0
    first: list[dict[str, Any]] = []
    read = 0
    while read < min(indexed, scan_limit):
        batch = cast(
            "list[tuple[str, float]]",
            client.zrange(keys.executions, read, min(read + SCAN_BATCH, scan_limit) - 1, withscores=True),
        )
        if not batch:
            break
        with client.pipeline(transaction=False) as pipe:
            for arn, _ in batch:
                pipe.hget(keys.of_execution(arn).execution, "status")
            statuses = pipe.execute()
        for (arn, started), status in zip(batch, statuses, strict=True):
            if status == "RUNNING":
                running += 1
                if len(first) < oldest:
                    first.append({"arn": arn, "started": _iso(started)})
        read += len(batch)
    return {
        "running": running,
        "oldest_running": first,
        "indexed": indexed,
        "scanned": read,
        "complete": read >= indexed,
        "ready": ready,
        "active": active,
        "queued": queued,
    }


def timers(client: redis.Redis, keys: Keys, now: float) -> dict[str, Any]:
    """Pending timers: how many, how many are due now, the most overdue and the next to come due."""
    with client.pipeline(transaction=False) as pipe:
        pipe.zcard(keys.timers)
        pipe.zcount(keys.timers, "-inf", now)
        pipe.zrange(keys.timers, 0, 0, withscores=True)
        pipe.zrangebyscore(keys.timers, f"({now}", "+inf", start=0, num=1, withscores=True)
        pending, due, earliest, upcoming = pipe.execute()
    overdue = now - earliest[0][1] if due and earliest else 0.0
    return {
        "pending": pending,
        "due_now": due,
        "most_overdue_seconds": round(overdue, 3),
        "next_due": _iso(upcoming[0][1]) if upcoming else None,
    }


def status_tables(status: dict[str, Any]) -> list[Table]:
    """The snapshot as rich tables, one per section."""
    tables = []
    server = status["redis"]
    summary = Table(title=f"sfn status at {status['time']}", show_header=False)
    summary.add_column("what")
    summary.add_column("value")
    summary.add_row("redis", f"{server['version']}, {server['used_memory_human']} used")
    summary.add_row("maxmemory-policy", str(server["maxmemory_policy"]))
    runs = status["executions"]
    counted = "" if runs["complete"] else f" (first {runs['scanned']} of {runs['indexed']} read)"
    summary.add_row("running executions", f"{runs['running']}{counted}")
    summary.add_row("ready / active / queued", f"{runs['ready']} / {runs['active']} / {runs['queued']}")
    due = status["timers"]
    summary.add_row("timers pending / due now", f"{due['pending']} / {due['due_now']}")
    summary.add_row("most overdue timer", f"{due['most_overdue_seconds']} s")
    summary.add_row("next timer due", str(due["next_due"] or "-"))
    tables.append(summary)
    tables.append(_rows("Coordinators", status["coordinators"], COORDINATOR_COLUMNS))
    found = status["workers"]
    title = "Workers" + (
        " (skipped)" if found.get("skipped") else f" ({found['error']})" if "error" in found else ""
    )
    tables.append(_rows(title, found["workers"], WORKER_COLUMNS))
    queues = [{"queue": name, "waiting": depth} for name, depth in status["queues"]["waiting"].items()]
    tables.append(_rows(f"Queues ({status['queues']['unacked']} unacked)", queues, ("queue", "waiting")))
    tables.append(_rows("Oldest running executions", runs["oldest_running"], ("arn", "started")))
    return tables


COORDINATOR_COLUMNS = ("owner", "alive", "host", "pid", "started", "last_tick", "rounds", "leases_held")
WORKER_COLUMNS = ("name", "pid", "concurrency", "active", "processed")


def _rows(title: str, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("-" if row.get(column) is None else str(row[column]) for column in columns))
    return table


def _iso(epoch: Any) -> str | None:
    """Epoch seconds as ISO 8601 UTC text (``None`` stays ``None``)."""
    if not isinstance(epoch, int | float):
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")
