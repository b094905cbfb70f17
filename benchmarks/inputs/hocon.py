"""HOCON server configuration like ``application_stackstate.conf``.

akka, kafka, elasticsearch, web and process-manager settings with comments and optional
``${?ENV}`` substitutions, plus the ``stackstate.api.authentication.authServer`` block with
``serviceTokenAuthServer.bootstrap``, nested or as the dotted path ``configgen render`` appends.
``configgen lint`` finds every file clean.
"""

from __future__ import annotations

import random

from benchmarks.inputs.content import ROLES, THIRD_PARTY, UNITS, token, word
from benchmarks.inputs.emit import Block, Comment, Raw, hocon_lines, to_hocon


def hocon_document(seed: int, lines: int) -> str:
    """An ``application_stackstate.conf``-like file of ``lines`` lines (exact for 50 or more)."""
    rng = random.Random(f"hocon-{seed}")
    header = [
        f"StackState server configuration ({word(rng, seed)})",
        "Settings from the environment win where ${?VAR} is given.",
    ]
    stackstate: dict[str, object] = {
        "baseUrl": Raw(f'"https://stackstate.{word(rng, seed)}.example.com"'),
        "baseUrl_env": Raw("${?STACKSTATE_BASE_URL}"),
        "instanceApi": {"apiKey": token(rng)[:32], "port": 7070},
    }
    data: dict[str, object] = {
        "stackstate": stackstate,
        "akka": {
            "loglevel": "INFO",
            "http": {
                "server": {"request-timeout": Raw("60s"), "idle-timeout": Raw("120s")},
                "host-connection-pool": {"max-connections": 64, "max-open-requests": 256},
            },
        },
    }
    auth = {"authentication": {"authServer": _auth_server(rng), "sessionLifetime": Raw("7d")}}
    sections: dict[str, object] = {}
    stackstate["services"] = sections
    # The bootstrap block, appended as configgen render writes it (dotted path at the end) or
    # nested inside stackstate.api.
    if rng.random() < 0.5:
        data["stackstate.api"] = auth
    else:
        stackstate["api"] = auth
    budget = _add_services(rng, sections, lines - to_hocon(data, header).count("\n"))
    if budget >= 3:
        stackstate["tuning"] = {f"setting{i}": rng.randrange(10**6) for i in range(budget - 2)}
    return to_hocon(data, header)


def _auth_server(rng: random.Random) -> dict[str, object]:
    """``authServer`` with the bootstrap token next to one login provider."""
    bootstrap: dict[str, object] = {
        "token": token(rng),
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
    return auth_server


def _add_services(rng: random.Random, sections: dict[str, object], budget: int) -> int:
    """Add service sections while they fit in ``budget`` lines; the lines left."""
    n = 0
    while True:
        n += 1
        name = f"{THIRD_PARTY[n % len(THIRD_PARTY)].replace('-', '')}{n}"
        section: dict[str, object] = {
            Comment(f"{name}: tuned for {word(rng, n)}"): None,
            "enabled": True,
            "hosts": [f"{name}-{i}.{word(rng, n)}.svc:9092" for i in range(rng.randrange(1, 4))],
            "timeout": Raw(rng.choice(("30s", "5 minutes", "1500ms", "2h"))),
            "retries": rng.randrange(1, 10),
            "pool": {"size": rng.randrange(2, 64), "queue": rng.randrange(100, 5000)},
            "override": Raw(f"${{?{name.upper()}_OVERRIDE}}"),
        }
        if rng.random() < 0.3:
            section["options"] = Block("-Xms512m -Xmx2g")
        size = sum(1 for _ in hocon_lines({name: section}, 4))
        if size > budget - 3:
            return budget
        sections[name] = section
        budget -= size
