"""Serving the app with uvicorn until SIGTERM or SIGINT, then closing the service's runtime.

uvicorn shuts down gracefully on either signal and then raises the signal again, so that the process
dies of it; ``sfn server`` exits with status 0 instead, after closing the runtime.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator

import uvicorn

from orchestrator.api.app import create_app
from orchestrator.service import StepFunctionsService

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Like uvicorn's, without raising the signal again once the server has stopped."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        original = {sig: signal.signal(sig, self.handle_exit) for sig in STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


def serve(
    service: StepFunctionsService, *, host: str = "127.0.0.1", port: int = 8083, log_level: str = "info"
) -> None:
    """Block serving ``service`` on ``host:port``; returns once SIGTERM or SIGINT stopped the server."""
    # log_config=None: uvicorn's access and error logs go through our handler (orchestrator/logs.py).
    config = uvicorn.Config(
        create_app(service), host=host, port=port, log_level=log_level, lifespan="off", log_config=None
    )
    try:
        _Server(config).run()
    finally:
        service.close()
        log.info("server stopped")
