"""The ``versionDescription`` of a published version: the git commit of the deploy directory, or a hash.

Inside a git work tree the description names ``HEAD`` (``git 1a2b3c4d5e6f``), marked ``+dirty`` with the
definition's content hash when the directory has uncommitted changes; elsewhere it is the hash alone
(``sha256 0f1e2d3c4b5a``). The hash covers what is deployed: the definition and the settings.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from orchestrator.deploy.project import DesiredMachine

MAX_DESCRIPTION = 256  # characters AWS accepts in versionDescription


@dataclass(frozen=True)
class GitState:
    """``HEAD`` of the work tree holding the deploy directory, and whether the directory has changes."""

    commit: str
    dirty: bool


def git_state(directory: Path) -> GitState | None:
    """None when ``directory`` is not in a git work tree (or git is missing)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(directory), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
        )
        if head.returncode != 0:
            return None
        status = subprocess.run(
            ["git", "-C", str(directory), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    return GitState(head.stdout.strip(), bool(status.stdout.strip()))


def content_hash(machine: DesiredMachine) -> str:
    """The first 12 hex digits of the SHA-256 of everything deployed for ``machine``."""
    content = {
        "definition": machine.definition,
        "type": machine.type,
        "roleArn": machine.role_arn,
        "logging": machine.logging,
        "tracing": machine.tracing,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:12]


def version_description(machine: DesiredMachine, git: GitState | None) -> str:
    """What ``sfn deploy`` writes as the new version's description."""
    if git is None:
        text = f"sfn deploy: sha256 {content_hash(machine)}"
    elif git.dirty:
        text = f"sfn deploy: git {git.commit[:12]}+dirty sha256 {content_hash(machine)}"
    else:
        text = f"sfn deploy: git {git.commit[:12]}"
    return text[:MAX_DESCRIPTION]
