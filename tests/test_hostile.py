"""Hostile lint input, end to end: nothing leaves the process, every file costs bounded work.

``configgen lint`` runs in CI on files from pull requests, so every file here is written by an
attacker.  Each test runs the real command line (``configgen lint`` through click's CliRunner) or,
for the pyhocon path used by ``render``'s read-back, ``configgen.hoconfile.parse``, and checks:

* no network: an include of ``http://127.0.0.1:<port>/`` points at a listening socket this module
  opens; no connection may reach it (and no ``socket.connect`` audit event may happen at all);
* no file read: an included secret file is never opened (``open`` audit events), its directory is
  never listed (a glob), its content never printed; a FIFO variant would block if opened;
* no code: ``include package("marker_pkg...")`` would import a package whose ``__init__`` writes a
  marker file; YAML ``!!python/object/apply`` tags would run a command;
* no environment: ``${SECRET_VAR}`` never reads the variable (``os.environ`` is replaced by a
  recording mapping) and its value appears in no report format;
* bounded by work, not by time: every run's peak memory (``tracemalloc``) stays under
  ``WORK_MEMORY`` and the YAML values it builds under the expansion limit -- none at all for an
  alias or merge-key bomb, which the count refuses before anything is built.  Work does not
  change with the machine's load, so a busy CI runner cannot fail these tests; a generous hang
  guard (``testing.guards.deadline``, 60 s) only stops a run that hangs.  A ``.configgen.yaml``
  that comes with the pull request must not lift the bounds either;
* positions and names: findings stay inside the file, file names reach no log unescaped;
* the first line of defence is complete: ``find_includes`` is compared with pyhocon itself
  (a differential property test: whenever pyhocon would call a loader, an include is found).

Exit codes are the documented ones (1 when a finding is an error, 0 otherwise) and nothing prints
a traceback.  Cases are generated here rather than stored: several are megabytes, sparse files,
FIFOs or depend on a port chosen at run time.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import sys
import tracemalloc
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.inputs.anchors import merge_bomb
from configgen.cli import main
from configgen.parsing import pyhocon_safe, yaml_values
from configgen.parsing.hocon import includes
from configgen.parsing.limits import DEFAULT
from testing.cli import assert_no_traceback
from testing.guards import deadline

SECRET_VALUE = "sEcReT-5b1e0c7a-9d43-4f7e-a0c2-hostile-env"  # SECRET_VAR's value
SECRET_CONTENT = "sEcReT-file-content-3c8f2e61"  # what the secret file holds
FORMATS = ("text", "parsable", "json", "github", "sarif")
SECTION = "stackstate.api.authentication.authServer.serviceTokenAuthServer.bootstrap"


# -- audit: what the process touched ------------------------------------------------------------

WATCHED_EVENTS = frozenset(
    {
        "open",
        "os.listdir",
        "os.scandir",
        "glob.glob",
        "socket.connect",
        "socket.getaddrinfo",
        "urllib.Request",
        "import",
        "os.system",
        "subprocess.Popen",
        "os.exec",
        "os.posix_spawn",
    }
)
_recording: list[tuple[str, tuple[Any, ...]]] | None = None


def _audit_hook(event: str, args: tuple[Any, ...]) -> None:
    if _recording is not None and event in WATCHED_EVENTS:
        _recording.append((event, args))


sys.addaudithook(_audit_hook)  # hooks cannot be removed; this one is idle outside `audited()`


@dataclass
class Audit:
    events: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def paths(self, *events: str) -> list[str]:
        """The first argument of each event in ``events``, as a string path."""
        found = []
        for event, args in self.events:
            if event in events and args and isinstance(args[0], (str, bytes, os.PathLike)):
                found.append(os.fsdecode(args[0]))
        return found

    def touched(self, where: Path) -> list[str]:
        """Opens of, and directory listings or globs in, ``where`` (a file or a directory)."""
        root = str(where)
        return [
            p
            for p in self.paths("open", "os.listdir", "os.scandir", "glob.glob")
            if p == root or p.startswith((root + os.sep, root + "/"))
        ]

    def listings(self, within: Path) -> list[str]:
        """Directory listings and globs in ``within`` (imports may list sys.path entries)."""
        root = str(within)
        return [
            p
            for p in self.paths("os.listdir", "os.scandir", "glob.glob")
            if p == root or p.startswith((root + os.sep, root + "/"))
        ]

    def network(self) -> list[tuple[str, tuple[Any, ...]]]:
        network_events = ("socket.connect", "socket.getaddrinfo", "urllib.Request")
        return [e for e in self.events if e[0] in network_events]

    def imports(self, prefix: str) -> list[str]:
        return [name for name in self.paths("import") if name.split(".")[0] == prefix]

    def commands(self) -> list[tuple[str, tuple[Any, ...]]]:
        spawning = ("os.system", "subprocess.Popen", "os.exec", "os.posix_spawn")
        return [e for e in self.events if e[0] in spawning]


@contextlib.contextmanager
def audited() -> Iterator[Audit]:
    global _recording
    audit = Audit()
    _recording = audit.events
    try:
        yield audit
    finally:
        _recording = None


# -- running the CLI ----------------------------------------------------------------------------


WORK_MEMORY = 32 * 1024 * 1024  # bytes: the peak of one run (the largest case needs ~8 MiB)


@dataclass
class Work:
    """What one run cost: peak traced memory and YAML values built."""

    peak: int = 0
    built: int = 0


@contextlib.contextmanager
def measured() -> Iterator[Work]:
    """Trace memory and count ``helm_yaml`` builds for the block."""
    work = Work()
    real = yaml_values.Builder.build

    def counting(self: Any, *args: Any) -> Any:
        work.built += 1
        return real(self, *args)

    yaml_values.Builder.build = counting  # type: ignore[method-assign]
    tracemalloc.start()
    try:
        yield work
    finally:
        work.peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        yaml_values.Builder.build = real  # type: ignore[method-assign]


@dataclass
class Run:
    result: Result
    work: Work
    audit: Audit

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    def findings(self) -> list[dict[str, Any]]:
        """The findings of a ``--format json`` run."""
        findings: list[dict[str, Any]] = json.loads(self.result.stdout)["findings"]
        return findings

    def rules(self) -> set[str]:
        return {f["rule"] for f in self.findings()}

    def at(self, rule: str) -> set[tuple[int, int]]:
        return {(f["line"], f["column"]) for f in self.findings() if f["rule"] == rule}


def lint(*args: Any, fmt: str = "json") -> Run:
    """``configgen lint --no-config --format FMT ARGS``: in-process, audited, work measured,
    hang-guarded."""
    argv = ["lint", "--no-config", "--format", fmt, *map(str, args)]
    with audited() as audit, deadline(), measured() as work:
        result = CliRunner().invoke(main, argv, prog_name="configgen")
    assert_no_traceback(result)
    assert work.peak < WORK_MEMORY, f"peak memory {work.peak / 2**20:.1f} MiB"
    assert work.built <= DEFAULT.max_values
    return Run(result, work, audit)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# -- fixtures: a listener, a secret file, a marker package ---------------------------------------


@dataclass
class Listener:
    """A loopback TCP socket that nothing should connect to."""

    sock: socket.socket
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/x.conf"

    def connections(self) -> int:
        """Connections that reached the socket (completed handshakes wait in the backlog)."""
        count = 0
        self.sock.setblocking(False)
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1


@pytest.fixture
def listener() -> Iterator[Listener]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    try:
        yield Listener(sock, sock.getsockname()[1])
    finally:
        sock.close()


@dataclass
class Secret:
    directory: Path  # holds only the secret file
    file: Path


@pytest.fixture
def secret(tmp_path: Path) -> Secret:
    """``<tmp>/secrets/secret.conf``: a HOCON file whose content must never be read."""
    path = write(
        tmp_path / "secrets" / "secret.conf",
        f'{SECTION}.token = "{SECRET_CONTENT}"\nleak = "{SECRET_CONTENT}"\n',
    )
    return Secret(path.parent, path)


@dataclass
class MarkerPackage:
    name: str
    marker: Path  # written by the package's __init__ (and its subpackage's) when imported


@pytest.fixture
def marker_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MarkerPackage]:
    """``marker_pkg`` (and ``marker_pkg.sub``) on sys.path; importing either writes ``marker``."""
    marker = tmp_path / "imported.marker"
    code = f"from pathlib import Path\nPath({str(marker)!r}).write_text('imported')\n"
    root = tmp_path / "pkgs" / "marker_pkg"
    write(root / "__init__.py", code)
    write(root / "sub" / "__init__.py", code)
    write(root / "x.conf", f'leak = "{SECRET_CONTENT}"\n')
    write(root / "sub" / "x.conf", f'leak = "{SECRET_CONTENT}"\n')
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    yield MarkerPackage("marker_pkg", marker)
    for name in [m for m in sys.modules if m.split(".")[0] == "marker_pkg"]:
        del sys.modules[name]


# -- HOCON includes of URLs -----------------------------------------------------------------------

# name: (text with {url}, where the include finding must be (line, column); None where the text
# holds no include at all; ANY where Lightbend reads none but pyhocon would: reporting it is
# optional.  Either way nothing may connect.)
ANY = "either"
URL_INCLUDES: dict[str, tuple[str, tuple[int, int] | str | None]] = {
    "quoted": ('include "{url}"\n', (1, 1)),
    "url()": ('include url("{url}")\n', (1, 1)),
    "required-url": ('include required(url("{url}"))\n', (1, 1)),
    "required-quoted": ('include required("{url}")\n', (1, 1)),
    "https": ('include url("{https}")\n', (1, 1)),
    "no-space": ('include"{url}"\n', (1, 1)),
    "tab-and-crlf": ('a = 1\r\ninclude\turl("{url}")\r\n', (2, 1)),
    "upper-case-in-list": ('a = [\n  1,\n  INCLUDE "{url}"\n]\n', (3, 3)),
    "lower-case-in-list": ('a = [ include url("{url}") ]\n', (1, 7)),
    "mixed-case": ('Include "{url}"\n', (1, 1)),
    "nested-objects": ('a {{\n  b {{\n    c = 1\n    include url("{url}")\n  }}\n}}\n', (4, 5)),
    "nested-braces-one-line": ('a {{ b {{ include url("{url}") }} }}\n', (1, 9)),
    "after-a-value": ('a = x include "{url}"\n', (1, 7)),
    "in-bootstrap": (
        SECTION + ' {{\n  token = ${{?T}}\n  include required(url("{url}"))\n}}\n',
        (3, 3),
    ),
    "after-comment-ending-in-cr": ('# comment\rinclude url("{url}")\n', ANY),
    "inside-quotes": ('a = "include url(\\"{url}\\")"\n', None),
    "inside-triple-quotes": ('a = """include url("{url}")"""\n', None),
}


@pytest.mark.parametrize("name", URL_INCLUDES)
def test_url_include_is_reported_and_never_fetched(
    name: str, listener: Listener, tmp_path: Path
) -> None:
    template, where = URL_INCLUDES[name]
    https = listener.url.replace("http:", "https:")
    conf = write(tmp_path / "app.conf", template.format(url=listener.url, https=https))
    run = lint(conf)
    assert listener.connections() == 0
    assert run.audit.network() == []
    if where is None:
        assert "include" not in run.rules()
        return
    if where == ANY:
        assert "internal-error" not in run.rules()
        return
    assert where in run.at("include"), run.findings()
    assert run.result.exit_code == 1


def test_url_include_as_text_report_names_its_position(listener: Listener, tmp_path: Path) -> None:
    conf = write(tmp_path / "app.conf", f'a = 1\nb {{\n  include url("{listener.url}")\n}}\n')
    run = lint(conf, fmt="text")
    assert f"{conf}:3:3: error: include directive" in run.result.stdout
    assert run.result.exit_code == 1
    assert listener.connections() == 0


def test_many_url_includes_in_one_file_never_connect(listener: Listener, tmp_path: Path) -> None:
    """Every variant in one file, twice (a slow or blocking fetch would add up)."""
    https = listener.url.replace("http:", "https:")
    text = "".join(t.format(url=listener.url, https=https) for t, _ in URL_INCLUDES.values())
    conf = write(tmp_path / "all.conf", "a {\n" + text + text + "}\n")
    run = lint(conf)
    assert listener.connections() == 0
    assert run.audit.network() == []
    assert run.result.exit_code == 1


# -- HOCON includes of local files ----------------------------------------------------------------

# name: text with {secret} (the file), {dir} (its directory), {parent} (their parent)
FILE_INCLUDES = {
    "absolute": 'include "{secret}"\n',
    "absolute-file()": 'include file("{secret}")\n',
    "required-file": 'include required(file("{secret}"))\n',
    "relative-parent": 'include "../secrets/secret.conf"\n',
    "relative-file()": 'include file("../secrets/secret.conf")\n',
    "glob": 'include "{dir}/*.conf"\n',
    "recursive-glob": 'include "{parent}/**/*.conf"\n',
    "recursive-glob-no-match": 'include "{parent}/**/nothing-here"\n',
    "file-url": 'include url("file://{secret}")\n',
    "file-url-quoted": 'include "file://{secret}"\n',
    "classpath": 'include classpath("secret.conf")\n',
    "in-list": 'a = [ include "{secret}" ]\n',
    "nested": 'a {{\n  b {{\n    include required(file("{secret}"))\n  }}\n}}\n',
}


def _file_include(name: str, secret: Secret) -> str:
    return FILE_INCLUDES[name].format(
        secret=secret.file, dir=secret.directory, parent=secret.directory.parent
    )


@pytest.mark.parametrize("name", FILE_INCLUDES)
def test_file_include_is_reported_and_never_read(
    name: str, secret: Secret, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Relative includes resolve from the linted file's directory, which is also the cwd here."""
    repo = tmp_path / "repo"
    conf = write(repo / "app.conf", _file_include(name, secret))
    monkeypatch.chdir(repo)
    run = lint(conf)
    assert run.audit.touched(secret.directory) == []
    assert SECRET_CONTENT not in run.output
    assert "include" in run.rules()
    assert run.result.exit_code == 1


