"""Map states: the item processor (``ItemProcessor`` or legacy ``Iterator``) and its ``ProcessorConfig``,
items, concurrency, failure tolerance and ``Label``.

AWS's parser rejects a bad ``Label`` on its own, outside the usual diagnostics: ``Error=ValueError
Args=['Label cannot be empty'] in definition '<definition>'.`` -- such diagnostics are ``standalone``
(``validation/machine.py`` fills in the definition text).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import Any

from orchestrator.asl.diagnostics import Diagnostic
from orchestrator.asl.validation import item_io
from orchestrator.asl.validation.fields import PROCESSOR_CONFIG_FIELDS
from orchestrator.asl.validation.paths import check_path, check_payload_template, is_jsonata
from orchestrator.asl.validation.report import JSONATA, JSONPATH, SCHEMA, Report, at
from orchestrator.asl.validation.values import check_number

MODES = ("INLINE", "DISTRIBUTED")
EXECUTION_TYPES = ("STANDARD", "EXPRESS")
LABEL_MAX_LENGTH = 40
LABEL_INVALID_CHARACTERS = [
    *' ?*<>{}[]:;,\\|^~$#%&`"',
    *(chr(i) for i in chain(range(0x00, 0x20), range(0x7F, 0xA0))),
]


def check_map(
    report: Report,
    state: dict[str, Any],
    path: str,
    language: str,
    check: Callable[[Report, Any, str, str], None],
) -> None:
    _check_processor(report, state, path, check)
    check_path(report, state, path, "ItemsPath", reference=True)
    if "Items" in state and language == JSONATA and not is_jsonata(state["Items"]):
        report.expect(state["Items"], at(path, "Items"), "ARRAY")
    report.exclusive(state, path, "ItemSelector", "Parameters")
    selector = state.get("ItemSelector")
    literal_selector = "ItemSelector" in state and not (language == JSONATA and is_jsonata(selector))
    if (
        literal_selector
        and report.expect(selector, at(path, "ItemSelector"), "OBJECT")
        and language == JSONPATH
    ):
        check_payload_template(report, selector, at(path, "ItemSelector"))
    if "ItemReader" in state:
        item_io.check_item_reader(report, state["ItemReader"], at(path, "ItemReader"), language)
    if "ItemBatcher" in state:
        item_io.check_item_batcher(report, state["ItemBatcher"], at(path, "ItemBatcher"), language)
    if "ResultWriter" in state:
        item_io.check_result_writer(report, state["ResultWriter"], at(path, "ResultWriter"), language)
    report.exclusive(state, path, "MaxConcurrency", "MaxConcurrencyPath")
    check_number(report, state, path, "MaxConcurrency", language, low=0)
    check_path(report, state, path, "MaxConcurrencyPath", reference=True)
    report.exclusive(state, path, "ToleratedFailureCount", "ToleratedFailureCountPath")
    report.exclusive(state, path, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath")
    check_number(report, state, path, "ToleratedFailureCount", language, low=0)
    check_number(report, state, path, "ToleratedFailurePercentage", language, kind="NUMBER", low=0, high=100)
    check_path(report, state, path, "ToleratedFailureCountPath", reference=True)
    check_path(report, state, path, "ToleratedFailurePercentagePath", reference=True)
    if "Label" in state:
        _check_label(report, state["Label"], at(path, "Label"))


def _check_processor(
    report: Report, state: dict[str, Any], path: str, check: Callable[[Report, Any, str, str], None]
) -> None:
    if "ItemProcessor" not in state and "Iterator" not in state:
        report.error(path, "These fields are required: [ItemProcessor]")
        return
    if report.exclusive(state, path, "ItemProcessor", "Iterator"):
        return
    field = "ItemProcessor" if "ItemProcessor" in state else "Iterator"
    processor = state[field]
    check(report, processor, at(path, field), "processor")
    if isinstance(processor, dict) and "ProcessorConfig" in processor:
        _check_processor_config(report, processor["ProcessorConfig"], at(at(path, field), "ProcessorConfig"))


def _check_processor_config(report: Report, config: Any, path: str) -> None:
    if not report.expect(config, path, "OBJECT"):
        return
    report.unsupported(config, path, PROCESSOR_CONFIG_FIELDS)
    mode = config.get("Mode", "INLINE")
    if mode not in MODES:
        report.error(at(path, "Mode"), f"Value should be one of the following: [{', '.join(MODES)}]")
        return
    if mode == "INLINE" and "ExecutionType" in config:
        report.error(path, "Field 'ExecutionType' is not supported")
    elif mode == "DISTRIBUTED" and report.required(config, path, ("ExecutionType",)):
        _check_execution_type(report, config["ExecutionType"], at(path, "ExecutionType"))


def _check_execution_type(report: Report, execution_type: Any, path: str) -> None:
    if execution_type not in EXECUTION_TYPES:
        report.error(path, f"Value should be one of the following: [{', '.join(EXECUTION_TYPES)}]")


def _check_label(report: Report, label: Any, path: str) -> None:
    if not report.expect(label, path, "STRING"):
        return
    problem = None
    if not label:
        problem = "Label cannot be empty"
    elif len(label) > LABEL_MAX_LENGTH:
        problem = f"Label cannot exceed {LABEL_MAX_LENGTH} characters"
    else:
        invalid = next((char for char in LABEL_INVALID_CHARACTERS if char in label), None)
        if invalid is not None:
            problem = f"Label contains invalid character: '{invalid.encode('unicode-escape').decode()}'"
    if problem is not None:
        report.diagnostics.append(Diagnostic(SCHEMA, problem, path, standalone=True))
