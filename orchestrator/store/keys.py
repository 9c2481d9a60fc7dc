"""Every Redis key name the Redis store uses, built in one place.

Each execution's keys share the hash tag ``{<execution ARN>}``, so one execution lives in one slot and the
commit script (which touches only that execution's keys) stays valid on Redis Cluster. The global keys
(state machines, execution indexes, the ready list, the active set, the timers) are separate keys.

Layout, for the default prefix ``sfn``::

    sfn:{<arn>}:execution   hash: record (JSON), status, state (JSON), version
    sfn:{<arn>}:history     list of history events (JSON), oldest first
    sfn:{<arn>}:inbox       list of input events (JSON) not yet applied
    sfn:{<arn>}:outbox      JSON list of the commands the last commit left to carry out
    sfn:{<arn>}:lease       the owner holding the execution (SET ... PX ttl NX)
    sfn:{<map run arn>}:map-run    a map run's record (JSON); expires with the retention
    sfn:{<arn>}:map-runs    sorted set of the map runs an execution started, by start time
    sfn:state-machines      hash: state machine ARN -> record (JSON); the state machine index
    sfn:executions          sorted set of every execution ARN, scored by start time
    sfn:executions:<arn>    sorted set of one state machine's execution ARNs, scored by start time
    sfn:ready               list of execution ARNs with input events to apply (BLPOP)
    sfn:active              set of execution ARNs that have (or recently had) an inbox or an outbox
    sfn:queued              hash: execution ARN -> when (server ms) it was last pushed on the ready list;
                            dropped when a lease is taken (the orphan scan leaves queued ones alone)
    sfn:orphan-scan         the coordinator that scans for orphans this period (SET NX PX)
    sfn:aliases             hash: state machine alias ARN -> alias (JSON)
    sfn:activities          hash: activity ARN -> record (JSON)
    sfn:activity-tasks:<arn> list of an activity's tasks waiting for a worker (JSON), oldest first
    sfn:timers              sorted set of pending timers, member JSON [execution ARN, timer id], scored
                            by due time (epoch seconds)
    sfn:coordinators        hash: coordinator owner id -> its last heartbeat (JSON: host, pid, started,
                            last tick, leases held); ``sfn status`` lists them
    sfn:coordinator:<owner> a coordinator's heartbeat (SET ... PX ttl): it is alive while this exists
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExecutionKeys:
    """The keys of one execution (all in one cluster slot)."""

    execution: str
    history: str
    inbox: str
    outbox: str
    lease: str

    def expiring(self) -> list[str]:
        """The keys that expire together once the execution has finished (the lease expires by itself)."""
        return [self.execution, self.history, self.inbox, self.outbox]


@dataclass(frozen=True)
class Keys:
    """Key names under one prefix."""

    prefix: str = "sfn"

    def of_execution(self, arn: str) -> ExecutionKeys:
        tag = f"{self.prefix}:{{{arn}}}"
        return ExecutionKeys(
            execution=f"{tag}:execution",
            history=f"{tag}:history",
            inbox=f"{tag}:inbox",
            outbox=f"{tag}:outbox",
            lease=f"{tag}:lease",
        )

    @property
    def state_machines(self) -> str:
        return f"{self.prefix}:state-machines"

    @property
    def executions(self) -> str:
        return f"{self.prefix}:executions"

    def executions_of(self, state_machine_arn: str) -> str:
        return f"{self.prefix}:executions:{state_machine_arn}"

    @property
    def ready(self) -> str:
        return f"{self.prefix}:ready"

    @property
    def active(self) -> str:
        return f"{self.prefix}:active"

    @property
    def queued(self) -> str:
        return f"{self.prefix}:queued"

    @property
    def orphan_scan(self) -> str:
        return f"{self.prefix}:orphan-scan"

    @property
    def aliases(self) -> str:
        return f"{self.prefix}:aliases"

    @property
    def activities(self) -> str:
        return f"{self.prefix}:activities"

    def activity_tasks(self, activity_arn: str) -> str:
        return f"{self.prefix}:activity-tasks:{activity_arn}"

    @property
    def timers(self) -> str:
        return f"{self.prefix}:timers"

    def map_run(self, map_run_arn: str) -> str:
        return f"{self.prefix}:{{{map_run_arn}}}:map-run"

    def map_runs_of(self, execution_arn: str) -> str:
        return f"{self.prefix}:{{{execution_arn}}}:map-runs"

    @property
    def coordinators(self) -> str:
        return f"{self.prefix}:coordinators"

    def coordinator(self, owner: str) -> str:
        return f"{self.prefix}:coordinator:{owner}"
