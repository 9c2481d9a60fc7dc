"""Tasks of the hello example: plain Python functions the state machine calls by name.

``machine.asl.json`` names them with Lambda function ARNs (``arn:aws:lambda:...:function:price_item``),
so the same definition also runs on AWS once these functions are deployed as Lambda functions.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from workers import task

_attempts: Counter[str] = Counter()


class StockServiceBusy(Exception):
    """A transient failure: the state machine retries it (``Retry`` on ``StockServiceBusy``)."""


@task
def price_item(item: dict[str, Any]) -> dict[str, Any]:
    """One Map iteration: the line total of an order item."""
    return {"sku": item["sku"], "total_cents": item["qty"] * item["price_cents"]}


@task
def reserve_stock(order: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """A flaky stock service: busy on the first call for a customer, fine when retried."""
    _attempts[order["customer"]] += 1
    if _attempts[order["customer"]] == 1:
        raise StockServiceBusy("the stock service is busy, try again")
    return {"reserved": [item["sku"] for item in order["items"]], "attempts": _attempts[order["customer"]]}


@task
def summarise(order: dict[str, Any]) -> dict[str, Any]:
    """The last step: a greeting and the order total."""
    total = sum(line["total_cents"] for line in order["priced"])
    items = f"{len(order['priced'])} item" + ("" if len(order["priced"]) == 1 else "s")
    return {
        "message": f"Hello, {order['customer']}! {items}, {total / 100:.2f} EUR, {order['shipping']} shipping.",
        "total_cents": total,
        "reserved": order["reservation"]["reserved"],
    }
