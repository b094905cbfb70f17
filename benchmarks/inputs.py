"""Deterministic, realistic benchmark inputs: Helm values files and HOCON server configuration.

Values files look like the ones users keep next to the StackState / SUSE Observability charts:
many unrelated sections (global, ingress, hbase, kafka, elasticsearch, victoria-metrics,
stackstate.components.*, resources, affinity, extra environment variables, literal config
blocks) plus a ``stackstate.authentication`` section with a bootstrap service token.

HOCON files look like ``application_stackstate.conf``: akka, kafka, elasticsearch, web and
process-manager settings with comments and optional ``${?ENV}`` substitutions, plus the
``stackstate.api.authentication.authServer`` block with ``serviceTokenAuthServer.bootstrap``.

Every file is generated from a seeded ``random.Random``: the same seed and size give the same
bytes on every machine and Python version (only ``Random.random``/``randrange``/``choice`` on
ints and lists are used).  Files are clean for all three tools: ``configgen lint`` reports
nothing, ``check-jsonschema`` with ``schemas/authentication-section.schema.json`` passes, and
``yamllint`` with its default configuration reports no error (at most warnings).

    python benchmarks/inputs.py DIR     # write the benchmark input tree into DIR (for a look)
"""

# ruff: noqa: S311
# S311: the inputs must be reproducible, not secret: seeded ``random.Random`` on purpose.

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
ROLES = (
    "stackstate-power-user",
    "stackstate-admin",
    "stackstate-guest",
    "stackstate-k8s-troubleshooter",
)
COMPONENTS = (
    "api", "checks", "correlate", "e2es", "healthSync", "initializer", "notification",
    "receiver", "router", "server", "slicing", "state", "sync", "ui", "vmagent", "kafkaTopicCreate",
)  # fmt: skip
THIRD_PARTY = (
    "hbase", "elasticsearch", "kafka", "zookeeper", "victoria-metrics-0", "victoria-metrics-1",
    "clickhouse", "minio", "opentelemetry-collector", "prometheus-elasticsearch-exporter",
    "kafkaup-operator", "backup", "anomaly-detection", "pull-image",
)  # fmt: skip
ENV_WORDS = ("prod", "staging", "dev", "eu-west", "us-east", "ap-south", "lab", "qa")
UNITS = ("24h", "12h", "7d", "30d", "36h", "1h", "48h", "365d")


class Comment(str):
    """A mapping key that is emitted as a comment line (its value is ignored)."""


@dataclass(frozen=True)
class Block:
    """A literal block scalar (``key: |``) in YAML, a triple-quoted string in HOCON."""

    text: str


@dataclass(frozen=True)
class Raw:
    """A value emitted verbatim (HOCON durations, substitutions)."""

    text: str


# --------------------------------------------------------------------------------------------
# YAML emitter (yamllint default style: 2-space indentation, indented sequences, <= 80 columns)

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9._/-]*$")
_YAML11_WORDS = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nil", "none", "~",
}  # fmt: skip


def _yaml_scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML11_WORDS:
        return text
    return json.dumps(text)


def _yaml_lines(value: object, indent: int) -> Iterator[str]:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, Comment):
                yield f"{pad}# {key}"
                continue
            head = f"{pad}{_yaml_scalar(key)}:"
            if isinstance(item, Block):
                yield f"{head} |"
                yield from (f"{pad}  {line}" if line else "" for line in item.text.splitlines())
            elif isinstance(item, dict) and item:
                yield head
                yield from _yaml_lines(item, indent + 2)
            elif isinstance(item, list) and item:
                yield head
                yield from _yaml_lines(item, indent + 2)
            elif isinstance(item, (dict, list)):
                yield f"{head} {'{}' if isinstance(item, dict) else '[]'}"
            else:
                yield f"{head} {_yaml_scalar(item)}"
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                lines = list(_yaml_lines(item, indent + 2))
                yield f"{pad}- {lines[0].lstrip()}"
                yield from lines[1:]
            else:
                yield f"{pad}- {_yaml_scalar(item)}"
    else:
        raise TypeError(value)


