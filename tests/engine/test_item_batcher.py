"""ItemBatcher: a DISTRIBUTED Map's items grouped into batch inputs."""

from __future__ import annotations

from typing import Any

from tests.engine.driver import machine, run


def batch_map(batcher: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return machine(
        (
            "Each",
            {
                "Type": "Map",
                "ItemBatcher": batcher,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
                "End": True,
                **fields,
            },
        )
    )


def test_items_are_grouped_by_max_items_per_batch_with_the_batch_input() -> None:
    driver = run(
        batch_map({"MaxItemsPerBatch": 2, "BatchInput": {"tag.$": "$.tag"}}, ItemsPath="$.items"),
        {"items": [1, 2, 3, 4, 5], "tag": "t"},
    )
    assert driver.output == [
        {"BatchInput": {"tag": "t"}, "Items": [1, 2]},
        {"BatchInput": {"tag": "t"}, "Items": [3, 4]},
        {"BatchInput": {"tag": "t"}, "Items": [5]},
    ]


def test_item_selector_applies_to_each_item_before_batching() -> None:
    definition = batch_map(
        {"MaxItemsPerBatchPath": "$.size"},
        ItemsPath="$.items",
        ItemSelector={"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
    )
    driver = run(definition, {"items": ["a", "b", "c"], "size": 2})
    assert driver.output == [
        {"Items": [{"v": "a", "i": 0}, {"v": "b", "i": 1}]},
        {"Items": [{"v": "c", "i": 2}]},
    ]


def test_max_input_bytes_per_batch_starts_a_new_batch_when_the_next_item_does_not_fit() -> None:
    items = ["x" * 10, "y" * 10, "z" * 10]
    driver = run(batch_map({"MaxInputBytesPerBatch": 40}), items)
    assert driver.output == [{"Items": [items[0], items[1]]}, {"Items": [items[2]]}]


def test_jsonata_batcher_fields_are_expressions() -> None:
    definition = batch_map(
        {
            "MaxItemsPerBatch": "{% $states.input.n %}",
            "BatchInput": {"count": "{% $count($states.input.items) %}"},
        },
        Items="{% $states.input.items %}",
        QueryLanguage="JSONata",
    )
    driver = run(definition, {"items": [1, 2, 3], "n": 3})
    assert driver.output == [{"BatchInput": {"count": 3}, "Items": [1, 2, 3]}]


def test_a_batch_size_below_one_fails_the_state() -> None:
    driver = run(batch_map({"MaxItemsPerBatchPath": "$.n"}, ItemsPath="$.items"), {"items": [1], "n": 0})
    assert driver.status == "FAILED"
    error, cause = driver.error_and_cause
    assert error == "States.Runtime"
    assert (cause or "").endswith("The MaxItemsPerBatch field must be a positive integer: 0")
