"""Judge one values file against one chart: would the real server run with what was asked?

``broken`` when a finding of one of these kinds exists:

- ``render``: ``helm template`` fails (``required``, ``fail``, nil pointer, type error...), or it
  "succeeds" with a manifest the chart built from invalid YAML (``fromYaml`` returns an
  ``Error`` key instead of failing: seen with 2.3.6, rancher plus a bootstrap token);
- ``noconfig``: the render holds no server config;
- ``parse`` / ``resolve``: Lightbend cannot read the rendered config, or a ``${...}`` has no
  value (no such key in the auth Secret, or in the external Secret given);
- ``type``: a value sits at a typed path but the getter the server is assumed to use refuses it
  (``ttl = "1h30m"`` as a duration, ``port = "x"`` as an int);
- ``dropped``: a setting of the values does not reach the config;
- ``changed``: it reaches the config, but the server reads a different value (a role with a
  comma split in two, a number re-printed as ``1e+06``).

Not broken: ``warn`` (a duration without a unit, which Lightbend reads as milliseconds) and
``external`` (with ``fromExternalSecret``, a secret-backed value of the values file is replaced
by the external Secret's key, so the value written is not used).

How "dropped" is decided, for each setting (``values.settings``: the non-empty leaves of
``stackstate.authentication`` in the values *under test*, not the base values):

1. No rule for the key in this chart (``mapping.rules_for``): the chart never reads it (a typo,
   a wrong case such as ``servicetoken``, a key of a newer chart): dropped.
2. The rule's HOCON path is absent from the resolved config: dropped (the chart reads the key
   but did not emit it: bootstrap ``roles`` with an empty ``token``, ``adminPassword`` next to
   an LDAP block...).
3. Present but different from what the user *wrote*: changed.

Code never decides by reading a message: tests look at ``Finding.kind`` and ``Finding.key``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from testing.helm_chart import mapping
from testing.helm_chart.reader import DURATION_MS, STRING_LIST, VALUE, Answer, ConfigRead, Query
from testing.helm_chart.reader import hocon_path as quoted_path
from testing.helm_chart.render import Rendered, error_gist
from testing.helm_chart.values import Setting, custom_roles, helm_str, is_empty, settings

RENDER, NOCONFIG, PARSE, RESOLVE, CRASH = "render", "noconfig", "parse", "resolve", "crash"
TYPE, DROPPED, CHANGED = "type", "dropped", "changed"
WARN, EXTERNAL = "warn", "external"
BROKEN_KINDS = frozenset({RENDER, NOCONFIG, PARSE, RESOLVE, CRASH, TYPE, DROPPED, CHANGED})
SUBSTITUTION = re.compile(r"\$\{\??\s*([^}\s]+)\s*\}")


@dataclass(frozen=True)
class Finding:
    """One reason for (or remark on) a verdict."""

    kind: str  # one of the kinds above
    key: str  # the values key (dotted, under stackstate.authentication), or a HOCON path
    message: str  # for people reading a failed test; never for code to decide on


@dataclass(frozen=True)
class Verdict:
    """Everything the oracle concluded about one values document."""

    findings: tuple[Finding, ...]
    resolved: dict[str, Any] = field(default_factory=dict)  # typed values at ``mapping.TYPED``
    external_keys: tuple[str, ...] = ()  # with fromExternalSecret: keys the Secret must hold

    @property
    def broken(self) -> bool:
        return any(f.kind in BROKEN_KINDS for f in self.findings)

    def kinds(self, key: str | None = None) -> set[str]:
        """The finding kinds, all or for one key: ``{"dropped"}``."""
        return {f.kind for f in self.findings if key is None or f.key == key}

    def signature(self) -> tuple[bool, tuple[tuple[str, str], ...]]:
        """What two readings of one document must agree on (messages may differ)."""
        return self.broken, tuple(sorted({(f.kind, f.key) for f in self.findings}))

    def explain(self) -> str:
        """One line per finding, for assertion messages."""
        return "\n".join(f"{f.kind} {f.key}: {f.message}" for f in self.findings) or "ok"


def queries(chart: str, values_text: str) -> list[Query]:
    """The Lightbend queries ``judge`` needs for this values text on this chart."""
    wanted = [(kind, path) for path, kind in _typed_paths(values_text)]
    wanted += [(VALUE, path) for path, kind in mapping.TYPED if kind == DURATION_MS]
    for s in settings(values_text):
        for rule in mapping.rules_for(chart, s.key):
            if rule.hocon:
                path = _hocon_path(rule, s)
                wanted += [(VALUE, path), (rule.kind, path)]
    return sorted(set(wanted))


def judge(
    chart: str,
    values_text: str,
    rendered: Rendered,
    read: ConfigRead | None,
    *,
    external: bool,
) -> Verdict:
    """The verdict for one render; ``read`` is Lightbend's reading of its config."""
    if not rendered.ok:
        return Verdict((Finding(RENDER, "", error_gist(rendered.error)),))
    if rendered.silent_errors:
        message = "; ".join(rendered.silent_errors)
        return Verdict((Finding(RENDER, "", f"a manifest came out broken: {message}"),))
    if rendered.config is None or read is None:
        return Verdict((Finding(NOCONFIG, "", "no server config in the render"),))
    external_keys = tuple(sorted(set(SUBSTITUTION.findall(rendered.config)))) if external else ()
    if not read.ok:
        where = f" (line {read.line})" if read.line is not None else ""
        finding = Finding(read.stage, "", f"{read.error_type}{where}: {read.error}")
        return Verdict((finding,), external_keys=external_keys)
    findings: list[Finding] = []
    covered: set[str] = set()  # HOCON paths a setting already answers for
    for s in settings(values_text):
        findings.extend(_check_setting(chart, s, read.answers, external))
        covered.update(_hocon_path(r, s) for r in mapping.rules_for(chart, s.key) if r.hocon)
    resolved: dict[str, Any] = {}
    for path, kind in _typed_paths(values_text):
        answer = read.answers.get((kind, path))
        if answer is None or answer.missing:
            continue
        if answer.ok:
            resolved[path] = answer.value
        elif path not in covered:
            findings.append(Finding(TYPE, path, f"read as {kind} (assumed): {answer.error}"))
        raw = read.answers.get((VALUE, path), answer)
        if kind == DURATION_MS and _number(raw.value) is not None:
            findings.append(Finding(WARN, path, "a duration without a unit is milliseconds"))
    return Verdict(tuple(findings), resolved, external_keys)