def to_yaml(data: dict[str, object], header: list[str]) -> str:
    lines = ["---", *(f"# {h}" for h in header), *_yaml_lines(data, 0)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# HOCON emitter (the style of application_stackstate.conf)


def _hocon_scalar(value: object) -> str:
    if isinstance(value, Raw):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_hocon_scalar(v) for v in value) + "]"
    return json.dumps(str(value))


def _hocon_lines(value: dict[str, object], indent: int) -> Iterator[str]:
    pad = " " * indent
    for key, item in value.items():
        if isinstance(key, Comment):
            yield f"{pad}{'//' if len(key) % 2 else '#'} {key}"
        elif isinstance(item, dict):
            yield f"{pad}{key} {{"
            yield from _hocon_lines(item, indent + 2)
            yield f"{pad}}}"
        elif isinstance(item, Block):
            yield f'{pad}{key} = """{item.text}"""'
        elif isinstance(item, list) and item and isinstance(item[0], dict):
            yield f"{pad}{key} = ["
            for entry in item:
                yield f"{pad}  {{"
                yield from _hocon_lines(entry, indent + 4)
                yield f"{pad}  }}"
            yield f"{pad}]"
        else:
            yield f"{pad}{key} = {_hocon_scalar(item)}"


def to_hocon(data: dict[str, object], header: list[str]) -> str:
    lines = [*(f"# {h}" for h in header), *_hocon_lines(data, 0)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Content


def _token(rng: random.Random) -> str:
    return "".join(rng.choice(TOKEN_ALPHABET) for _ in range(43))


def _word(rng: random.Random, n: int) -> str:
    return f"{rng.choice(ENV_WORDS)}-{n}"


def _resources(rng: random.Random) -> dict[str, object]:
    cpu = rng.choice((250, 500, 1000, 2000, 4000))
    mem = rng.choice((512, 1024, 2048, 4096, 8192))
    return {
        "limits": {"cpu": f"{cpu * 2}m", "memory": f"{mem * 2}Mi", "ephemeral-storage": "1Gi"},
        "requests": {"cpu": f"{cpu}m", "memory": f"{mem}Mi"},
    }


def _affinity(rng: random.Random, app: str) -> dict[str, object]:
    return {
        "podAntiAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {
                    "weight": rng.choice((50, 100)),
                    "podAffinityTerm": {
                        "topologyKey": "kubernetes.io/hostname",
                        "labelSelector": {
                            "matchLabels": {"app.kubernetes.io/component": app},
                        },
                    },
                }
            ]
        }
    }


def _component(rng: random.Random, name: str, n: int) -> dict[str, object]:
    comp: dict[str, object] = {
        Comment(f"{name}: sized for the {rng.choice(ENV_WORDS)} cluster"): None,
        "replicaCount": rng.randrange(1, 4),
        "resources": _resources(rng),
        "extraEnv": {
            "open": {
                f"CONFIG_FORCE_stackstate_{name}_cache{i}_size": str(rng.randrange(100, 9000))
                for i in range(rng.randrange(1, 4))
            },
            "secret": {},
        },
        "nodeSelector": {"node.kubernetes.io/pool": _word(rng, n)},
        "tolerations": [
            {"key": "dedicated", "operator": "Equal", "value": name, "effect": "NoSchedule"}
        ],
    }
    if rng.random() < 0.5:
        comp["affinity"] = _affinity(rng, name)
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
        "resources": _resources(rng),
        "podAnnotations": {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": str(rng.choice((8080, 9090, 9404))),
        },
        "extraEnv": {"open": {f"{name.upper().replace('-', '_')}_OPTS": f"-Xmx{n % 7 + 1}g"}},
    }
    if rng.random() < 0.5:
        section["affinity"] = _affinity(rng, name)
    if rng.random() < 0.5:
        section["securityContext"] = {"enabled": True, "runAsUser": 65534, "fsGroup": 65534}
    return section


