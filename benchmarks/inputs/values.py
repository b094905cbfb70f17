"""Helm values files like the ones users keep next to the StackState / SUSE Observability charts.

Many unrelated sections (global, ingress, hbase, kafka, elasticsearch, victoria-metrics,
stackstate.components.*, resources, affinity, extra environment variables, literal config
blocks) plus a ``stackstate.authentication`` section with a bootstrap service token.  Clean for
all three tools: ``configgen lint`` reports nothing, ``check-jsonschema`` with
``schemas/authentication-section.schema.json`` passes, and ``yamllint`` with its default
configuration reports no error (at most warnings).
"""

from __future__ import annotations

import random

from benchmarks.inputs.content import (
    COMPONENTS,
    ENV_WORDS,
    THIRD_PARTY,
    TOKEN_ALPHABET,
    affinity,
    authentication,
    resources,
    word,
)
from benchmarks.inputs.emit import Block, Comment, to_yaml, yaml_lines


def _component(rng: random.Random, name: str, n: int) -> dict[str, object]:
    comp: dict[str, object] = {
        Comment(f"{name}: sized for the {rng.choice(ENV_WORDS)} cluster"): None,
        "replicaCount": rng.randrange(1, 4),
        "resources": resources(rng),
        "extraEnv": {
            "open": {
                f"CONFIG_FORCE_stackstate_{name}_cache{i}_size": str(rng.randrange(100, 9000))
                for i in range(rng.randrange(1, 4))
            },
            "secret": {},
        },
        "nodeSelector": {"node.kubernetes.io/pool": word(rng, n)},
        "tolerations": [
            {"key": "dedicated", "operator": "Equal", "value": name, "effect": "NoSchedule"}
        ],
    }
    if rng.random() < 0.5:
        comp["affinity"] = affinity(rng, name)
    if rng.random() < 0.4:
        comp["config"] = Block(
            "\n".join(
                f"stackstate.{name}.setting{i} = {rng.randrange(1, 500)}"
                for i in range(rng.randrange(2, 6))
            )
        )
    if rng.random() < 0.3:
        comp["image"] = {"tag": f"7.{rng.randrange(0, 80)}.{rng.randrange(0, 9)}"}
    return comp


def _third_party(rng: random.Random, name: str, n: int) -> dict[str, object]:
    section: dict[str, object] = {
        "enabled": True,
        "replicaCount": rng.randrange(1, 6),
        "persistence": {
            "size": f"{rng.choice((10, 20, 50, 100, 250))}Gi",
            "storageClass": rng.choice(("standard", "gp3", "premium-rwo", "local-path")),
        },
        "resources": resources(rng),
        "podAnnotations": {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": str(rng.choice((8080, 9090, 9404))),
        },
        "extraEnv": {"open": {f"{name.upper().replace('-', '_')}_OPTS": f"-Xmx{n % 7 + 1}g"}},
    }
    if rng.random() < 0.5:
        section["affinity"] = affinity(rng, name)
    if rng.random() < 0.5:
        section["securityContext"] = {"enabled": True, "runAsUser": 65534, "fsGroup": 65534}
    return section


def values_document(seed: int, lines: int) -> str:
    """A Helm values file of ``lines`` lines (exact for 50 or more)."""
    rng = random.Random(f"values-{seed}")
    header = [
        f"Helm values for the StackState / SUSE Observability chart ({word(rng, seed)})",
        "Managed in git; pass with --values on every helm upgrade.",
    ]
    stackstate: dict[str, object] = {
        "baseUrl": f"https://stackstate.{word(rng, seed)}.example.com",
        "apiKey": {"key": "".join(rng.choice(TOKEN_ALPHABET) for _ in range(32))},
        "license": {"key": "LICENSE-" + "".join(rng.choice("0123456789ABCDEF") for _ in range(24))},
        "cluster": {"role": "production", "name": word(rng, seed)},
    }
    data: dict[str, object] = {
        "global": {
            "imageRegistry": "registry.example.com/observability",
            "imagePullSecrets": ["registry-credentials"],
            "storageClass": "standard",
        },
        "ingress": {
            "enabled": True,
            "ingressClassName": "nginx",
            "annotations": {
                "nginx.ingress.kubernetes.io/proxy-body-size": "50m",
                "cert-manager.io/cluster-issuer": "letsencrypt-prod",
            },
            "hosts": [{"host": f"stackstate.{word(rng, seed)}.example.com"}],
            "tls": [{"hosts": [f"stackstate.{word(rng, seed)}.example.com"], "secretName": "tls"}],
        },
        "stackstate": stackstate,
    }
    if lines < 100:  # a small file: an overlay with a few settings
        del data["ingress"], stackstate["license"], stackstate["cluster"]
    auth = authentication(rng, seed)
    components: dict[str, object] = {}
    stackstate["components"] = components
    stackstate["authentication"] = auth
    # Whole sections while they fit, then small settings to reach the exact line count.
    budget = _add_sections(rng, data, components, lines - to_yaml(data, header).count("\n"))
    if budget >= 2:
        data["extraSettings"] = {
            f"setting{i}": f"value-{rng.randrange(10**6)}" for i in range(budget - 1)
        }
    # The authentication section goes first, last, or among the other stackstate settings.
    keys = [k for k in stackstate if k != "authentication"]
    keys.insert(rng.randrange(len(keys) + 1), "authentication")
    data["stackstate"] = {k: stackstate[k] for k in keys}
    return to_yaml(data, header)


def _add_sections(
    rng: random.Random, data: dict[str, object], components: dict[str, object], budget: int
) -> int:
    """Add whole sections while they fit in ``budget`` lines; the lines left."""
    n = 0
    while True:
        n += 1
        if n % 3:
            name = COMPONENTS[n % len(COMPONENTS)]
            key = name if n <= len(COMPONENTS) else f"{name}{n}"
            section = _component(rng, name, n)
            size = sum(1 for _ in yaml_lines({key: section}, 4))
            target: dict[str, object] = components
        else:
            name = THIRD_PARTY[n % len(THIRD_PARTY)]
            key = name if n <= 3 * len(THIRD_PARTY) else f"{name}-{n}"
            section = _third_party(rng, name, n)
            size = sum(1 for _ in yaml_lines({key: section}, 0))
            target = data
        if size > budget - 2:
            return budget
        target[key] = section
        budget -= size