def test_include_of_a_fifo_never_opens_it(tmp_path: Path) -> None:
    """Opening a FIFO for reading blocks until a writer comes: a read would hit the hang guard."""
    fifo = tmp_path / "secrets" / "secret.conf"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    text = (
        f'include "{fifo}"\ninclude file("{fifo}")\ninclude url("file://{fifo}")\n'
        f'include "{fifo.parent}/*.conf"\n'
    )
    conf = write(tmp_path / "app.conf", text)
    run = lint(conf)
    assert run.audit.touched(fifo.parent) == []
    assert run.at("include") >= {(1, 1), (2, 1), (3, 1), (4, 1)}
    assert run.result.exit_code == 1


def test_lint_never_lists_directories(secret: Secret, tmp_path: Path) -> None:
    text = "".join(_file_include(name, secret) for name in FILE_INCLUDES)
    conf = write(tmp_path / "app.conf", "a {\n" + text + "}\n")
    run = lint(conf)
    assert run.audit.listings(tmp_path) == []
    assert run.audit.touched(secret.directory) == []


# -- HOCON include package(...) --------------------------------------------------------------------

PACKAGE_INCLUDES = {
    "top-level": 'include package("marker_pkg:x.conf")\n',
    "subpackage": 'include package("marker_pkg.sub:x.conf")\n',
    "required": 'include required(package("marker_pkg.sub:x.conf"))\n',
    "nested-upper-case": 'a {\n  INCLUDE package("marker_pkg.sub:x.conf")\n}\n',
}


