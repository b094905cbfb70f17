"""Read rendered server configs with the real Lightbend config library, one JVM per batch.

``oracle/ServerConfigReader.java`` is compiled once per session together with
``oracle/HoconOracle.java`` (it shares that oracle's includer, input framing and JSON writer);
``read_many`` then starts one JVM for a whole batch: a JVM start costs ~0.4 s, reading one
rendered config a few milliseconds.

Substitutions: the 2.x charts write ``${bootstrap_token}`` and the like and give the auth Secret
to the pod as environment variables (``envFrom``); Lightbend falls back to the environment for a
substitution the file does not define. The reader is given the Secret's keys as that fallback and
never sees the real environment, so no CI secret can decide (or leak into) a test result.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testing import hocon_oracle
from testing.hocon_oracle import OracleError, OracleMissing

SOURCE = Path(__file__).parent.parent / "oracle" / "ServerConfigReader.java"
MAIN_CLASS = "ServerConfigReader"
TIMEOUT_SECONDS = hocon_oracle.TIMEOUT_SECONDS

# Query kinds (the Lightbend getter the server is assumed to use for a path):
VALUE = "value"  # getValue(path).unwrapped(), with its ConfigValueType name; null is NULL
STRING = "string"
STRING_LIST = "string_list"
INT = "int"
BOOLEAN = "boolean"
DURATION_MS = "duration_ms"  # getDuration(path, MILLISECONDS): unitless numbers are ms
OBJECT = "object"  # getObject(path), unwrapped: a map, never a list or a scalar
OBJECT_LIST = "object_list"  # getConfigList(path), each item unwrapped
OBJECT_OR_LIST = "object_or_list"  # OBJECT when it is an object, else OBJECT_LIST
KINDS = frozenset(
    {VALUE, STRING, STRING_LIST, INT, BOOLEAN, DURATION_MS, OBJECT, OBJECT_LIST, OBJECT_OR_LIST}
)

Query = tuple[str, str]  # (kind, HOCON path)


@dataclass(frozen=True)
class Answer:
    """Lightbend's answer to one query."""

    ok: bool
    value: Any = None
    type: str | None = None  # ConfigValueType name: OBJECT, LIST, STRING, NUMBER, BOOLEAN, NULL
    missing: bool = False  # the path is not in the config at all
    error: str | None = None  # why the getter refused the value
    error_type: str | None = None  # e.g. "ConfigException$BadValue"


@dataclass(frozen=True)
class ConfigRead:
    """How Lightbend read one config: resolved with answers, or where it stopped."""

    stage: str  # "ok", or "parse", "resolve", "crash"
    error: str | None = None
    error_type: str | None = None
    line: int | None = None
    answers: dict[Query, Answer] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.stage == "ok"


@dataclass(frozen=True)
class ReadRequest:
    """One config to read: its text, the ``${...}`` fallback, built-in defaults, the queries."""

    config: str
    substitutions: Mapping[str, str]
    defaults: str
    queries: Sequence[Query]


class ServerConfigReader:
    """The compiled reader; ``read_many`` runs one JVM for a whole batch."""

    def __init__(self, java: str, classpath: str) -> None:
        self.java = java
        self.classpath = classpath
        self.jvm_runs = 0

    @classmethod
    def build(cls, workdir: Path) -> ServerConfigReader:
        """Compile into ``workdir``; ``OracleMissing`` when the jar, java or javac is missing."""
        jar = Path(os.environ.get(hocon_oracle.JAR_ENV) or hocon_oracle.DEFAULT_JAR)
        if not jar.is_file():
            raise OracleMissing(
                f"Lightbend config jar not found at {jar} (set {hocon_oracle.JAR_ENV})"
            )
        java, javac = shutil.which("java"), shutil.which("javac")
        if java is None or javac is None:
            raise OracleMissing("java and javac are needed on PATH (a JDK, e.g. 17)")
        workdir.mkdir(parents=True, exist_ok=True)
        sources = [str(hocon_oracle.SOURCE), str(SOURCE)]
        compiled = subprocess.run(
            [javac, "-encoding", "UTF-8", "-cp", str(jar), "-d", str(workdir), *sources],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        if compiled.returncode != 0:
            raise OracleError(f"javac failed:\n{compiled.stderr}")
        return cls(java, os.pathsep.join([str(jar), str(workdir)]))

    def read_many(self, requests: Sequence[ReadRequest]) -> list[ConfigRead]:
        """Read every config; one JVM run for the whole batch."""
        if not requests:
            return []
        proc = subprocess.run(
            [self.java, *hocon_oracle.JVM_OPTIONS, "-cp", self.classpath, MAIN_CLASS],
            input=b"".join(_encode(request) for request in requests),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            env=_jvm_environment(),
        )
        self.jvm_runs += 1
        if proc.returncode != 0:
            raise OracleError(f"{MAIN_CLASS} exited {proc.returncode}:\n{proc.stderr.decode()}")
        lines = proc.stdout.decode("ascii").splitlines()
        if len(lines) != len(requests):
            raise OracleError(f"{len(requests)} requests but {len(lines)} answers")
        return [
            _config_read(json.loads(line), request.queries)
            for line, request in zip(lines, requests, strict=True)
        ]


def hocon_path(prefix: str, *keys: str) -> str:
    """``prefix`` (a dotted path we wrote) extended by literal keys, quoted unless plain words
    (a role named ``cn=admins,ou=x`` is one key, not a path)."""
    parts = [prefix] if prefix else []
    parts += [key if _plain(key) else json.dumps(key) for key in keys]
    return ".".join(parts)


def _plain(word: str) -> bool:
    return bool(word) and all(c.isascii() and (c.isalnum() or c in "_-") for c in word)


def _text(value: str) -> bytes:
    body = value.encode("utf-8", errors="surrogatepass")
    return b"%d\n%s" % (len(body), body)


def _encode(request: ReadRequest) -> bytes:
    substitutions = dict(request.substitutions)
    parts = [
        b"CONFIG %d %d\n" % (len(substitutions), len(request.queries)),
        _text(request.config),
        _text(request.defaults),
    ]
    for name, value in substitutions.items():
        parts += [_text(name), _text(value)]
    for kind, path in request.queries:
        if kind not in KINDS:
            raise ValueError(f"unknown query kind {kind!r}")
        parts += [kind.encode("ascii") + b"\n", _text(path)]
    return b"".join(parts)


def _config_read(data: dict[str, Any], queries: Sequence[Query]) -> ConfigRead:
    if data["stage"] != "ok":
        return ConfigRead(
            stage=data["stage"],
            error=data.get("error"),
            error_type=data.get("error_type"),
            line=data.get("line"),
        )
    if len(data["answers"]) != len(queries):
        raise OracleError("the number of answers does not match the queries")
    answers = {
        query: Answer(
            ok=a["ok"],
            value=a.get("value"),
            type=a.get("type"),
            missing=a.get("missing", False),
            error=a.get("error"),
            error_type=a.get("error_type"),
        )
        for query, a in zip(queries, data["answers"], strict=True)
    }
    return ConfigRead(stage="ok", answers=answers)


def _jvm_environment() -> dict[str, str]:
    """Only what the JVM needs to start: substitutions must come from the request alone."""
    keep = ("PATH", "JAVA_HOME", "LANG", "TMPDIR")
    return {name: os.environ[name] for name in keep if name in os.environ}
