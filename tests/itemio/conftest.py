"""Object stores for the item I/O tests: local files, and S3 through moto's server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from orchestrator.itemio.stores import LocalObjectStore, ObjectStore, S3ObjectStore


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A moto S3 server on 127.0.0.1 (a free port), stopped after the session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _s3(endpoint: str) -> S3ObjectStore:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return S3ObjectStore(client=client)


def make_bucket(store: Any, bucket: str) -> None:
    """Create ``bucket`` in either store (a directory, or CreateBucket)."""
    if isinstance(store, LocalObjectStore):
        (store.root / bucket).mkdir(parents=True, exist_ok=True)
    else:
        store.client.create_bucket(Bucket=bucket)


_buckets = iter(range(10**6))


@pytest.fixture(params=["local", "s3"])
def object_store(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[ObjectStore, str]:
    """Each store with a fresh, empty bucket: ``(store, bucket)``."""
    bucket = f"bucket-{next(_buckets)}"
    store: Any = (
        LocalObjectStore(tmp_path)
        if request.param == "local"
        else _s3(request.getfixturevalue("moto_endpoint"))
    )
    make_bucket(store, bucket)
    return store, bucket