@pytest.mark.parametrize("name", PACKAGE_INCLUDES)
def test_package_include_never_imports_code(
    name: str, marker_package: MarkerPackage, tmp_path: Path
) -> None:
    conf = write(tmp_path / "app.conf", PACKAGE_INCLUDES[name])
    run = lint(conf)
    assert not marker_package.marker.exists()
    assert run.audit.imports(marker_package.name) == []
    assert marker_package.name not in sys.modules
    assert SECRET_CONTENT not in run.output
    assert "include" in run.rules()
    assert run.result.exit_code == 1


# -- ${SECRET_VAR}: the environment is never read -------------------------------------------------


class RecordingEnviron(MutableMapping[str, str]):
    """``os.environ`` stand-in that notes every read of ``watched`` (and any full iteration)."""

    def __init__(self, real: MutableMapping[str, str], watched: str) -> None:
        self.real = real
        self.watched = watched
        self.reads: list[str] = []

    def __getitem__(self, key: str) -> str:
        if key == self.watched:
            self.reads.append(key)
        return self.real[key]

    def __setitem__(self, key: str, value: str) -> None:
        self.real[key] = value

    def __delitem__(self, key: str) -> None:
        del self.real[key]

    def __iter__(self) -> Iterator[str]:
        self.reads.append("<every variable>")
        return iter(self.real)

    def __len__(self) -> int:
        return len(self.real)

    def copy(self) -> dict[str, str]:
        self.reads.append("<every variable>")
        return dict(self.real)


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> RecordingEnviron:
    monkeypatch.setenv("SECRET_VAR", SECRET_VALUE)
    recording = RecordingEnviron(os.environ, "SECRET_VAR")
    monkeypatch.setattr(os, "environ", recording)
    return recording


