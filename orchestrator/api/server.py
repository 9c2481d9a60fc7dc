"""Serving the app with uvicorn until SIGTERM or SIGINT (uvicorn's graceful shutdown), then closing the
service's runtime."""

from __future__ import annotations

import logging

import uvicorn

from orchestrator.api.app import create_app
from orchestrator.service import StepFunctionsService

log = logging.getLogger(__name__)


def serve(
    service: StepFunctionsService, *, host: str = "127.0.0.1", port: int = 8083, log_level: str = "info"
) -> None:
    """Block serving ``service`` on ``host:port``; returns once a signal stopped the server."""
    config = uvicorn.Config(create_app(service), host=host, port=port, log_level=log_level, lifespan="off")
    server = uvicorn.Server(config)
    try:
        server.run()
    finally:
        service.close()
        log.info("server stopped")