def _typed_paths(values_text: str) -> list[tuple[str, str]]:
    """``mapping.TYPED`` plus the permissions of each custom role the values define."""
    typed = list(mapping.TYPED)
    for name in custom_roles(values_text):
        subject = quoted_path(mapping.AUTHZ + ".staticSubjects", name)
        typed.append((subject + ".systemPermissions", STRING_LIST))
    return typed


def _check_setting(
    chart: str, s: Setting, answers: dict[Query, Answer], external: bool
) -> list[Finding]:
    rules = mapping.rules_for(chart, s.key)
    if not rules:
        return [Finding(DROPPED, s.key, f"chart {chart} does not read this key")]
    out: list[Finding] = []
    for rule in rules:
        if not rule.hocon:
            continue  # consumed elsewhere (fromExternalSecret names the Secret)
        path = _hocon_path(rule, s)
        raw, typed = answers.get((VALUE, path)), answers.get((rule.kind, path))
        if raw is None or raw.missing:
            why = f"; {rule.note}" if rule.note else ""
            out.append(Finding(DROPPED, s.key, f"{path} is absent from the server config{why}"))
            continue
        if typed is not None and not typed.ok:
            out.append(Finding(TYPE, s.key, f"{path} read as {rule.kind} (assumed): {typed.error}"))
            continue
        if external and rule.secret_key:
            message = f"value ignored: {path} comes from the external Secret key {rule.secret_key}"
            out.append(Finding(EXTERNAL, s.key, message))
            continue
        if rule.key == "file.logins":
            out.extend(_check_logins(s, raw.value, external))
        elif rule.key.endswith("[]") and "{}" not in rule.hocon:  # 5.1 role groups: membership
            if s.map_key not in [helm_str(x) for x in (raw.value or [])]:
                out.append(Finding(CHANGED, s.key, f"{s.map_key!r} is not in {path}"))
        elif rule.expect is not None:
            want = rule.expect(s.value)
            if callable(want):  # a predicate rather than a value
                if not want(raw.value):
                    out.append(Finding(CHANGED, s.key, f"server reads {raw.value!r}"))
            elif not _same(want, raw.value):
                out.append(Finding(CHANGED, s.key, f"asked {want!r}, server reads {raw.value!r}"))
    return out


