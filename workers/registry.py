"""The task registry: Python functions that Task states can call by name.

A module of tasks marks its functions with :func:`task`; importing it registers them into the default
:data:`registry`. ``TaskRegistry.load("myproj.tasks")`` or ``load("examples/hello/tasks.py")`` imports
such a module and registers every function it marked (so a second registry can load the same module).
How a Task state names a registered function is described in :mod:`workers.resources`.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar, overload

F = TypeVar("F", bound=Callable[..., Any])

_TASK_NAME_ATTRIBUTE = "__sfn_task_name__"


class TaskRegistry:
    """Names → Python callables. Registering a name again replaces the earlier function."""

    def __init__(self) -> None:
        self._functions: dict[str, Callable[..., Any]] = {}

    def register(self, name: str, fn: Callable[..., Any]) -> None:
        if not name or ":" in name or "/" in name:
            raise ValueError(f"invalid task name {name!r}: use a Lambda-style function name")
        self._functions[name] = fn

    def get(self, name: str) -> Callable[..., Any] | None:
        return self._functions.get(name)

    def names(self) -> list[str]:
        return sorted(self._functions)

    def __contains__(self, name: object) -> bool:
        return name in self._functions

    def load(self, spec: str) -> None:
        """Import a module by dotted name or by file path and register the functions it marked with @task."""
        module = _import_file(Path(spec)) if _looks_like_path(spec) else importlib.import_module(spec)
        for value in vars(module).values():
            name = getattr(value, _TASK_NAME_ATTRIBUTE, None)
            if isinstance(name, str) and callable(value):
                self.register(name, value)


registry = TaskRegistry()


@overload
def task(fn: F, *, name: str | None = None) -> F: ...


@overload
def task(fn: None = None, *, name: str | None = None) -> Callable[[F], F]: ...


def task(fn: F | None = None, *, name: str | None = None) -> F | Callable[[F], F]:
    """Register a function as a task: ``@task`` (named after the function) or ``@task(name="x")``.

    The function receives the task's input (and, if it takes a second argument, a context dict); its
    return value is the task's result and an exception is the task's failure.
    """

    def decorate(function: F) -> F:
        task_name = name or function.__name__
        setattr(function, _TASK_NAME_ATTRIBUTE, task_name)
        registry.register(task_name, function)
        return function

    return decorate(fn) if fn is not None else decorate


def _looks_like_path(spec: str) -> bool:
    return spec.endswith(".py") or "/" in spec or "\\" in spec


def _import_file(path: Path) -> ModuleType:
    """Execute a Python file as a fresh module; its directory goes on ``sys.path`` so siblings import."""
    path = path.resolve()
    if not path.is_file():
        raise FileNotFoundError(f"task module not found: {path}")
    directory = str(path.parent)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    module_name = f"_sfn_tasks_{path.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import task module {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module
