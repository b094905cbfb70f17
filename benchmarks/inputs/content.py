"""The vocabulary of the inputs and the blocks both kinds of values file share: tokens, names,
resources, affinity, and a clean ``stackstate.authentication`` section.

Only ``Random.random``, ``randrange`` and ``choice`` on ints, tuples and lists are used: they give
the same sequence on every machine and Python version for the same seed.
"""

from __future__ import annotations

import random

from benchmarks.inputs.emit import Comment

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


def token(rng: random.Random) -> str:
    """A strong 43-character token."""
    return "".join(rng.choice(TOKEN_ALPHABET) for _ in range(43))


def word(rng: random.Random, n: int) -> str:
    """A name such as ``eu-west-7``."""
    return f"{rng.choice(ENV_WORDS)}-{n}"


def resources(rng: random.Random) -> dict[str, object]:
    """Kubernetes resource limits and requests."""
    cpu = rng.choice((250, 500, 1000, 2000, 4000))
    mem = rng.choice((512, 1024, 2048, 4096, 8192))
    return {
        "limits": {"cpu": f"{cpu * 2}m", "memory": f"{mem * 2}Mi", "ephemeral-storage": "1Gi"},
        "requests": {"cpu": f"{cpu}m", "memory": f"{mem}Mi"},
    }


def affinity(rng: random.Random, app: str) -> dict[str, object]:
    """A preferred pod anti-affinity for ``app``."""
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


def authentication(rng: random.Random, n: int) -> dict[str, object]:
    """A clean ``stackstate.authentication`` section; which login provider varies."""
    roles = sorted({rng.choice(ROLES) for _ in range(rng.randrange(1, 3))})
    bootstrap: dict[str, object] = {"token": token(rng), "roles": roles}
    if rng.random() < 0.8:
        bootstrap["ttl"] = rng.choice(UNITS)
    if rng.random() < 0.3:
        bootstrap["dedicatedSubject"] = f"bootstrap-{word(rng, n)}"
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
            "host": f"ldap.{word(rng, n)}.example.com",
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
            "discoveryUri": f"https://sso.{word(rng, n)}.example.com/.well-known",
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