ENV_FILES = {
    "token": f"{SECTION}.token = ${{SECRET_VAR}}\n",
    "optional-token": f"{SECTION}.token = ${{?SECRET_VAR}}\n",
    "roles": f"{SECTION}.roles = [${{SECRET_VAR}}, ${{?SECRET_VAR}}]\n",
    "ttl": f"{SECTION}.ttl = ${{SECRET_VAR}}\n",
    "auth-server-type": (
        "stackstate.api.authentication.authServer.authServerType = [${?SECRET_VAR}]\n"
    ),
    "concatenation": f'{SECTION}.token = "x"${{SECRET_VAR}}"y" ${{?SECRET_VAR}}\n',
    "self-reference": "a = ${?SECRET_VAR}\na = ${a}${SECRET_VAR}\n",
    "path": f"{SECTION}.token = ${{SECRET_VAR.x}}\n",
    "in-key (invalid)": "${SECRET_VAR} = 1\n",
    "triple-quoted": f'{SECTION}.token = """${{SECRET_VAR}}"""\n',
    "unclosed": f"{SECTION}.token = ${{SECRET_VAR\n",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_substitutions_never_read_or_print_the_environment(
    fmt: str, environ: RecordingEnviron, tmp_path: Path
) -> None:
    files = [write(tmp_path / f"{name}.conf", text) for name, text in ENV_FILES.items()]
    run = lint(*files, fmt=fmt)
    assert SECRET_VALUE not in run.output
    assert environ.reads == []
    assert run.result.exit_code in (0, 1)


# -- files that stress the readers: each with bounded work -------------------------------------


def _billion_laughs() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [{','.join([f'*a{level - 1}'] * 10)}]")
    lines.append("stackstate:\n  authentication:\n    roles:\n      guest: *a8")
    return "\n".join(lines) + "\n"


def _merge_key_bomb() -> str:
    lines = ["a0: &a0 {k0: 1, k1: 1}"]
    for level in range(1, 30):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} {{<<: [{previous}], x: {previous}, y: {previous}}}")
    return "\n".join(lines) + "\n"


