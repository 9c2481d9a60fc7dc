"""``sfn``: validate a definition, run one execution in-process, or serve the Step Functions API.

    sfn validate machine.asl.json
    sfn run machine.asl.yaml --input '{"n": 3}' --tasks myproject.tasks --history
    sfn server --port 8083 --tasks myproject.tasks --lambda-endpoint http://127.0.0.1:9001
    sfn deploy machines/ --env prod --endpoint-url http://127.0.0.1:8083 --dry-run

``sfn run`` exits 0 when the execution SUCCEEDED, 1 when it FAILED, 2 when it TIMED_OUT or was ABORTED
and 3 when the definition or the input was rejected.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from orchestrator.errors import ApiError, DefinitionError

EXIT_FAILED, EXIT_STOPPED, EXIT_REJECTED = 1, 2, 3

app = typer.Typer(
    name="sfn",
    help="Run AWS Step Functions (Amazon States Language) workflows on your own machines.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True)

Tasks = Annotated[
    list[str] | None,
    typer.Option(
        "--tasks", help="Module (dotted name or .py path) whose @task functions Task states may call."
    ),
]
LambdaEndpoint = Annotated[
    str | None,
    typer.Option("--lambda-endpoint", help="Lambda-compatible endpoint for unregistered functions."),
]
TimeSkipping = Annotated[
    bool, typer.Option("--time-skipping", help="Skip ahead over waits instead of sleeping (tests, CI).")
]
MachineType = Annotated[str, typer.Option("--type", help="STANDARD or EXPRESS.")]
Redis = Annotated[
    str | None, typer.Option("--redis", help="Shared Redis store of a distributed deployment (redis://...).")
]
MetricsPort = Annotated[
    int,
    typer.Option(
        "--metrics-port",
        help="Serve /metrics (Prometheus), /healthz and /readyz (Redis reachable) on this port; 0: off.",
    ),
]
LogFormat = Annotated[
    str | None,
    typer.Option(
        "--log-format",
        envvar="SFN_LOG_FORMAT",
        help="json (JSON lines), text, or auto: text when stderr is a terminal, else JSON lines.",
    ),
]


@app.callback()
def _logging_defaults() -> None:
    """Run AWS Step Functions (Amazon States Language) workflows on your own machines."""
    _configure_logging("warning", None)


def _read_definition(file: Path) -> tuple[dict[str, Any] | None, list[Any]]:
    """The definition in ``file`` (JSON or YAML) and every diagnostic of it."""
    from orchestrator.asl.parse import parse_definition

    try:
        document, duplicates = parse_definition(file.read_text(), allow_yaml=True)
    except DefinitionError as error:
        return None, list(error.diagnostics)
    return document, duplicates


def _diagnostics(file: Path, machine_type: str) -> tuple[dict[str, Any] | None, list[Any]]:
    from orchestrator.asl.validate import validate_definition

    document, found = _read_definition(file)
    if document is not None:
        found = validate_definition(document, state_machine_type=machine_type) + found
    return document, found


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Definition, JSON or YAML.")],
    machine_type: MachineType = "STANDARD",
) -> None:
    """Print every problem of a definition as ``CODE: message at location``; exit 1 on errors."""
    _, found = _diagnostics(file, machine_type.upper())
    for diagnostic in found:
        prefix = "" if diagnostic.severity == "ERROR" else "WARNING "
        typer.echo(prefix + diagnostic.render())
    errors = sum(1 for d in found if d.severity == "ERROR")
    if errors:
        stderr.print(f"[red]{file}: {errors} error(s)[/red]")
        raise typer.Exit(1)
    stderr.print(f"[green]{file}: valid[/green]")


def _input_text(value: str | None) -> str:
    if value is None:
        return "{}"
    if value.startswith("@"):
        return Path(value[1:]).read_text()
    return value


def _machine_name(file: Path) -> str:
    stem = file.name.split(".")[0]
    return re.sub(r"[^A-Za-z0-9_-]", "-", stem)[:80] or "state-machine"


def _state_name(event: dict[str, Any]) -> str:
    for key in ("stateEnteredEventDetails", "stateExitedEventDetails"):
        if key in event:
            return str(event[key].get("name", ""))
    return ""


def _decoded(value: Any) -> Any:
    """JSON text (an event's ``input``/``output``) as the JSON it holds, for a readable summary."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _summary(event: dict[str, Any], width: int = 80) -> str:
    details = next((v for k, v in event.items() if k.endswith("EventDetails")), None)
    if not details:
        return ""
    shown = {k: _decoded(v) for k, v in details.items() if k != "name" and not k.endswith("Details")}
    text = json.dumps(shown, separators=(",", ":"), ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def history_table(events: list[dict[str, Any]], width: int = 120) -> Table:
    """The events of an execution as a table (id, type, state name, details) at most ``width`` wide."""
    table = Table(title="Execution history")
    rows = [(str(e.get("id", "")), str(e.get("type", "")), _state_name(e)) for e in events]
    widths = [
        max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(("id", "type", "state"))
    ]
    for name, column_width in zip(("id", "type", "state"), widths, strict=True):
        table.add_column(
            name, no_wrap=True, min_width=column_width, justify="right" if name == "id" else "left"
        )
    details_width = max(20, width - sum(widths) - 13)  # 13: borders and padding of four columns
    table.add_column("details", no_wrap=True, max_width=details_width)
    for row, event in zip(rows, events, strict=True):
        table.add_row(*row, _summary(event, details_width))
    return table


MockConfig = Annotated[
    Path | None,
    typer.Option(
        "--mock-config",
        envvar="SFN_MOCK_CONFIG",
        dir_okay=False,
        help="AWS Step Functions Local mock configuration (MockConfigFile): start executions on "
        "'<state machine ARN>#<test case>' to run a test case's mocked responses.",
    ),
]


def _mock_config(path: Path | None) -> Any:
    """The loaded mock configuration (exit 2 with its problems when it is invalid)."""
    if path is None:
        return None
    from orchestrator.mocking import MockConfigError, load_mock_config

    try:
        return load_mock_config(path)
    except (MockConfigError, OSError) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(EXIT_REJECTED) from None


@app.command()
def run(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Definition, JSON or YAML.")],
    input_: Annotated[
        str | None, typer.Option("--input", help="Execution input: JSON text or @file.")
    ] = None,
    tasks: Tasks = None,
    lambda_endpoint: LambdaEndpoint = None,
    time_skipping: TimeSkipping = False,
    history: Annotated[
        bool, typer.Option("--history", help="Print the execution history on stderr.")
    ] = False,
    name: Annotated[str | None, typer.Option("--name", help="Execution name (default: a UUID).")] = None,
    machine_type: MachineType = "STANDARD",
    mock_config: MockConfig = None,
    test_case: Annotated[
        str | None, typer.Option("--test-case", help="With --mock-config: the test case to run.")
    ] = None,
) -> None:
    """Run one execution in this process and print its output JSON."""
    from orchestrator.service.embedded import embedded_service

    document, found = _read_definition(file)
    if document is None:
        for diagnostic in found:
            typer.echo(diagnostic.render(), err=True)
        raise typer.Exit(EXIT_REJECTED)
    try:
        text = _input_text(input_)
    except OSError as error:
        typer.echo(f"cannot read input: {error}", err=True)
        raise typer.Exit(EXIT_REJECTED) from None
    try:
        service = embedded_service(
            task_modules=tasks or (),
            lambda_endpoint=lambda_endpoint,
            time_skipping=time_skipping,
            mock_config=_mock_config(mock_config),
        )
    except (ImportError, OSError) as error:
        typer.echo(f"cannot load tasks: {error}", err=True)
        raise typer.Exit(EXIT_REJECTED) from None
    try:
        if test_case is not None and mock_config is None:
            typer.echo("--test-case needs --mock-config", err=True)
            raise typer.Exit(EXIT_REJECTED)
        record = _run_once(service, document, file, text, name, machine_type.upper(), test_case)
        if history:
            stderr.print(history_table(service.store.history(record.arn), stderr.size.width))
    finally:
        service.close()
    if record.status == "SUCCEEDED":
        typer.echo(record.output if record.output is not None else "null")
        return
    typer.echo(f"{record.status}: {record.error or ''}: {record.cause or ''}", err=True)
    raise typer.Exit(EXIT_FAILED if record.status == "FAILED" else EXIT_STOPPED)


def _run_once(
    service: Any,
    document: dict[str, Any],
    file: Path,
    text: str,
    name: str | None,
    machine_type: str,
    test_case: str | None = None,
) -> Any:
    """Create the machine, start the execution and wait for it (Ctrl-C stops it)."""
    request = {
        "name": _machine_name(file),
        "definition": json.dumps(document),
        "roleArn": f"arn:aws:iam::{service.account_id}:role/sfn-local",
        "type": machine_type,
    }
    try:
        machine_arn = service.create_state_machine(request)["stateMachineArn"]
        target = machine_arn if test_case is None else f"{machine_arn}#{test_case}"
        start: dict[str, Any] = {"stateMachineArn": target, "input": text}
        if name is not None:
            start["name"] = name
        execution_arn = service.start_execution(start)["executionArn"]
    except ApiError as error:
        typer.echo(f"{error.code}: {error.message}", err=True)
        raise typer.Exit(EXIT_REJECTED) from None
    try:
        return service.runtime.wait(execution_arn)
    except KeyboardInterrupt:
        return service.runtime.stop(execution_arn, None, "Interrupted")


@app.command()
def server(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8083,
    tasks: Tasks = None,
    lambda_endpoint: LambdaEndpoint = None,
    time_skipping: TimeSkipping = False,
    region: Annotated[str, typer.Option(help="Region of ARNs when requests carry none.")] = "us-east-1",
    account_id: Annotated[str, typer.Option("--account-id", help="Account id in ARNs.")] = "123456789012",
    log_level: Annotated[str, typer.Option("--log-level", help="debug, info, warning or error.")] = "info",
    log_format: LogFormat = None,
    skip_after: Annotated[
        float,
        typer.Option(
            "--skip-after",
            help="With --time-skipping: real seconds an execution must stay idle before its clock jumps "
            "to its next timer, so API callers (StopExecution...) can act during a Wait.",
        ),
    ] = 1.0,
    redis: Redis = None,
    mock_config: MockConfig = None,
) -> None:
    """Serve the Step Functions API (AWS JSON 1.0) until SIGTERM or Ctrl-C.

    Embedded (executions run in this process) unless --redis names the shared store of a distributed
    deployment (executions run on `sfn coordinator` and `sfn worker` processes)."""
    from orchestrator.api.server import serve
    from orchestrator.service.embedded import embedded_service

    _configure_logging(log_level, log_format)
    if redis is not None and mock_config is not None:
        typer.echo("--mock-config runs in embedded mode only (not with --redis)", err=True)
        raise typer.Exit(EXIT_REJECTED)
    if redis is not None:
        from orchestrator.service.distributed import distributed_service

        service = distributed_service(
            redis,
            task_modules=tasks or (),
            lambda_endpoint=lambda_endpoint,
            region=region,
            account_id=account_id,
        )
    else:
        service = embedded_service(
            task_modules=tasks or (),
            lambda_endpoint=lambda_endpoint,
            time_skipping=time_skipping,
            skip_after=skip_after,
            region=region,
            account_id=account_id,
            mock_config=_mock_config(mock_config),
        )
    serve(service, host=host, port=port, log_level=log_level.lower())


@app.command()
def coordinator(
    redis: Annotated[str, typer.Option("--redis", help="URL of the shared Redis store and broker.")],
    route: Annotated[
        list[str] | None,
        typer.Option(
            "--route", help="PATTERN=QUEUE: tasks whose resource or FunctionName matches go to QUEUE."
        ),
    ] = None,
    lease_seconds: Annotated[
        float, typer.Option("--lease-seconds", help="How long an execution stays with a silent coordinator.")
    ] = 30.0,
    log_level: Annotated[str, typer.Option("--log-level", help="debug, info, warning or error.")] = "info",
    log_format: LogFormat = None,
    metrics_port: MetricsPort = 0,
) -> None:
    """Advance executions from the shared store until SIGTERM or Ctrl-C (run several: they share work)."""
    import contextlib
    import signal

    from orchestrator.runtime.coordinator import Coordinator
    from orchestrator.store.redis import RedisStore
    from orchestrator.transport.celery import CeleryTransport
    from workers.celery_app import create_app

    _configure_logging(log_level, log_format)
    routes = _routes(route)
    store = RedisStore(redis)
    transport = CeleryTransport(create_app(redis), routes=routes)
    running = Coordinator(store, transport, lease_seconds=lease_seconds)
    from orchestrator import metrics

    metrics.set_recording(bool(metrics_port))  # nothing to export: skip the counting on the hot path
    if metrics_port:
        from orchestrator import metrics
        from orchestrator.transport.celery import DEFAULT_QUEUE, TIMER_QUEUE

        queues = [DEFAULT_QUEUE, TIMER_QUEUE, *(queue for _, queue in routes)]
        collector = metrics.RedisCollector(redis, queues, prefix=store.keys.prefix)
        metrics.serve_metrics(metrics_port, collectors=[collector], ready=collector.ping)
    signal.signal(signal.SIGTERM, lambda *_: running.request_stop())
    with contextlib.suppress(KeyboardInterrupt):
        running.run_forever()


@app.command()
def worker(
    redis: Annotated[str, typer.Option("--redis", help="URL of the shared Redis store and broker.")],
    tasks: Tasks = None,
    lambda_endpoint: LambdaEndpoint = None,
    queues: Annotated[
        str, typer.Option("--queues", help="Comma-separated queues to consume (tasks and timers).")
    ] = "sfn-tasks,sfn-timers",
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", help="Worker processes/threads.")
    ] = None,
    pool: Annotated[str, typer.Option("--pool", help="prefork, threads or solo.")] = "prefork",
    visibility_timeout: Annotated[
        float,
        typer.Option(
            "--visibility-timeout",
            help="Seconds before the task of a worker that vanished is delivered again (longer than any task).",
        ),
    ] = 3600.0,
    route: Annotated[
        list[str] | None,
        typer.Option("--route", help="PATTERN=QUEUE, as given to the coordinators (workers dispatch too)."),
    ] = None,
    advance: Annotated[
        bool,
        typer.Option(
            "--advance/--no-advance",
            help="Apply each task's outcome to its execution here and dispatch the next task (default), "
            "or only post outcomes for the coordinators.",
        ),
    ] = True,
    log_level: Annotated[str, typer.Option("--log-level", help="debug, info, warning or error.")] = "info",
    log_format: LogFormat = None,
    metrics_port: MetricsPort = 0,
) -> None:
    """Run Task states as a Celery worker until SIGTERM (warm shutdown) or Ctrl-C."""
    if metrics_port and pool == "prefork":
        _multiprocess_metrics()  # before prometheus-client is imported
    from orchestrator.logs import install_celery_logging
    from workers.celery_app import create_app

    _configure_logging(log_level, log_format)
    install_celery_logging(log_level, log_format)
    routes = _routes(route)
    celery_app = create_app(
        redis,
        task_modules=tasks or (),
        lambda_endpoint=lambda_endpoint,
        visibility_timeout=visibility_timeout,
        advance=advance,
        routes=routes,
    )
    from orchestrator import metrics

    metrics.set_recording(bool(metrics_port))  # nothing to export: skip the counting on the hot path
    if metrics_port:
        ready = metrics.RedisCollector(redis, ()).ping
        metrics.serve_metrics(metrics_port, ready=ready)
    argv = ["worker", "--queues", queues, "--pool", pool, "--loglevel", log_level.upper(), "--without-gossip"]
    if concurrency is not None:
        argv += ["--concurrency", str(concurrency)]
    celery_app.worker_main(argv)


@app.command()
def cluster(
    host: Annotated[str, typer.Option(help="Interface the API server listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port the API server listens on.")] = 8083,
    redis: Annotated[
        str | None, typer.Option("--redis", help="Use this Redis instead of starting a redis-server.")
    ] = None,
    coordinators: Annotated[int, typer.Option("--coordinators", help="Coordinator processes.")] = 2,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes.")] = 2,
    worker_concurrency: Annotated[
        int, typer.Option("--worker-concurrency", help="Pool size per worker.")
    ] = 2,
    tasks: Tasks = None,
    lambda_endpoint: LambdaEndpoint = None,
    region: Annotated[str, typer.Option(help="Region of ARNs when requests carry none.")] = "us-east-1",
    account_id: Annotated[str, typer.Option("--account-id", help="Account id in ARNs.")] = "123456789012",
    log_level: Annotated[str, typer.Option("--log-level", help="debug, info, warning or error.")] = "info",
    log_format: LogFormat = None,
) -> None:
    """Run a whole distributed deployment here: redis-server (unless --redis), coordinators, workers and
    the API server in front; stops them all on SIGTERM or Ctrl-C."""
    from orchestrator.api.server import serve
    from orchestrator.runtime.cluster import LocalCluster
    from orchestrator.service.distributed import distributed_service

    _configure_logging(log_level, log_format)
    local = LocalCluster(
        redis_url=redis,
        coordinators=coordinators,
        workers=workers,
        worker_concurrency=worker_concurrency,
        task_modules=tasks or (),
        lambda_endpoint=lambda_endpoint,
    )
    with local:
        assert local.redis_url is not None
        service = distributed_service(
            local.redis_url,
            task_modules=tasks or (),
            lambda_endpoint=lambda_endpoint,
            region=region,
            account_id=account_id,
        )
        serve(service, host=host, port=port, log_level=log_level.lower())


@app.command()
def deploy(
    directory: Annotated[
        Path, typer.Argument(help="Directory of *.asl.json|yaml files (+ sfn-deploy.yaml).")
    ],
    env: Annotated[str | None, typer.Option("--env", help="Environment whose parameters to use.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan and definition diffs; change nothing.")
    ] = False,
    endpoint_url: Annotated[
        str | None, typer.Option("--endpoint-url", help="Step Functions endpoint (default: AWS itself).")
    ] = None,
    redis: Redis = None,
    region: Annotated[str | None, typer.Option("--region", help="AWS region (default: boto3's).")] = None,
) -> None:
    """Create or update the state machines defined in DIRECTORY (see docs/deploy.md).

    Exits 0 when deployed (or planned), 1 when a definition or the configuration is invalid, 2 on a usage
    error, 3 when the service failed."""
    from orchestrator.deploy import run_command

    raise typer.Exit(
        run_command(
            directory, env=env, dry_run=dry_run, endpoint_url=endpoint_url, redis_url=redis, region=region
        )
    )


@app.command()
def status(
    redis: Annotated[str, typer.Option("--redis", help="URL of the deployment's Redis.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the snapshot as JSON (for scripts).")
    ] = False,
    inspect_timeout: Annotated[
        float,
        typer.Option("--inspect-timeout", help="Seconds to wait for Celery workers to answer (0: skip)."),
    ] = 1.0,
    queue: Annotated[
        list[str] | None,
        typer.Option("--queue", help="Another Celery queue to show (routed queues are found)."),
    ] = None,
    oldest: Annotated[
        int, typer.Option("--oldest", help="How many of the oldest running executions to list.")
    ] = 5,
) -> None:
    """Show coordinators, workers, queues, running executions, timers due and Redis (see docs/operations.md)."""
    from redis.exceptions import RedisError

    from orchestrator.status import collect_status, status_tables

    try:
        snapshot = collect_status(redis, inspect_timeout=inspect_timeout, oldest=oldest, queues=queue)
    except RedisError as error:
        typer.echo(f"cannot read Redis: {error}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    if as_json:
        typer.echo(json.dumps(snapshot, indent=2))
        return
    console = Console()
    for table in status_tables(snapshot):
        console.print(table)


def _routes(specs: list[str] | None) -> list[tuple[str, str]]:
    """``--route PATTERN=QUEUE`` options; a malformed one ends the command with its reason."""
    from orchestrator.transport.celery import parse_routes

    try:
        return parse_routes(specs or ())
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(EXIT_REJECTED) from None


def _multiprocess_metrics() -> None:
    """Prefork pool processes write their metrics to files in ``PROMETHEUS_MULTIPROC_DIR`` (a fresh
    temporary directory unless set), which the worker's ``/metrics`` merges; stale files are removed."""
    import os
    import tempfile

    directory = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="sfn-metrics-"))
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)


def _configure_logging(level: str, fmt: str | None) -> None:
    """Every command's logging (orchestrator/logs.py); a bad ``--log-format`` ends the command."""
    from orchestrator.logs import configure_logging

    try:
        configure_logging(level, fmt)
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(EXIT_REJECTED) from None


def main() -> None:
    """Console-script entry point (``sfn``)."""
    app()


if __name__ == "__main__":
    main()
