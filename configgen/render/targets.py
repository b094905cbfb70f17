"""What ``configgen render`` can write: one file per platform, and the two HOCON forms."""

from __future__ import annotations

from dataclasses import dataclass

from configgen.parsing.kinds import HELM, HOCON


@dataclass(frozen=True)
class Target:
    """One output file: the platform it is for, its file kind, and what to do with it next."""

    name: str
    filename: str
    kind: str  # configgen.parsing.kinds: helm or hocon
    next_step: str


TARGETS: dict[str, Target] = {
    "kubernetes": Target(
        "kubernetes",
        "authentication.yaml",
        HELM,
        "helm upgrade --install --namespace stackstate --values values.yaml "
        "--values authentication.yaml stackstate stackstate/stackstate",
    ),
    "linux": Target(
        "linux",
        "application_stackstate.conf",
        HOCON,
        "append the block to application_stackstate.conf, then restart StackState",
    ),
}
ALL = "all"  # --target all: every target
TARGET_CHOICES = (*TARGETS, ALL)

FULL, SHORT = "full", "short"
HOCON_FORMS = (FULL, SHORT)  # stackstate.api.authentication... or the docs' authentication { }


def for_kind(kind: str) -> Target:
    """The target that writes files of ``kind``."""
    return next(target for target in TARGETS.values() if target.kind == kind)
