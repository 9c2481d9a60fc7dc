"""Where a Distributed Map's items come from and its results go: the ``ObjectStore`` seam.

Two implementations answer the same four calls: :class:`S3ObjectStore` (boto3, any S3-compatible
endpoint) and :class:`LocalObjectStore` (a directory tree, ``<root>/<bucket>/<key>``, for tests and
air-gapped use). :func:`object_store` picks one from the environment:

- ``SFN_S3_LOCAL_ROOT``: a directory; objects are local files (wins over the S3 settings);
- ``SFN_S3_ENDPOINT_URL``, ``SFN_S3_REGION`` (else ``AWS_REGION``/``AWS_DEFAULT_REGION``),
  ``SFN_S3_PROFILE`` (a named profile; else boto3's usual credential chain).
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol


class ObjectStoreError(Exception):
    """An object store call failed; ``code`` and ``status`` as S3 names them (``NoSuchKey``, 404)."""

    def __init__(self, message: str, code: str, status: int) -> None:
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


@dataclass(frozen=True, slots=True)
class ObjectSummary:
    """One object of a listing, as ``ListObjectsV2`` describes it."""

    key: str
    etag: str  # quoted, as S3 gives it
    last_modified: datetime
    size: int
    storage_class: str = "STANDARD"


class ObjectStore(Protocol):
    """The four object calls a Distributed Map's ``ItemReader`` and ``ResultWriter`` need."""

    def get_object(self, bucket: str, key: str) -> bytes: ...

    def put_object(self, bucket: str, key: str, body: bytes) -> None: ...

    def list_objects(self, bucket: str, prefix: str = "") -> list[ObjectSummary]: ...

    def head_bucket(self, bucket: str) -> None: ...


def _no_such_key() -> ObjectStoreError:
    return ObjectStoreError("The specified key does not exist.", "NoSuchKey", 404)


def _no_such_bucket() -> ObjectStoreError:
    return ObjectStoreError("The specified bucket does not exist", "NoSuchBucket", 404)


class LocalObjectStore:
    """Objects as files: bucket ``b``, key ``k`` is ``<root>/b/k``; a bucket is a directory."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _bucket(self, bucket: str) -> Path:
        path = self.root / bucket
        if not bucket or "/" in bucket or bucket in (".", "..") or not path.is_dir():
            raise _no_such_bucket()
        return path

    def _object(self, bucket: str, key: str) -> Path:
        base = self._bucket(bucket).resolve()
        path = (base / key).resolve()
        if base not in path.parents:
            raise _no_such_key()
        return path

    def get_object(self, bucket: str, key: str) -> bytes:
        path = self._object(bucket, key)
        if not path.is_file():
            raise _no_such_key()
        return path.read_bytes()

    def put_object(self, bucket: str, key: str, body: bytes) -> None:
        path = self._object(bucket, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)

    def list_objects(self, bucket: str, prefix: str = "") -> list[ObjectSummary]:
        base = self._bucket(bucket)
        found = []
        for path in base.rglob("*"):
            key = path.relative_to(base).as_posix()
            if path.is_file() and key.startswith(prefix):
                body = path.read_bytes()
                modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                found.append(ObjectSummary(key, f'"{hashlib.md5(body).hexdigest()}"', modified, len(body)))
        return sorted(found, key=lambda summary: summary.key)

    def head_bucket(self, bucket: str) -> None:
        self._bucket(bucket)


class S3ObjectStore:
    """Objects in S3 or an S3-compatible service (MinIO, moto, LocalStack) through boto3."""

    def __init__(
        self,
        *,
        endpoint_url: str | None = None,
        region_name: str | None = None,
        profile_name: str | None = None,
        client: Any = None,
    ) -> None:
        if client is None:
            import boto3

            session = boto3.session.Session(profile_name=profile_name, region_name=region_name)
            client = session.client("s3", endpoint_url=endpoint_url)
        self.client = client

    def _call(self, operation: str, **kwargs: Any) -> Any:
        from botocore.exceptions import ClientError

        try:
            return getattr(self.client, operation)(**kwargs)
        except ClientError as error:
            info = error.response.get("Error", {})
            status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400))
            code = str(info.get("Code", "Unknown"))
            if code in ("NoSuchKey", "404") and operation == "get_object":
                raise _no_such_key() from None
            if code in ("NoSuchBucket", "404"):
                raise _no_such_bucket() from None
            raise ObjectStoreError(str(info.get("Message", error)), code, status) from None

    def get_object(self, bucket: str, key: str) -> bytes:
        body: bytes = self._call("get_object", Bucket=bucket, Key=key)["Body"].read()
        return body

    def put_object(self, bucket: str, key: str, body: bytes) -> None:
        self._call("put_object", Bucket=bucket, Key=key, Body=body)

    def list_objects(self, bucket: str, prefix: str = "") -> list[ObjectSummary]:
        found: list[ObjectSummary] = []
        token: str | None = None
        while True:
            extra = {"ContinuationToken": token} if token else {}
            page = self._call("list_objects_v2", Bucket=bucket, Prefix=prefix, **extra)
            for entry in page.get("Contents", []):
                found.append(
                    ObjectSummary(
                        entry["Key"],
                        entry["ETag"],
                        entry["LastModified"],
                        int(entry["Size"]),
                        entry.get("StorageClass", "STANDARD"),
                    )
                )
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return found

    def head_bucket(self, bucket: str) -> None:
        self._call("head_bucket", Bucket=bucket)


_configured: ObjectStore | None = None
_lock = threading.Lock()


def configure_object_store(store: ObjectStore | None) -> None:
    """Use ``store`` for every Distributed Map's reads and writes (None: from the environment again)."""
    global _configured
    with _lock:
        _configured = store


def object_store() -> ObjectStore:
    """The configured object store, else one made from the environment (see the module docstring)."""
    global _configured
    with _lock:
        if _configured is None:
            _configured = store_from_environment(os.environ)
        return _configured


def store_from_environment(environ: Any) -> ObjectStore:
    """An object store as ``SFN_S3_LOCAL_ROOT`` / ``SFN_S3_ENDPOINT_URL`` / ... in ``environ`` say."""
    root = environ.get("SFN_S3_LOCAL_ROOT")
    if root:
        return LocalObjectStore(root)
    region = environ.get("SFN_S3_REGION") or environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION")
    return S3ObjectStore(
        endpoint_url=environ.get("SFN_S3_ENDPOINT_URL") or None,
        region_name=region or "us-east-1",
        profile_name=environ.get("SFN_S3_PROFILE") or None,
    )
