"""The ObjectStore contract, run on both implementations (local files; S3 through moto's server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestrator.itemio.stores import (
    LocalObjectStore,
    ObjectStore,
    ObjectStoreError,
    S3ObjectStore,
    store_from_environment,
)


def test_an_object_put_is_got_back(object_store: tuple[ObjectStore, str]) -> None:
    store, bucket = object_store

    store.put_object(bucket, "dir/a.json", b"[1, 2]")

    assert store.get_object(bucket, "dir/a.json") == b"[1, 2]"


def test_a_missing_key_is_no_such_key(object_store: tuple[ObjectStore, str]) -> None:
    store, bucket = object_store

    with pytest.raises(ObjectStoreError) as raised:
        store.get_object(bucket, "nothing.json")

    assert (raised.value.code, raised.value.status) == ("NoSuchKey", 404)
    assert raised.value.message == "The specified key does not exist."


def test_a_missing_bucket_is_no_such_bucket(object_store: tuple[ObjectStore, str]) -> None:
    store, _ = object_store

    with pytest.raises(ObjectStoreError) as raised:
        store.head_bucket("no-such-bucket-here")

    assert raised.value.code == "NoSuchBucket"


def test_a_listing_has_keys_sizes_and_quoted_etags_in_key_order(
    object_store: tuple[ObjectStore, str],
) -> None:
    store, bucket = object_store
    for name in ("b.txt", "a.txt", "other/c.txt"):
        store.put_object(bucket, name, b"12345")

    everything = store.list_objects(bucket)
    prefixed = store.list_objects(bucket, "other/")

    assert [summary.key for summary in everything] == ["a.txt", "b.txt", "other/c.txt"]
    assert {summary.size for summary in everything} == {5}
    assert all(s.etag.startswith('"') and s.etag.endswith('"') for s in everything)
    assert everything[0].etag == '"827ccb0eea8a706c4c34a16891f84e7b"'  # md5 of 12345, as S3 has it
    assert [summary.key for summary in prefixed] == ["other/c.txt"]


def test_a_local_key_cannot_leave_its_bucket(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "secret").write_text("x")
    store = LocalObjectStore(tmp_path)

    with pytest.raises(ObjectStoreError):
        store.get_object("b", "../secret")


def test_the_environment_chooses_the_store(tmp_path: Path) -> None:
    local = store_from_environment({"SFN_S3_LOCAL_ROOT": str(tmp_path), "SFN_S3_ENDPOINT_URL": "http://x"})
    s3 = store_from_environment({"SFN_S3_ENDPOINT_URL": "http://127.0.0.1:9", "SFN_S3_REGION": "eu-west-1"})

    assert isinstance(local, LocalObjectStore) and local.root == tmp_path
    assert isinstance(s3, S3ObjectStore)
    assert s3.client.meta.endpoint_url == "http://127.0.0.1:9"
    assert s3.client.meta.region_name == "eu-west-1"
