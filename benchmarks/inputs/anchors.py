"""YAML anchors, aliases and merge keys (issue #13): a large values file that reuses shared
blocks everywhere, and a small merge-key bomb.

``aliases_document`` is a values file as teams write them when many components share settings:
resources, affinity, tolerations and labels are defined once under ``shared`` with anchors and
reused by alias (``resources: *resources-3``) or merge key (``<<: *common-1``) in every
component.  It expands to far fewer values than ``configgen lint``'s limit (200,000), stays
under its file-size limit (512 KiB) and is clean: lint and apply both succeed on it.

``merge_bomb`` is about 1.1 KB of nested anchors where every level merges the previous one
many times (``<<: [*l3, *l3, ...]``): a loader that expands merge keys naively does
``fan_out ** levels`` work.  It is valid YAML; configgen may report it (a limit finding) but
must do so quickly and in little memory.
"""

from __future__ import annotations

import random

from benchmarks.inputs.content import (
    COMPONENTS,
    ENV_WORDS,
    affinity,
    authentication,
    resources,
    word,
)
from benchmarks.inputs.emit import MERGE, Alias, Anchored, Comment, to_yaml, yaml_lines

SHARED = 8  # anchored blocks of each kind


def _shared(rng: random.Random) -> dict[str, object]:
    """The anchored blocks: ``SHARED`` of each kind."""
    shared: dict[str, object] = {
        Comment("Defined once, reused by alias and merge key in every component"): None
    }
    for i in range(SHARED):
        shared[f"resources-{i}"] = Anchored(f"resources-{i}", resources(rng))
        shared[f"affinity-{i}"] = Anchored(f"affinity-{i}", affinity(rng, f"pool-{i}"))
        toleration = {
            "key": "dedicated",
            "operator": "Equal",
            "value": f"pool-{i}",
            "effect": "NoSchedule",
        }
        shared[f"tolerations-{i}"] = Anchored(f"tolerations-{i}", [toleration])
        shared[f"common-{i}"] = Anchored(
            f"common-{i}",
            {
                "priorityClassName": f"stackstate-{rng.choice(('high', 'medium', 'low'))}",
                "podLabels": {"team": f"team-{i}", "tier": rng.choice(("backend", "data"))},
            },
        )
    return shared


def _component(rng: random.Random, n: int) -> dict[str, object]:
    """One component: a merge key, aliases to shared blocks, a few settings of its own."""

    def pick(kind: str) -> Alias:
        return Alias(f"{kind}-{rng.randrange(SHARED)}")

    component: dict[str, object] = {
        MERGE: pick("common"),
        "replicaCount": rng.randrange(1, 4),
        "resources": pick("resources"),
        "affinity": pick("affinity"),
        "tolerations": pick("tolerations"),
        "nodeSelector": {"node.kubernetes.io/pool": word(rng, n)},
        "extraEnv": {
            "open": {
                f"CONFIG_FORCE_stackstate_cache{i}_size": str(rng.randrange(100, 9000))
                for i in range(rng.randrange(1, 3))
            }
        },
    }
    if rng.random() < 0.3:
        component["image"] = {"tag": f"7.{rng.randrange(0, 80)}.{rng.randrange(0, 9)}"}
    return component


def aliases_document(seed: int, size: int) -> str:
    """A values file of at most ``size`` bytes (and within 500 of it) full of aliases."""
    rng = random.Random(f"aliases-{seed}")
    header = [
        f"Helm values for the StackState / SUSE Observability chart ({word(rng, seed)})",
        "Shared blocks are anchored once and reused by alias and merge key.",
    ]
    components: dict[str, object] = {}
    data: dict[str, object] = {
        "shared": _shared(rng),
        "stackstate": {
            "baseUrl": f"https://stackstate.{word(rng, seed)}.example.com",
            "authentication": authentication(rng, seed),
            "components": components,
        },
    }
    budget = size - len(to_yaml(data, header).encode())
    n = 0
    while True:
        n += 1
        name = f"{COMPONENTS[n % len(COMPONENTS)]}-{rng.choice(ENV_WORDS)}-{n}"
        component = _component(rng, n)
        cost = sum(len(line) + 1 for line in yaml_lines({name: component}, 4))
        if cost > budget:
            break
        components[name] = component
        budget -= cost
    return to_yaml(data, header)


def merge_bomb(levels: int = 12, fan_out: int = 10) -> str:
    """Nested anchors, each level merging the previous one ``fan_out`` times (valid YAML)."""
    lines = [
        "---",
        f"# A merge-key bomb (issue #13): each level merges the one below it {fan_out} times,",
        f"# so a reader that expands every merge on its own takes {fan_out}^{levels} steps.",
        "l0: &l0",
        "  name: base",
        "  enabled: true",
    ]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*l{level - 1}"] * fan_out)
        lines += [f"l{level}: &l{level}", f"  <<: [{refs}]", f"  level{level}: {level}"]
    lines += ["stackstate:", f"  settings: *l{levels}"]
    return "\n".join(lines) + "\n"