def _check_logins(s: Setting, logins: Any, external: bool) -> list[Finding]:
    """The chart writes the logins in the values' order: compare them position by position."""
    out: list[Finding] = []
    given = [x for x in s.value if isinstance(x, dict)] if isinstance(s.value, list) else []
    read = logins if isinstance(logins, list) else []
    for i, login in enumerate(given):
        name = helm_str(login.get("username"))
        key = f"file.logins[{name}]"
        for extra in sorted(set(login) - mapping.LOGIN_KEYS):
            if not is_empty(login[extra]):
                out.append(Finding(DROPPED, f"{key}.{extra}", "no chart reads this key of a login"))
        got = read[i] if i < len(read) and isinstance(read[i], dict) else None
        if got is None or helm_str(got.get("username")) != name:
            out.append(Finding(DROPPED, key, "login absent from the server config"))
            continue
        password = login.get("passwordHash") or login.get("passwordMd5")
        if external:
            message = f"comes from the external Secret key file_{name}_password"
            out.append(Finding(EXTERNAL, f"{key}.password", message))
        elif not _same(helm_str(password), got.get("password")):
            out.append(Finding(CHANGED, f"{key}.password", "password differs"))
        roles = got.get("roles")
        if not isinstance(roles, list):  # INFERRED: the server reads a list
            out.append(Finding(TYPE, f"{key}.roles", f"server reads {roles!r}, not a list"))
        elif not _same(login.get("roles"), roles):
            message = f"asked {login.get('roles')!r}, server reads {roles!r}"
            out.append(Finding(CHANGED, f"{key}.roles", message))
    return out


def _hocon_path(rule: mapping.Rule, s: Setting) -> str:
    if "{}" not in rule.hocon:
        return rule.hocon
    head, _, tail = rule.hocon.partition("{}")
    return quoted_path(head.rstrip("."), s.map_key or "") + tail


def _same(want: Any, got: Any) -> bool:
    """Equal as the server would see them: numbers by value, scalars by their Helm text."""
    if isinstance(want, dict) or isinstance(got, dict):
        return (
            isinstance(want, dict)
            and isinstance(got, dict)
            and want.keys() == got.keys()
            and all(_same(want[k], got[k]) for k in want)
        )
    if isinstance(want, list) or isinstance(got, list):
        return (
            isinstance(want, list)
            and isinstance(got, list)
            and len(want) == len(got)
            and all(_same(a, b) for a, b in zip(want, got, strict=True))
        )
    a, b = _number(want), _number(got)
    if a is not None and b is not None and (not isinstance(want, str) or not isinstance(got, str)):
        return a == b  # a number on at least one side: compare values (port 1e+06 == 1000000)
    return helm_str(want) == helm_str(got)


def _number(x: Any) -> float | None:
    if isinstance(x, bool):
        return None
    if isinstance(x, (int, float)):
        return float(x)
    try:
        return float(x) if isinstance(x, str) else None
    except ValueError:
        return None
