"""What ``configgen render`` can write: one file per platform, and the two HOCON forms."""

from __future__ import annotations

from dataclasses import dataclass

from configgen.parsing.kinds import HELM, HOCON


@dataclass(frozen=True)
class Target:
    """One output file: the platform it is for, its file kind, and what to do with it next."""

    name: str
    filename: str
    kind: str  # configgen.parsing.kinds helm or hocon, or SECRET_MANIFEST, ENVIRONMENT
    next_step: str


SECRET_MANIFEST = "secret-manifest"  # a Kubernetes Secret for fromExternalSecret
ENVIRONMENT = "environment"  # an environment file for systemd's EnvironmentFile=


APPEND_HOCON = "append the block to application_stackstate.conf"
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
        f"{APPEND_HOCON}, then restart StackState",
    ),
}
ALL = "all"  # --target all: every target
TARGET_CHOICES = (*TARGETS, ALL)

FULL, SHORT = "full", "short"
HOCON_FORMS = (FULL, SHORT)  # stackstate.api.authentication... or the docs' authentication { }


def for_kind(kind: str) -> Target:
    """The target that writes files of ``kind``."""
    return next(target for target in TARGETS.values() if target.kind == kind)


def secret_manifest(name: str) -> Target:
    """The Secret manifest for ``fromExternalSecret: name`` (next to authentication.yaml)."""
    filename = f"{name}-secret.yaml"
    return Target(
        "kubernetes-secret",
        filename,
        SECRET_MANIFEST,
        f"fill in the empty values of {filename}, then kubectl apply --namespace stackstate "
        f"-f {filename} before helm upgrade, or encrypt it (kubeseal, sops) and commit the "
        "encrypted form; never commit it as it is",
    )


def environment_file(filename: str, next_step: str) -> Target:
    """An environment file holding the token for the Linux service."""
    return Target("linux-environment", filename, ENVIRONMENT, next_step)