def _authentication(rng: random.Random, n: int) -> dict[str, object]:
    """A clean ``stackstate.authentication`` section; which login provider varies."""
    roles = sorted({rng.choice(ROLES) for _ in range(rng.randrange(1, 3))})
    bootstrap: dict[str, object] = {"token": _token(rng), "roles": roles}
    if rng.random() < 0.8:
        bootstrap["ttl"] = rng.choice(UNITS)
    if rng.random() < 0.3:
        bootstrap["dedicatedSubject"] = f"bootstrap-{_word(rng, n)}"
    auth: dict[str, object] = {
        Comment("Bootstrap service token: created on start-up for automation"): None,
        "serviceToken": {"bootstrap": bootstrap},
    }
    kind = rng.randrange(4)
    if kind == 0:
        auth[Comment("yamllint disable-line rule:line-length")] = None
        auth["adminPassword"] = "$2y$10$" + "".join(rng.choice(TOKEN_ALPHABET) for _ in range(53))
    elif kind == 1:
        auth["ldap"] = {
            "host": f"ldap.{_word(rng, n)}.example.com",
            "port": 636,
            "ssl": {"enabled": True},
            "bind": {"dn": "cn=stackstate,ou=services,dc=example,dc=com", "password": "env"},
            "userQuery": {
                "parameters": [{"ou": "employees"}, {"dc": "example"}],
                "usernameKey": "cn",
                "emailKey": "mail",
            },
        }
        auth["roles"] = {"admin": ["platform-team"], "powerUser": ["sre"], "guest": ["dev"]}
    elif kind == 2:
        auth["oidc"] = {
            "clientId": f"stackstate-{n}",
            "secret": "from-external-secret",
            "discoveryUri": f"https://sso.{_word(rng, n)}.example.com/.well-known",
            "authenticationMethod": "client_secret_basic",
            "jwsAlgorithm": "RS256",
            "scope": ["openid", "email", "profile"],
            "jwtClaims": {"usernameField": "email", "groupsField": "groups"},
        }
        auth["roles"] = {
            "admin": ["observability-admins"],
            "custom": {
                f"team-{n}": {
                    "systemPermissions": ["read-settings", "access-view"],
                    "viewPermissions": ["access-view"],
                    "topologyScope": "label = 'team'",
                }
            },
        }
    else:
        auth["file"] = {
            "logins": [
                {
                    "username": f"user{i}",
                    "passwordHash": "5f4dcc3b5aa765d61d8327deb882cf99",
                    "roles": [rng.choice(ROLES)],
                }
                for i in range(rng.randrange(1, 4))
            ]
        }
    if rng.random() < 0.5:
        auth["sessionLifetime"] = rng.choice(("7d", "12h", "30d"))
    return auth


