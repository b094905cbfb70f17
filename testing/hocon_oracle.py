"""Python side of the HOCON oracle: the real Lightbend config library, run from the tests.

The StackState server reads its configuration with Lightbend (Typesafe) config, so that library is
the ground truth for what a HOCON file means.  ``oracle/HoconOracle.java`` is compiled once per
test session; each ``Lightbend.query`` call then starts one JVM that answers a whole batch of
documents (a JVM start costs far more than parsing, so callers should batch).

The Java side refuses every ``include`` and resolves substitutions without the environment, so
generated hostile documents can neither reach the network or the file system nor read CI secrets;
a test that needs an environment passes one explicitly (``query(..., environment=...)``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JAR_ENV = "CONFIGGEN_LIGHTBEND_JAR"
DEFAULT_JAR = "/usr/share/java/typesafe-config.jar"
SOURCE = Path(__file__).parent / "oracle" / "HoconOracle.java"
MAIN_CLASS = "HoconOracle"

# Query kinds the Java side answers (see HoconOracle.java):
VALUE = "value"  # getValue(path).unwrapped() as JSON; the empty path is the whole document
STRING = "string"  # getString(path)
STRING_LIST = "string_list"  # getStringList(path)
DURATION = "duration"  # getDuration(path, NANOSECONDS)
KINDS = frozenset({VALUE, STRING, STRING_LIST, DURATION})

# A JVM that answers a few thousand small documents takes a second or two; this only stops a
# hung process from hanging the test run.
TIMEOUT_SECONDS = 300


# A short-lived JVM: the C1 compiler and the serial GC start fastest; a deeper stack so a deeply
# nested (hostile) document gives Lightbend's answer rather than a StackOverflowError.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m")


class OracleMissing(RuntimeError):
    """The jar, java or javac is not available: the oracle tests cannot run."""


class OracleError(RuntimeError):
    """The oracle is there but did not work (compile error, crash, garbled output)."""


@dataclass(frozen=True)
class Answer:
    """Lightbend's answer to one query: a value, or the exception it raised."""

    ok: bool
    value: Any = None
    type: str | None = None  # ConfigValueType name for VALUE queries
    error: str | None = None
    error_type: str | None = None  # e.g. "ConfigException$BadValue"


@dataclass(frozen=True)
class Result:
    """How Lightbend read one document: parsed and resolved, or where it stopped."""

    stage: str  # "ok", or where it failed: "parse", "resolve", "crash"
    answers: tuple[Answer, ...]
    error: str | None = None
    error_type: str | None = None
    line: int | None = None

    @property
    def ok(self) -> bool:
        return self.stage == "ok"

    def __getitem__(self, index: int) -> Answer:
        return self.answers[index]


Query = tuple[str, str]  # (kind, path)
Request = tuple[str, Sequence[Query]]  # (HOCON text, queries)


class Lightbend:
    """The compiled oracle; ``query`` runs one JVM for a whole batch of documents."""

    def __init__(self, java: str, classpath: str) -> None:
        self.java = java
        self.classpath = classpath
        self.jvm_runs = 0

    @classmethod
    def build(cls, workdir: Path) -> Lightbend:
        """Compile the oracle into ``workdir``; ``OracleMissing`` if a piece is not installed."""
        jar = Path(os.environ.get(JAR_ENV) or DEFAULT_JAR)
        if not jar.is_file():
            raise OracleMissing(f"Lightbend config jar not found at {jar} (set {JAR_ENV})")
        java, javac = shutil.which("java"), shutil.which("javac")
        if java is None or javac is None:
            raise OracleMissing("java and javac are needed on PATH (a JDK, e.g. 17)")
        compiled = subprocess.run(
            [javac, "-encoding", "UTF-8", "-cp", str(jar), "-d", str(workdir), str(SOURCE)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        if compiled.returncode != 0:
            raise OracleError(f"javac failed:\n{compiled.stderr}")
        return cls(java, os.pathsep.join([str(jar), str(workdir)]))

    def query(
        self,
        requests: Iterable[Request],
        *,
        extra_env: dict[str, str] | None = None,
        environment: Mapping[str, str] | None = None,
    ) -> list[Result]:
        """Answer every (text, queries) pair; one JVM run for the whole batch.

        ``extra_env`` adds environment variables for the JVM (to test that it ignores them).
        ``environment`` is the environment the server would have: substitutions a document
        does not define resolve from it, as Lightbend resolves them from the process
        environment -- never from the real one.
        """
        requests = list(requests)
        if not requests:
            return []
        stdin = b"".join(_encode(text, queries) for text, queries in requests)
        if environment is not None:
            encoded = json.dumps(dict(environment), ensure_ascii=True).encode("ascii")
            stdin = b"ENV %d\n" % len(encoded) + encoded + stdin
        proc = subprocess.run(
            [self.java, *JVM_OPTIONS, "-cp", self.classpath, MAIN_CLASS],
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            env={**_jvm_environment(), **(extra_env or {})},
        )
        self.jvm_runs += 1
        if proc.returncode != 0:
            raise OracleError(f"oracle exited {proc.returncode}:\n{proc.stderr.decode()}")
        lines = proc.stdout.decode("ascii").splitlines()
        if len(lines) != len(requests):
            raise OracleError(f"{len(requests)} requests but {len(lines)} answers")
        results = [_result(json.loads(line)) for line in lines]
        for (_, queries), result in zip(requests, results, strict=True):
            if result.ok and len(result.answers) != len(queries):
                raise OracleError("the number of answers does not match the queries")
        return results

    def parse(self, text: str) -> Result:
        """Read one document; ``result[0].value`` is the whole resolved document."""
        return self.query([(text, [(VALUE, "")])])[0]


def _encode(text: str, queries: Sequence[Query]) -> bytes:
    body = text.encode("utf-8")
    parts = [b"DOC %d %d\n" % (len(queries), len(body)), body]
    for kind, path in queries:
        if kind not in KINDS:
            raise ValueError(f"unknown query kind {kind!r}")
        encoded = path.encode("utf-8")
        parts += [b"%s %d\n" % (kind.encode("ascii"), len(encoded)), encoded]
    return b"".join(parts)


def _result(data: dict[str, Any]) -> Result:
    answers = tuple(
        Answer(
            ok=a["ok"],
            value=a.get("value"),
            type=a.get("type"),
            error=a.get("error"),
            error_type=a.get("error_type"),
        )
        for a in data["answers"]
    )
    return Result(
        stage=data["stage"],
        answers=answers,
        error=data.get("error"),
        error_type=data.get("error_type"),
        line=data.get("line"),
    )


def _jvm_environment() -> dict[str, str]:
    """Only what the JVM needs to start: the oracle must not see CI secrets even by accident."""
    keep = ("PATH", "JAVA_HOME", "HOME", "LANG", "TMPDIR")
    return {name: os.environ[name] for name in keep if name in os.environ}
