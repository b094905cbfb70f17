"""configgen's lint verdict and bootstrap values agree with Lightbend config (the real parser).

A generator builds HOCON files with a bootstrap block in every layout the server reads (short
form, nested, flat, mixed; merges and overrides), written with the constructs where pyhocon and
Lightbend disagree (escapes, raw tabs, ``[a,,b]``, ``a..b``, unquoted ``foo:bar``, ``TRUE``,
``+=``, BOM, non-breaking spaces, quoted dotted keys, triple quotes, comments).  For each file:

- configgen reports a ``syntax`` finding exactly when Lightbend refuses to parse it;
- otherwise the token, roles and ttl configgen reads are the ones Lightbend reads.

The agreement count is printed (run with ``-s``); the test requires 100 %.
"""

from __future__ import annotations

import json
import random

import pytest

from configgen.lint import run as lint
from configgen.parsing import documents, hocon
from configgen.parsing.unresolved import Unresolved

pytestmark = pytest.mark.oracle

SEED, COUNT = 20261128, 1500
TOKENS = ['"tok-3f9a1c2b7d4e6f80"', "tok-3f9a1c2b7d4e6f80", '"""tok\\n"raw"""', '"t\\u00e9st-\\/x"',
          '"a\\tb"', '"bad\\q"', '"tab\tinside"', "TRUE", "tok:en", "tok en", '"x" "y"',
          "${?bootstrap_token}", "12345678901234567890", '"#not-a-comment"', "a//b"]  # fmt: skip
ROLES = ['["stackstate-power-user"]', "[stackstate-power-user]", "[a, b]", "[a,,b]", "[a,]",
         '["a", "b",]', "[a b, c]", '["cn=x,ou=y"]', "[]", '"single"', "[a\nb]", "[TRUE, null]",
         "[1, 2.5]", '["\u00a0x"]', "[\u00a0x\u00a0]"]  # fmt: skip
TTLS = ['"24h"', "24h", "86400", '"1h30m"', "24 hours", '"24H"', "1.5d", '"  7 d "', "PT24H",
        "${?TTL}", '"""10s"""']  # fmt: skip
PREFIXES = {
    "short": ("authentication.authServer.serviceTokenAuthServer.bootstrap", "authentication"),
    "full": ("stackstate.api.authentication.authServer.serviceTokenAuthServer.bootstrap",
             "stackstate.api.authentication"),
}  # fmt: skip
NOISE = ["", "# comment\n", "// comment\n", "\ufeff", "a..b = 1\n", 'x."y.z" = 1\n', "k = TRUE\n",
         "k += 1\n", "k = [1,,2]\n", "\u00a0k = 1\n", "foo:bar = 1\n", "u = http://x\n",
         "s = \"\"\"a\"\"\"\"\n", "n = 1e3\n"]  # fmt: skip


def block(rng: random.Random, layout: str) -> str:
    path = PREFIXES[layout][0]
    fields = [f"token = {rng.choice(TOKENS)}", f"roles = {rng.choice(ROLES)}"]
    if rng.random() < 0.7:
        fields.append(f"ttl = {rng.choice(TTLS)}")
    rng.shuffle(fields)
    separator = rng.choice(["\n", ", ", "\n\n"])
    style = rng.randrange(3)
    if style == 0:  # path { ... }
        return f"{path} {{\n{separator.join(fields)}\n}}\n"
    if style == 1:  # flat assignments
        return "".join(f"{path}.{f}\n" for f in fields)
    head, _, tail = path.rpartition(".")  # nested one level
    return f"{head} {{ {tail} {{ {separator.join(fields)} }} }}\n"


def document(rng: random.Random) -> tuple[str, str]:
    layout = rng.choice(list(PREFIXES))
    parts = [block(rng, layout)]
    if rng.random() < 0.3:  # a later definition overrides or merges
        parts.append(block(rng, layout))
    if rng.random() < 0.15:
        parts.insert(1, f"{PREFIXES[layout][0]} = null\n")
    parts.insert(rng.randrange(len(parts) + 1), rng.choice(NOISE))
    if rng.random() < 0.2:
        parts.insert(0, rng.choice(NOISE))
    return layout, "".join(parts)


def test_lint_verdict_and_bootstrap_values_agree_with_lightbend(lightbend) -> None:
    rng = random.Random(SEED)
    generated = [document(rng) for _ in range(COUNT)]
    requests = []
    for layout, text in generated:
        base = PREFIXES[layout][0]
        requests.append((text, [("value", f"{base}.token"), ("value", f"{base}.roles"),
                                ("value", f"{base}.ttl")]))  # fmt: skip
    answers = lightbend.query(requests)
    disagreements, counts = [], {"both refuse": 0, "same values": 0, "substituted": 0}
    for (_layout, text), answer in zip(generated, answers, strict=True):
        findings = lint.lint_text("f.conf", text, "hocon", lint.LintOptions())
        refused = any(f.rule == "syntax" for f in findings)
        # Lightbend 1.3.1 throws a NullPointerException for some invalid paths (a..b): the
        # server would not start either, so a crash counts as a refusal.
        lightbend_refuses = answer.stage in ("parse", "crash")
        if lightbend_refuses or refused:
            if refused and lightbend_refuses:
                counts["both refuse"] += 1
            else:
                disagreements.append((text, "verdict", refused, answer.stage, answer.error))
            continue
        ours = documents.from_hocon("f.conf", text, hocon.merge(hocon.parse(text)))
        values = [ours.get((*ours.bootstrap, k)) for k in ("token", "roles", "ttl")]
        if answer.stage != "ok" or any(_has_unresolved(v) for v in values):
            counts["substituted"] += 1  # needs the environment: only the verdict is compared
            continue
        theirs = [a.value if a.ok else None for a in answer.answers]
        if _normal(values) != _normal(theirs):
            disagreements.append((text, "values", values, theirs))
        else:
            counts["same values"] += 1
    agreed = COUNT - len(disagreements)
    print(f"\nLightbend agreement: {agreed}/{COUNT} ({100 * agreed / COUNT:.1f} %) {counts}")
    assert not disagreements, "\n\n".join(map(repr, disagreements[:5]))


def _has_unresolved(value: object) -> bool:
    if isinstance(value, Unresolved):
        return True
    return isinstance(value, list) and any(isinstance(v, Unresolved) for v in value)


def _normal(values: list[object]) -> str:
    """Compare as JSON; Lightbend's numbers and configgen's keep the same text form."""
    return json.dumps(values, sort_keys=True, default=str)