def values_document(seed: int, lines: int) -> str:
    """A Helm values file of ``lines`` lines (exact for 50 or more)."""
    rng = random.Random(f"values-{seed}")
    header = [
        f"Helm values for the StackState / SUSE Observability chart ({_word(rng, seed)})",
        "Managed in git; pass with --values on every helm upgrade.",
    ]
    stackstate: dict[str, object] = {
        "baseUrl": f"https://stackstate.{_word(rng, seed)}.example.com",
        "apiKey": {"key": "".join(rng.choice(TOKEN_ALPHABET) for _ in range(32))},
        "license": {"key": "LICENSE-" + "".join(rng.choice("0123456789ABCDEF") for _ in range(24))},
        "cluster": {"role": "production", "name": _word(rng, seed)},
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
            "hosts": [{"host": f"stackstate.{_word(rng, seed)}.example.com"}],
            "tls": [{"hosts": [f"stackstate.{_word(rng, seed)}.example.com"], "secretName": "tls"}],
        },
        "stackstate": stackstate,
    }
    if lines < 100:  # a small file: an overlay with a few settings
        del data["ingress"], stackstate["license"], stackstate["cluster"]
    auth = _authentication(rng, seed)
    components: dict[str, object] = {}
    stackstate["components"] = components
    stackstate["authentication"] = auth
    budget = lines - to_yaml(data, header).count("\n")
    n = 0
    # Whole sections while they fit, then small settings to reach the exact line count.
    while True:
        n += 1
        if n % 3:
            name = COMPONENTS[n % len(COMPONENTS)]
            key = name if n <= len(COMPONENTS) else f"{name}{n}"
            section = _component(rng, name, n)
            size = sum(1 for _ in _yaml_lines({key: section}, 4))
            target: dict[str, object] = components
        else:
            name = THIRD_PARTY[n % len(THIRD_PARTY)]
            key = name if n <= 3 * len(THIRD_PARTY) else f"{name}-{n}"
            section = _third_party(rng, name, n)
            size = sum(1 for _ in _yaml_lines({key: section}, 0))
            target = data
        if size > budget - 2:
            break
        target[key] = section
        budget -= size
    if budget >= 2:
        data["extraSettings"] = {
            f"setting{i}": f"value-{rng.randrange(10**6)}" for i in range(budget - 1)
        }
    # The authentication section goes first, last, or among the other stackstate settings.
    keys = [k for k in stackstate if k != "authentication"]
    keys.insert(rng.randrange(len(keys) + 1), "authentication")
    data["stackstate"] = {k: stackstate[k] for k in keys}
    return to_yaml(data, header)


def hocon_document(seed: int, lines: int) -> str:
    """An ``application_stackstate.conf``-like file of ``lines`` lines (exact for 50 or more)."""
    rng = random.Random(f"hocon-{seed}")
    header = [
        f"StackState server configuration ({_word(rng, seed)})",
        "Settings from the environment win where ${?VAR} is given.",
    ]
    data: dict[str, object] = {
        "stackstate": {
            "baseUrl": Raw(f'"https://stackstate.{_word(rng, seed)}.example.com"'),
            "baseUrl_env": Raw("${?STACKSTATE_BASE_URL}"),
            "instanceApi": {"apiKey": _token(rng)[:32], "port": 7070},
        },
        "akka": {
            "loglevel": "INFO",
            "http": {
                "server": {"request-timeout": Raw("60s"), "idle-timeout": Raw("120s")},
                "host-connection-pool": {"max-connections": 64, "max-open-requests": 256},
            },
        },
    }
    bootstrap: dict[str, object] = {
        "token": _token(rng),
        "roles": sorted({rng.choice(ROLES) for _ in range(rng.randrange(1, 3))}),
        "ttl": rng.choice(UNITS),
    }
    providers = ["stackstateAuthServer"] if rng.random() < 0.6 else ["ldapAuthServer"]
    auth_server: dict[str, object] = {
        "authServerType": [*providers, "serviceTokenAuthServer"],
        "serviceTokenAuthServer": {"bootstrap": bootstrap},
    }
    if providers[0] == "stackstateAuthServer":
        auth_server["stackstateAuthServer"] = {
            "logins": [
                {
                    "username": "admin",
                    "password": "5f4dcc3b5aa765d61d8327deb882cf99",
                    "roles": ["stackstate-admin"],
                }
            ]
        }
    auth = {"authentication": {"authServer": auth_server, "sessionLifetime": Raw("7d")}}
    stackstate = data["stackstate"]
    assert isinstance(stackstate, dict)
    sections: dict[str, object] = {}
    stackstate["services"] = sections
    # The bootstrap block, appended as configgen render writes it (dotted path at the end) or
    # nested inside stackstate.api.
    if rng.random() < 0.5:
        data["stackstate.api"] = auth
    else:
        stackstate["api"] = auth
    budget = lines - to_hocon(data, header).count("\n")
    n = 0
    while True:
        n += 1
        name = f"{THIRD_PARTY[n % len(THIRD_PARTY)].replace('-', '')}{n}"
        section: dict[str, object] = {
            Comment(f"{name}: tuned for {_word(rng, n)}"): None,
            "enabled": True,
            "hosts": [f"{name}-{i}.{_word(rng, n)}.svc:9092" for i in range(rng.randrange(1, 4))],
            "timeout": Raw(rng.choice(("30s", "5 minutes", "1500ms", "2h"))),
            "retries": rng.randrange(1, 10),
            "pool": {"size": rng.randrange(2, 64), "queue": rng.randrange(100, 5000)},
            "override": Raw(f"${{?{name.upper()}_OVERRIDE}}"),
        }
        if rng.random() < 0.3:
            section["options"] = Block("-Xms512m -Xmx2g")
        size = sum(1 for _ in _hocon_lines({name: section}, 4))
        if size > budget - 3:
            break
        sections[name] = section
        budget -= size
    if budget >= 3:
        stackstate["tuning"] = {f"setting{i}": rng.randrange(10**6) for i in range(budget - 2)}
    return to_hocon(data, header)


