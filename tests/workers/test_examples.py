"""The shipped example's tasks load by file path and behave as its state machine expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.outcome import TaskOutcome, TaskRequest
from workers.registry import TaskRegistry
from workers.resources import ResourceResolver

HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello"


def arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


@pytest.fixture
def resolver(registry: TaskRegistry) -> ResourceResolver:
    registry.load(str(HELLO / "tasks.py"))
    return ResourceResolver(registry)


def test_the_hello_tasks_are_registered(registry: TaskRegistry) -> None:
    registry.load(str(HELLO / "tasks.py"))

    assert registry.names() == ["price_item", "reserve_stock", "summarise"]


def test_reserve_stock_is_flaky_once_then_succeeds(resolver: ResourceResolver) -> None:
    # given
    order = {"customer": "Grace", "items": [{"sku": "apple", "qty": 1, "price_cents": 50}]}
    request = TaskRequest(resource=arn("reserve_stock"), parameters=order, context={})

    # when
    first, second = resolver.run(request), resolver.run(request)

    # expect
    assert first == TaskOutcome(error="StockServiceBusy", cause="the stock service is busy, try again")
    assert second == TaskOutcome(output={"reserved": ["apple"], "attempts": 2})


def test_price_and_summarise(resolver: ResourceResolver) -> None:
    # given
    item = {"sku": "pear", "qty": 2, "price_cents": 75}

    # when
    priced = resolver.run(TaskRequest(resource=arn("price_item"), parameters=item, context={})).output
    order = {
        "customer": "Ada",
        "priced": [priced],
        "shipping": "standard",
        "reservation": {"reserved": ["pear"]},
    }
    summary = resolver.run(TaskRequest(resource=arn("summarise"), parameters=order, context={})).output

    # expect
    assert priced == {"sku": "pear", "total_cents": 150}
    assert summary["message"] == "Hello, Ada! 1 item, 1.50 EUR, standard shipping."
