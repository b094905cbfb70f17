"""Python side of the Helm values oracle: the Go YAML code Helm reads values files with.

Helm's ``chartutil.ReadValues`` is ``sigs.k8s.io/yaml.Unmarshal`` (over ``gopkg.in/yaml.v2``) into
``map[string]interface{}``, so that Go code is the ground truth for what a plain scalar in a values
file means.  ``oracle/helmyaml/main.go`` is built once per test session (GOPATH mode, against the
Debian packages ``golang-k8s-sigs-yaml-dev`` and ``golang-gopkg-yaml.v2-dev``); each
``HelmYaml.read`` call then runs it once for a whole batch of documents.

The Go program only reads its input and writes JSON: no file, network or environment access.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testing.hocon_oracle import OracleError, OracleMissing

GOPATH_ENV = "CONFIGGEN_HELM_GOPATH"
DEFAULT_GOPATH = "/usr/share/gocode"  # where the Debian golang-*-dev packages put sources
PACKAGES = ("sigs.k8s.io/yaml", "gopkg.in/yaml.v2")
SOURCE = Path(__file__).parent / "oracle" / "helmyaml" / "main.go"

# Building takes a few seconds (less with a warm Go build cache); answering thousands of small
# documents well under one.  This only stops a hung process from hanging the test run.
TIMEOUT_SECONDS = 300

# Where reading stopped (``HelmRead.stage``):
OK = "ok"
YAML = "yaml"  # yaml.v2 refused the text: a syntax error
JSON = "json"  # sigs.k8s.io/yaml could not turn it into JSON (.inf, .nan, a null key, ...)
CRASH = "crash"  # a panic in the Go libraries


@dataclass(frozen=True)
class Scalar:
    """How yaml.v2 alone resolved one top-level entry (before the JSON round trip)."""

    key_type: str  # Go type of the key: "string", "int", "bool", "<nil>", ...
    type: str  # Go type of the value: "int", "uint64", "float64", "string", "bool", "<nil>", ...
    text: str  # the value exactly; floats in Go's shortest form ("1e+20", "+Inf", "NaN")


@dataclass(frozen=True)
class HelmRead:
    """How Helm read one values document."""

    stage: str
    error: str
    values: dict[str, Any] | None  # .Values as JSON (numbers are float64 in Go)
    types: dict[str, str] = field(default_factory=dict)  # Go type of each top-level value
    printed: dict[str, str] = field(default_factory=dict)  # what {{ .Values.key }} prints
    yaml: dict[str, Scalar] = field(default_factory=dict)  # keyed by Go's fmt.Sprint(key)

    @property
    def ok(self) -> bool:
        return self.stage == OK


class HelmYaml:
    """The built oracle; ``read`` runs it once for a whole batch of documents."""

    def __init__(self, binary: Path) -> None:
        self.binary = binary
        self.runs = 0

    @classmethod
    def build(cls, workdir: Path) -> HelmYaml:
        """Build the oracle into ``workdir``; ``OracleMissing`` if a piece is not installed."""
        go = shutil.which("go")
        if go is None:
            raise OracleMissing(
                "the Go toolchain (go) is needed on PATH: apt-get install golang-go"
            )
        gopath = os.environ.get(GOPATH_ENV) or DEFAULT_GOPATH
        for package in PACKAGES:
            if not (Path(gopath) / "src" / package).is_dir():
                raise OracleMissing(
                    f"Go package {package} not found under {gopath}/src (set {GOPATH_ENV}; "
                    "apt-get install golang-k8s-sigs-yaml-dev golang-gopkg-yaml.v2-dev)"
                )
        binary = workdir / "helmyaml"
        built = subprocess.run(
            [go, "build", "-o", str(binary), str(SOURCE)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            cwd=workdir,
            env=_go_environment(gopath, workdir),
        )
        if built.returncode != 0:
            raise OracleError(f"go build failed:\n{built.stderr}")
        return cls(binary)

    def read(self, documents: Iterable[str]) -> list[HelmRead]:
        """How Helm reads each document; one process run for the whole batch."""
        documents = list(documents)
        if not documents:
            return []
        stdin = b"".join(_encode(text) for text in documents)
        proc = subprocess.run(
            [str(self.binary)],
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            env={},
        )
        self.runs += 1
        if proc.returncode != 0:
            raise OracleError(f"oracle exited {proc.returncode}:\n{proc.stderr.decode()}")
        lines = proc.stdout.decode("utf-8").splitlines()
        if len(lines) != len(documents):
            raise OracleError(f"{len(documents)} documents but {len(lines)} answers")
        return [_read(json.loads(line, parse_int=_json_int)) for line in lines]

    def read_one(self, text: str) -> HelmRead:
        return self.read([text])[0]


def _encode(text: str) -> bytes:
    body = text.encode("utf-8")
    return b"DOC %d\n" % len(body) + body


def _json_int(text: str) -> int | float:
    """Go writes the float64 -0 as ``-0``: keep its sign (Python's json would read int 0)."""
    return -0.0 if text == "-0" else int(text)


def _read(data: dict[str, Any]) -> HelmRead:
    return HelmRead(
        stage=data["stage"],
        error=data.get("error") or "",
        values=data.get("values"),
        types=data.get("types") or {},
        printed=data.get("printed") or {},
        yaml={key: Scalar(**scalar) for key, scalar in (data.get("yaml") or {}).items()},
    )


def _go_environment(gopath: str, workdir: Path) -> dict[str, str]:
    """GOPATH mode against the system packages; nothing else from the environment but PATH."""
    env = {
        "GO111MODULE": "off",
        "GOPATH": gopath,
        "GOFLAGS": "",
        "CGO_ENABLED": "0",
        "GOTOOLCHAIN": "local",  # Go >= 1.21 would otherwise try to download a toolchain
        "PATH": os.environ.get("PATH", ""),
    }
    # Reuse the user's build cache when there is one (a warm cache builds in about a second).
    home = os.environ.get("HOME")
    default_cache = Path(home) / ".cache" / "go-build" if home else workdir / "go-build"
    env["GOCACHE"] = os.environ.get("GOCACHE") or str(default_cache)
    if home:
        env["HOME"] = home
    return env