# --------------------------------------------------------------------------------------------
# The benchmark input tree

SINGLE_LINES = 200  # a typical values file / application_stackstate.conf excerpt
MANY = 500  # files in the "500 files" cases, as pre-commit passes them
MANY_LINES = (50, 120)  # line counts of those files: small ones, 85 lines on average
GROWTH_LINES = (100, 1_000, 10_000)
GROWTH_SEED = 10_000
TOKEN_SPEC = """\
# Token spec for the render benchmark (the token is generated per run: --generate-token).
roles:
  - stackstate-power-user
ttl: 24h
loginProviders:
  - stackstateAuthServer
"""


def many_sizes(count: int = MANY) -> list[int]:
    rng = random.Random("many-sizes")
    return [rng.randrange(MANY_LINES[0], MANY_LINES[1] + 1) for _ in range(count)]


@dataclass(frozen=True)
class Tree:
    """The inputs written by ``write_tree``; paths relative to its root."""

    values: str
    hocon: str
    spec: str
    many_values: list[str]
    many_hocon: list[str]
    growth: dict[int, tuple[str, str]]  # lines -> (values file, HOCON file)


def write_tree(root: Path, *, many: int = MANY) -> Tree:
    """Write every input under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for sub in ("values", "hocon", "growth"):
        (root / sub).mkdir(exist_ok=True)
    (root / "values.yaml").write_text(values_document(0, SINGLE_LINES))
    (root / "application_stackstate.conf").write_text(hocon_document(0, SINGLE_LINES))
    (root / "token-spec.yaml").write_text(TOKEN_SPEC)
    values, hocon = [], []
    for i, size in enumerate(many_sizes(many), start=1):
        v = f"values/values-{i:03d}.yaml"
        h = f"hocon/application-{i:03d}.conf"
        (root / v).write_text(values_document(i, size))
        (root / h).write_text(hocon_document(i, size))
        values.append(v)
        hocon.append(h)
    growth = {}
    for size in GROWTH_LINES:
        v = f"growth/values-{size}.yaml"
        h = f"growth/application-{size}.conf"
        # One seed for every size: the files differ in length only (same header, same
        # authentication block, same first sections), so the series measures size alone.
        (root / v).write_text(values_document(GROWTH_SEED, size))
        (root / h).write_text(hocon_document(GROWTH_SEED, size))
        growth[size] = (v, h)
    return Tree(
        "values.yaml", "application_stackstate.conf", "token-spec.yaml", values, hocon, growth
    )


def line_count(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for _ in f)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python benchmarks/inputs.py DIR")
    tree = write_tree(Path(sys.argv[1]))
    print(f"wrote {3 + 2 * len(tree.many_values) + 2 * len(tree.growth)} files into {sys.argv[1]}")
