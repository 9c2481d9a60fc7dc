"""The HTTP endpoint: a Starlette app that serves the Step Functions API over a service.

``POST /`` (any path, any ``Host``) carries the API; ``GET /health`` answers ``{"status": "ok"}``;
``GET /metrics`` serves the Prometheus metrics (:mod:`orchestrator.metrics`).
Any Host is accepted on purpose: boto3 sends StartSyncExecution and TestState to a ``sync-`` host
prefix (``http://sync-127.0.0.1:8083``), which only reaches this server when the name resolves; see
:mod:`orchestrator.api` for the client-side setting that turns the prefix off.

Service calls run in worker threads: they take locks, and StartSyncExecution blocks until its execution
ends, so it gets threads of its own (``SYNC_THREADS``) and cannot starve the other actions.
"""

from __future__ import annotations

import functools
import logging
import time
import uuid
from typing import Any

import anyio.to_thread
from anyio import CapacityLimiter
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from orchestrator import metrics
from orchestrator.api import protocol
from orchestrator.errors import ApiError
from orchestrator.service import StepFunctionsService
from orchestrator.service.context import RequestContext

log = logging.getLogger(__name__)

SYNC_THREADS = 256
BLOCKING_ACTIONS = frozenset({"StartSyncExecution", "GetActivityTask"})  # long waits: their own pool


def _answer(status: int, body: bytes, request_id: str) -> Response:
    return Response(
        body,
        status_code=status,
        media_type=protocol.CONTENT_TYPE,
        headers={"x-amzn-RequestId": request_id},
    )


def create_app(service: StepFunctionsService) -> Starlette:
    """The ASGI app serving ``service``."""
    limiters: dict[str, CapacityLimiter] = {}  # made on first use: they belong to the running event loop

    def limiter(action: str) -> CapacityLimiter | None:
        if action not in BLOCKING_ACTIONS:
            return None  # anyio's default pool
        if "sync" not in limiters:
            limiters["sync"] = CapacityLimiter(SYNC_THREADS)
        return limiters["sync"]

    collectors = _collectors(service)

    async def call(request: Request) -> Response:
        started = time.perf_counter()
        response = await answer(request)
        action = protocol.action_of(request.headers.get("x-amz-target")) or "unknown"
        metrics.record_api_request(action, response.status_code, time.perf_counter() - started)
        return response

    async def answer(request: Request) -> Response:
        request_id = str(uuid.uuid4())
        action = protocol.action_of(request.headers.get("x-amz-target"))
        if action is None:
            target = request.headers.get("x-amz-target")
            body = protocol.error_body("UnknownOperationException", f"Unknown operation: {target}")
            return _answer(400, body, request_id)
        try:
            params = protocol.decode(await request.body())
        except ValueError:
            body = protocol.error_body("SerializationException", "The request body is not valid JSON")
            return _answer(400, body, request_id)
        key_id, region = protocol.credential_scope(request.headers.get("authorization"))
        ctx = RequestContext(
            region=region or service.region,
            account_id=service.account_id,
            principal=key_id,
            request_id=request_id,
            source="api",
        )
        try:
            call_service = functools.partial(service.dispatch, action, params, ctx)
            result = await anyio.to_thread.run_sync(call_service, limiter=limiter(action))
        except ApiError as error:
            log.debug("%s %s: %s", action, error.code, error.message)
            return _answer(error.status, protocol.error_body(error.code, error.message), request_id)
        except Exception:
            log.exception("%s failed (request %s)", action, request_id)
            body = protocol.error_body("InternalFailure", f"Internal error (request {request_id})")
            return _answer(500, body, request_id)
        return _answer(200, protocol.encode(result), request_id)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def scrape(request: Request) -> Response:
        body, content_type = await anyio.to_thread.run_sync(metrics.exposition, collectors)
        return Response(body, media_type=content_type)

    return Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/metrics", scrape, methods=["GET"]),
            Route("/{path:path}", call, methods=["POST"]),
        ]
    )


def _collectors(service: StepFunctionsService) -> list[Any]:
    """What ``/metrics`` reads on scrape besides this process's metrics: the Celery queues' depths, due
    timers and waiting activity tasks of a distributed deployment's Redis."""
    store = service.store
    url = getattr(store, "url", None)
    if not isinstance(url, str) or not url.startswith(("redis://", "rediss://", "unix://")):
        return []
    from orchestrator.transport.celery import DEFAULT_QUEUE, TIMER_QUEUE

    prefix = getattr(getattr(store, "keys", None), "prefix", "sfn")  # a RedisStore's key prefix
    return [metrics.RedisCollector(url, [DEFAULT_QUEUE, TIMER_QUEUE], prefix=prefix)]