def _sparse(size: int, head: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.write(head)
            handle.truncate(size)  # a hole: no disk used, reads as NUL bytes

    return make


def _largest_accepted(line: Callable[[int], str]) -> str:
    """Distinct lines up to just under the 10 MiB input limit."""
    limit = 10 * 1024 * 1024 - 4096
    parts, size, i = [], 0, 0
    while size < limit:
        parts.append(line(i))
        size += len(parts[-1])
        i += 1
    return "".join(parts)


RENDERED_HELM = (
    "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap:\n"
    '        token: "kz92R5goCrOmTozG1m-iWMWTZK6CsqrlpBaFtML-CwE"\n'
    '        roles:\n          - "stackstate-power-user"\n        ttl: "24h"\n'
)
RENDERED_HOCON = (
    "stackstate.api.authentication.authServer {\n"
    '  authServerType = ["stackstateAuthServer", "serviceTokenAuthServer"]\n'
    "  serviceTokenAuthServer.bootstrap {\n"
    '    token = "example-only-3f9a1c2b7d4e6f8091a2b3c4d5e6f708"\n'
    '    roles = ["stackstate-power-user"]\n    ttl = "24h"\n  }\n}\n'
)
MiB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    """A file (``content``: text, bytes, or a function writing the path) and what lint says."""

    suffix: str
    content: str | bytes | Callable[[Path], None]
    exit: frozenset[int]  # the exit codes that are right
    rules: frozenset[str] = frozenset()  # each must be among the findings' rules
    built: int = DEFAULT.max_values  # YAML values it may build at most


def case(suffix: str, content: Any, exit: int | tuple[int, ...], *rules: str) -> Case:
    exits = frozenset(exit if isinstance(exit, tuple) else (exit,))
    return Case(suffix, content, exits, frozenset(rules))


def bomb(content: str) -> Case:
    """An alias or merge-key bomb: refused by counting, before a single value is built."""
    return Case(".yaml", content, frozenset({1}), frozenset({"limit"}), built=0)


EITHER = (0, 1)  # valid but huge: a work limit may refuse it (exit 1) or not (exit 0)


CASES: dict[str, Case] = {
    # -- Helm values (YAML) --
    "yaml-billion-laughs-9-levels": bomb(_billion_laughs()),
    "yaml-merge-key-bomb": bomb(_merge_key_bomb()),
    "yaml-recursive-alias": case(".yaml", "a: &a [*a, *a]\n", 1, "limit"),
    "yaml-merge-of-itself": case(".yaml", "a: &a {k: 1, <<: *a}\n", (0, 1)),
    "yaml-merges-nested-300-levels": case(
        ".yaml", "a: " + "{<<: " * 300 + "{k: 1}" + "}" * 300 + "\n", 1, "limit"
    ),
    "yaml-repeated-merges-of-one-mapping": case(  # benchmarks' merge-bomb.yaml: no bomb at all
        ".yaml", merge_bomb(), 0
    ),
    "yaml-100MB-sparse": case(".yaml", _sparse(100 * MiB, b"a: b\n"), 1, "limit"),
    "yaml-flow-sequences-10000-levels": case(".yaml", "[" * 10_000 + "]" * 10_000, 1, "limit"),
    "yaml-flow-sequences-10000-levels-in-a-value": case(
        ".yaml", "a: " + "[" * 10_000 + "]" * 10_000 + "\n", 1, "limit"
    ),
    "yaml-flow-sequences-10000-unclosed": case(".yaml", "a: " + "[" * 10_000, 1),
    "yaml-flow-mappings-10000-levels": case(
        ".yaml", "{a: " * 10_000 + "}" * 10_000 + "\n", 1, "limit"
    ),
    "yaml-block-mappings-10000-levels": case(
        ".yaml", "".join(" " * i + "a:\n" for i in range(10_000)), 1, "limit"
    ),
    "yaml-block-mappings-4400-levels-just-under-10MiB": case(
        ".yaml", "".join(" " * i + "a:\n" for i in range(4_400)), 1, "limit"
    ),
    "yaml-block-sequences-10000-levels": case(".yaml", "- " * 10_000 + "x\n", 1, "limit"),
    # Over lint's 512 KiB file-size cap: refused unread, with a limit finding.
    "yaml-nul-bytes-1MB": case(".yaml", b"\0" * MiB, 1, "limit"),
    "yaml-invalid-utf8": case(".yaml", b"a: b\nc: \xff\xfe\n", 1, "syntax"),
    "yaml-utf8-bom": case(".yaml", "\ufeff" + RENDERED_HELM, 0),
    "yaml-crlf": case(".yaml", RENDERED_HELM.replace("\n", "\r\n"), 0),
    "yaml-lone-cr": case(".yaml", RENDERED_HELM.replace("\n", "\r"), 0),
    "yaml-python-tags": case(
        ".yaml",
        "a: !!python/object:os.system\n  x: 1\n"
        "b: !!python/object/apply:os.system ['touch {marker}']\n"
        "c: !!python/name:os.system\nd: !foo bar\ne: !!binary aGVsbG8=\n",
        0,
    ),
    "yaml-python-tags-in-bootstrap": case(
        ".yaml",
        RENDERED_HELM.replace('"stackstate-power-user"', "!!python/object/apply:os.system [id]"),
        1,
        "roles-not-list",  # Helm ignores the tag: the role is the list [id]
    ),
    "yaml-role-is-a-list": case(
        ".yaml", RENDERED_HELM.replace('"stackstate-power-user"', "[id]"), 1, "roles-not-list"
    ),
    "yaml-directives": case(
        ".yaml", "%YAML 1.1\n%TAG !e! tag:evil.example,2000:\n---\na: !e!x 1\n" + RENDERED_HELM, 0
    ),
    "yaml-multi-document": case(
        ".yaml", RENDERED_HELM + "---\n" + RENDERED_HELM + "...\n---\nb: 1\n", 1, "multi-document"
    ),
    # Python refuses int() of more than 4300 digits (ValueError); Go and Java just overflow
    "yaml-5000-digit-integer": case(".yaml", "a: " + "1" * 5000 + "\n", 0),
    "yaml-5000-digit-ttl": case(
        ".yaml", RENDERED_HELM.replace('"24h"', '"' + "9" * 5000 + 's"'), 1, "ttl-invalid"
    ),
    "yaml-5000-digit-token": case(  # yaml.v2: out of int64 and float64 range, so a string
        ".yaml",
        RENDERED_HELM.replace('"kz92R5goCrOmTozG1m-iWMWTZK6CsqrlpBaFtML-CwE"', "9" * 5000),
        EITHER,
    ),
    "yaml-1MB-line-scalar": case(".yaml", "a: " + "x" * MiB + "\n", 1, "limit"),
    "yaml-1MB-line-flow-sequence": case(".yaml", "a: [" + "a," * (MiB // 2) + "]\n", 1),
    "yaml-10MiB-values-file": case(  # about 2.1 million values: more than max-values
        ".yaml", _largest_accepted(lambda i: f"k{i}: v\n"), 1, "limit"
    ),
    # -- HOCON --
    "hocon-100MB-sparse": case(".conf", _sparse(100 * MiB, b"a = b\n"), 1, "limit"),
    "hocon-lists-10000-levels": case(".conf", "a = " + "[" * 10_000 + "]" * 10_000, 1, "limit"),
    "hocon-braces-10000-levels": case(".conf", "{a" * 10_000 + "}" * 10_000, 1, "limit"),
    "hocon-objects-10000-levels-on-lines": case(
        ".conf", "a {\n" * 10_000 + "}\n" * 10_000, 1, "limit"
    ),
    "hocon-colons-10000-lines": case(
        ".conf", "".join(" " * (i % 80) + "a:\n" for i in range(10_000)), 1
    ),
    "hocon-dotted-path-10000-keys": case(".conf", "a" + ".a" * 10_000 + " = 1\n", 1, "limit"),
    "hocon-substitution-chain": case(
        ".conf",
        "a0 = [1,1,1,1,1,1,1,1,1,1]\n"
        + "".join(f"a{i} = [{','.join([f'${{a{i - 1}}}'] * 10)}]\n" for i in range(1, 30)),
        0,
    ),
    "hocon-nul-bytes-1MB": case(".conf", b"\0" * MiB, 1, "limit"),
    "hocon-invalid-utf8": case(".conf", b"a = b\nc = \xc3\x28\n", 1, "syntax"),
    "hocon-utf8-bom": case(".conf", "\ufeff" + RENDERED_HOCON, 0),
    "hocon-crlf": case(".conf", RENDERED_HOCON.replace("\n", "\r\n"), 0),
    # Lightbend: CR is whitespace, not a line break, so the fields need commas
    "hocon-lone-cr": case(".conf", RENDERED_HOCON.replace("\n", "\r"), 1, "syntax"),
    "hocon-unclosed-triple-quote": case(".conf", 'a = """' + "x\n" * 10_000, 1, "syntax"),
    "hocon-unclosed-substitution": case(".conf", "a = ${" + "b." * 10_000, 1, "syntax"),
    "hocon-5000-digit-integer": case(".conf", "a = " + "1" * 5000 + "\n", 0),
    "hocon-5000-digit-integer-leading-zeros": case(".conf", "a = " + "0" * 5000 + "1\n", 0),
    "hocon-5000-digit-ttl": case(
        ".conf", RENDERED_HOCON.replace('"24h"', "9" * 5000 + "s"), 1, "ttl-invalid"
    ),
    "hocon-1MB-line-string": case(".conf", "a = " + "x" * MiB + "\n", 1, "limit"),
    "hocon-1MB-line-list": case(".conf", "a = [" + "1," * (MiB // 2) + "]\n", EITHER),
    "hocon-10MiB-file": case(".conf", _largest_accepted(lambda i: f"k{i} = v\n"), EITHER),
}


@pytest.mark.parametrize("name", CASES)
def test_stress_file_is_linted_with_bounded_work(name: str, tmp_path: Path) -> None:
    spec = CASES[name]
    path = tmp_path / f"{name}{spec.suffix}"
    marker = tmp_path / "command-ran.marker"
    if callable(spec.content):
        spec.content(path)
    elif isinstance(spec.content, str):
        write(path, spec.content.replace("{marker}", str(marker)))
    else:
        write(path, spec.content)
    run = lint(path)
    findings = run.findings()
    assert run.work.built <= spec.built, f"built {run.work.built} values"
    assert spec.rules <= run.rules(), findings[:5]
    assert "internal-error" not in run.rules(), findings[:5]
    assert run.result.exit_code in spec.exit, findings[:5]
    assert not marker.exists()
    assert run.audit.commands() == []


def test_crlf_and_lone_cr_keep_the_positions_of_lf(tmp_path: Path) -> None:
    """A finding is at the same line:col whatever the line endings (Helm: YAML line breaks)."""
    text = RENDERED_HELM.replace('ttl: "24h"', "ttl: 24H")
    where = {}
    for name, newline in (("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")):
        run = lint(write(tmp_path / f"{name}.yaml", text.replace("\n", newline)))
        where[name] = run.at("ttl-invalid")
    assert where["lf"] == where["crlf"] == where["cr"] == {(8, 14)}


def test_bom_does_not_shift_columns(tmp_path: Path) -> None:
    for suffix, text, rule in (
        (".yaml", RENDERED_HELM.replace('"24h"', "24H"), "ttl-invalid"),
        (".conf", 'a = 1\ninclude "x"\n', "include"),
    ):
        plain = lint(write(tmp_path / f"plain{suffix}", text)).at(rule)
        bom = lint(write(tmp_path / f"bom{suffix}", "\ufeff" + text)).at(rule)
        assert plain == bom != set()


class CountingInput(io.BytesIO):
    """Stdin that counts the bytes read from it."""

    consumed = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.consumed += len(data)
        return data


def test_stdin_is_bounded_like_files(tmp_path: Path) -> None:
    """``-`` reads at most the input limit: 100 MB on stdin is refused, not read whole."""
    stdin = CountingInput(b"a: b\n" + b"#" * (100 * MiB))
    with audited(), deadline():
        result = CliRunner().invoke(
            main, ["lint", "--no-config", "--format", "json", "-"], input=stdin
        )
    assert_no_traceback(result)
    assert stdin.consumed <= DEFAULT.max_bytes + 1
    assert {f["rule"] for f in json.loads(result.stdout)["findings"]} == {"limit"}
    assert result.exit_code == 1


def test_hostile_file_names_are_not_echoed_raw(tmp_path: Path) -> None:
    """A file name is attacker-chosen too (git allows any byte but NUL and /): its control
    characters must reach no terminal or CI log, in any format."""
    # an OSC sequence (set the terminal title), which click's ANSI stripping does not remove
    name = "evil\x1b]0;pwned\x07\r::error file=x::injected.yaml"
    path = write(tmp_path / name, "a: [\n")
    for fmt in ("text", "parsable", "github"):
        run = lint(path, fmt=fmt)
        assert "\x1b" not in run.output
        assert "\x07" not in run.output
        assert "\r" not in run.output
        assert run.result.exit_code == 1


# -- the pyhocon path: configgen.hoconfile.parse --------------------------------------------------


def _pyhocon_includes(listener: Listener, secret: Secret) -> dict[str, str]:
    url = listener.url
    return {
        "url-quoted": f'include "{url}"\n',
        "url()": f'include url("{url}")\n',
        "required-url": f'include required(url("{url}"))\n',
        "url-in-list-upper-case": f'a = [ INCLUDE "{url}" ]\n',
        "url-nested": f'a {{\n  b {{\n    include url("{url}")\n  }}\n}}\n',
        "file-absolute": f'include "{secret.file}"\n',
        "file()": f'include file("{secret.file}")\n',
        "file-required": f'include required(file("{secret.file}"))\n',
        "file-url": f'include url("file://{secret.file}")\n',
        "file-url-quoted": f'include "file://{secret.file}"\n',
        "package": 'include package("marker_pkg:x.conf")\n',
        "package-subpackage": 'include package("marker_pkg.sub:x.conf")\n',
        "package-required": 'include required(package("marker_pkg.sub:x.conf"))\n',
    }


def _assert_pyhocon_contained(
    audit: Audit, listener: Listener, secret: Secret, package: MarkerPackage
) -> None:
    assert listener.connections() == 0
    assert audit.network() == []
    assert audit.touched(secret.directory) == []
    assert not package.marker.exists()
    assert audit.imports(package.name) == []


def test_hoconfile_refuses_includes_with_their_position(
    listener: Listener, secret: Secret, marker_package: MarkerPackage
) -> None:
    for name, text in _pyhocon_includes(listener, secret).items():
        with audited() as audit, deadline(), pytest.raises(pyhocon_safe.IncludeRefused) as refused:
            pyhocon_safe.parse("a = 1\n" + text)
        _assert_pyhocon_contained(audit, listener, secret, marker_package)
        assert refused.value.line >= 2, name


def test_pyhocon_loaders_are_refused_on_their_own(
    listener: Listener,
    secret: Secret,
    marker_package: MarkerPackage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Second line of defence: with ``find_includes`` blind, pyhocon still loads nothing."""
    monkeypatch.setattr(pyhocon_safe, "find_includes", lambda text: [])
    for name, text in _pyhocon_includes(listener, secret).items():
        with audited() as audit, deadline(), pytest.raises(pyhocon_safe.HoconError):
            pyhocon_safe.parse(text)
        _assert_pyhocon_contained(audit, listener, secret, marker_package)
        assert SECRET_CONTENT not in repr(audit.events), name


def test_pyhocon_loaders_refused_on_their_own_also_stop_globs(
    secret: Secret, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyhocon expands ``*``/``?`` include paths with ``glob(path, recursive=True)`` *before* it
    calls the (refused) loader: the glob lists attacker-chosen directories -- ``"/**/x"`` walks
    the whole filesystem (minutes) -- and whether it matched changes the error (a file-existence
    oracle).  The second line of defence must refuse before any directory is listed."""
    monkeypatch.setattr(pyhocon_safe, "find_includes", lambda text: [])
    parent = secret.directory.parent
    for text in (
        f'include "{parent}/**/*.conf"\n',
        f'include "{parent}/**/nothing-here"\n',
        f'include file("{secret.directory}/*.conf")\n',
    ):
        with audited() as audit, deadline(), pytest.raises(pyhocon_safe.IncludeRefused):
            pyhocon_safe.parse(text)
        assert audit.listings(parent) == [], text


def test_hoconfile_finds_an_include_after_a_comment_ended_by_cr(
    listener: Listener, secret: Secret
) -> None:
    """pyhocon ends a comment at ``\\r`` as well as ``\\n`` (``eol = Word('\\n\\r')``), so the
    include on the same physical line is live for it; ``find_includes`` must see it (with its
    position) instead of leaving it to the loaders -- which do not cover globs."""
    for text in (
        f'# comment\rinclude url("{listener.url}")\n',
        f'a = 1 // comment\rinclude "{secret.directory.parent}/**/*.conf"\n',
    ):
        assert includes.find_includes(text), repr(text)
        with audited() as audit, deadline(), pytest.raises(pyhocon_safe.IncludeRefused) as refused:
            pyhocon_safe.parse(text)
        assert refused.value.line == 1
        assert audit.listings(secret.directory.parent) == []
        assert listener.connections() == 0


def test_hoconfile_never_reads_the_environment(environ: RecordingEnviron) -> None:
    for text in ENV_FILES.values():
        with deadline():
            try:
                parsed = pyhocon_safe.parse(text)
            except pyhocon_safe.HoconError as err:
                parsed = err.message
        assert SECRET_VALUE not in repr(parsed)
    assert environ.reads == []


def test_lint_parser_alone_reports_includes_and_never_follows(
    listener: Listener, secret: Secret, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With ``find_includes`` blind, lint's own parser still reports every include Lightbend
    would follow (lower-case, at the start of a field) and follows none."""
    monkeypatch.setattr(pyhocon_safe, "find_includes", lambda text: [])
    conf = write(
        tmp_path / "app.conf",
        f'include "{listener.url}"\ninclude url("{listener.url}")\n'
        f'a {{\n  include required(file("{secret.file}"))\n}}\n',
    )
    run = lint(conf)
    assert run.at("include") == {(1, 1), (2, 1), (4, 3)}
    assert listener.connections() == 0
    assert run.audit.network() == []
    assert run.audit.touched(secret.directory) == []
    assert run.result.exit_code == 1


def test_render_refuses_a_5000_digit_ttl_without_a_traceback(tmp_path: Path) -> None:
    """Same root cause as the 5000-digit lint cases (``durations.parse`` calls ``int()`` on the
    digits), reached through ``render --ttl``: a usage mistake must be a finding, exit 1."""
    with deadline():
        ttl = "9" * 5000 + "s"
        args = ["render", "--roles", "stackstate-power-user", "--generate-token", "--ttl", ttl]
        result = CliRunner().invoke(main, [*args, "--target", "linux"])
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert "ttl" in result.stderr


def test_project_configuration_in_the_pull_request_cannot_lift_the_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``.configgen.yaml`` is discovered from the working directory, i.e. it comes with the pull
    request: a hostile one must not turn the bounds off (raising max-values lets a 9-level
    billion laughs expand to 10**9 values; raising max-file-size lets a 100 MB file in)."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".configgen.yaml", "max-values: 1000000000\nmax-file-size: 1073741824\n")
    write(tmp_path / "laughs.yaml", _billion_laughs())
    _sparse(100 * MiB, b"a: b\n")(tmp_path / "big.yaml")
    with audited(), deadline(), measured() as work:
        result = CliRunner().invoke(main, ["lint", "--format", "json", "laughs.yaml", "big.yaml"])
    assert_no_traceback(result)
    assert work.peak < WORK_MEMORY
    assert work.built == 3  # the three values of .configgen.yaml: nothing of laughs.yaml
    findings = json.loads(result.stdout)["findings"]
    assert {(f["path"], f["rule"]) for f in findings} >= {
        ("laughs.yaml", "limit"),
        ("big.yaml", "limit"),
    }


@pytest.mark.parametrize("text", ["a: [", "a: {b: 1", 'a:\n  - "b', "a:\n  b: c\n d"])
def test_syntax_error_at_the_end_of_a_file_without_final_newline_is_inside_it(
    text: str, tmp_path: Path
) -> None:
    """libyaml marks the end of the stream one line past a file that does not end in a line
    break; an annotation there lands on a line that does not exist (GitHub drops it)."""
    run = lint(write(tmp_path / "values.yaml", text))
    lines = text.split("\n")
    [(line, column)] = run.at("syntax")
    assert 1 <= line <= len(lines)
    assert 1 <= column <= len(lines[line - 1]) + 1


# -- find_includes against pyhocon itself ------------------------------------------------------

_PIECES = [
    '"', '"""', "\\", "\n", "\r", "#", "//", "/", " ", "\t", "a", "=", ":", "{", "}", "[", "]",
    ",", "include ", "include", "INCLUDE", '"f.conf"', "url(", "file(", "package(", ")",
    "required(", "${x}", "$", ".", "-", 'x"', "+=", "1", "\u00a0", "\ufeff", "é",
]  # fmt: skip


class _Loaded(Exception):
    pass


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join))
def test_find_includes_sees_every_include_pyhocon_would_load(text: str) -> None:
    """Differential, 300 derandomized examples: whenever pyhocon itself would call a loader
    for ``text``, ``find_includes`` reports an include (the first line of defence is complete)."""
    from pyhocon import config_parser

    loaded: list[Any] = []

    def spy(*args: Any, **_kwargs: Any) -> Any:
        loaded.append(args)
        raise _Loaded

    factory, parser = config_parser.ConfigFactory, config_parser.ConfigParser
    saved = (factory.parse_URL, factory.parse_file, parser.resolve_package_path, config_parser.glob)
    factory.parse_URL = factory.parse_file = parser.resolve_package_path = spy
    config_parser.glob = spy
    try:
        with contextlib.suppress(Exception):
            factory.parse_string(text, resolve=False)
    finally:
        factory.parse_URL, factory.parse_file, parser.resolve_package_path = saved[:3]
        config_parser.glob = saved[3]
    if loaded:
        assert includes.find_includes(text), f"pyhocon loads {loaded} from {text!r}"
