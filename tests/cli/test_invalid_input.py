"""Bad input, each tested end to end through the CLI (the issue's acceptance list).

Spec files under data/specs/invalid/ carry their expectation on the first line::

    # expect: exit=1 line=3 col=6 message="units are lower case" secret=TOKEN

``line`` is omitted where the problem has no position (``col`` where the exact column does
not matter); ``secret`` is text (a token)
that must never be printed.  Every case must: exit with the documented code, print a
``file:line:col: error:`` line holding the message, print no traceback, write nothing.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from configgen.cli import Exit
from testing import paths
from testing.cli import (
    HELM_FILE,
    HOCON_FILE,
    OTHER_TOKEN,
    ROLE,
    TOKEN,
    dir_is_empty,
    error_lines,
    invoke,
    spec_text,
    write_spec,
)

CORPUS = paths.DATA / "specs" / "invalid"
CASES = sorted(CORPUS.glob("*.yaml"))

# The acceptance list: these cases must stay in the corpus.
REQUIRED_CASES = {
    "missing-roles",
    "empty-roles-list",
    "scalar-roles",
    "ttl-uppercase-unit",
    "ttl-iso8601",
    "ttl-combined-units",
    "ttl-weeks",
    "ttl-bare-number",
    "role-control-character",
    "misspelled-roles-key",
    "malformed-yaml-unclosed-list",
    "token-too-short",
    "token-bad-characters",
    "token-all-digits",
}


@dataclass(frozen=True)
class Expect:
    exit: int
    message: str
    line: int = 0
    col: int = 0
    secret: str = ""


def read_expectation(path: Path) -> Expect:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# expect:"
    assert first.startswith(prefix), f"{path.name}: first line must be '{prefix} ...'"
    fields = dict(part.split("=", 1) for part in shlex.split(first[len(prefix) :]))
    unknown = set(fields) - {"exit", "line", "col", "message", "secret"}
    assert not unknown, f"{path.name}: unknown expectation fields {unknown}"
    return Expect(
        exit=int(fields["exit"]),
        message=fields["message"],
        line=int(fields.get("line", 0)),
        col=int(fields.get("col", 0)),
        secret=fields.get("secret", ""),
    )


def assert_reported(stderr: str, where: str, expect: Expect) -> None:
    if not expect.line:
        location = f"{where}: error: "
    elif not expect.col:
        location = f"{where}:{expect.line}:"
    else:
        location = f"{where}:{expect.line}:{expect.col}: error: "
    errors = error_lines(stderr)
    assert any(line.startswith(location) and expect.message in line for line in errors), (
        f"expected an error at {location!r} containing {expect.message!r}; stderr:\n{stderr}"
    )


def test_corpus_covers_the_acceptance_list() -> None:
    names = {path.stem for path in CASES}
    assert names >= REQUIRED_CASES, REQUIRED_CASES - names


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_invalid_spec_with_out_dir(path: Path, tmp_path: Path) -> None:
    expect = read_expectation(path)
    out = tmp_path / "out"
    result = invoke(["render", path, "--out-dir", out])
    assert result.exit_code == expect.exit, result.stderr
    assert result.stdout == ""
    assert_reported(result.stderr, str(path), expect)
    assert result.stderr.rstrip().endswith("configgen: nothing was written")
    assert "wrote " not in result.stderr
    assert dir_is_empty(out)
    if expect.secret:
        assert expect.secret not in result.stderr


STDIN_CASES = [p for p in CASES if p.stem != "alias-bomb"]  # slow (~1 s): once is enough


@pytest.mark.parametrize("path", STDIN_CASES, ids=[p.stem for p in STDIN_CASES])
def test_invalid_spec_from_stdin_to_stdout(path: Path) -> None:
    """Same file through ``-``: reported as <stdin>, nothing on stdout."""
    expect = read_expectation(path)
    result = invoke(["render", "-", "--target", "linux"], stdin=path.read_bytes())
    assert result.exit_code == expect.exit, result.stderr
    assert result.stdout == ""
    assert_reported(result.stderr, "<stdin>", expect)
    if expect.secret:
        assert expect.secret not in result.stderr


def test_empty_file(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, "")
    out = tmp_path / "out"
    result = invoke(["render", spec, "--out-dir", out])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    assert error_lines(result.stderr) == [
        f"{spec}: error: the spec is empty: write at least token and roles "
        "(see examples/token-spec.yaml) [spec]"
    ]
    assert dir_is_empty(out)


def test_binary_file(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(b"roles: [a]\ntoken: " + TOKEN.encode() + b"\x00\x01\x02\n")
    out = tmp_path / "out"
    result = invoke(["render", spec, "--out-dir", out])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    (line,) = error_lines(result.stderr)
    assert line.startswith(f"{spec}:2:{len('token: ' + TOKEN) + 1}: error: binary file (NUL byte)")
    assert TOKEN not in result.stderr
    assert dir_is_empty(out)


def test_not_utf8(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(b"token: " + TOKEN.encode() + b"\nroles: [caf\xe9]\n")
    result = invoke(["render", spec, "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    assert error_lines(result.stderr)[0].startswith(f"{spec}:2:12: error: not UTF-8 text")


def test_missing_spec_file(tmp_path: Path) -> None:
    spec = tmp_path / "no-such-spec.yaml"
    out = tmp_path / "out"
    result = invoke(["render", spec, "--out-dir", out])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    assert error_lines(result.stderr) == [f"{spec}: error: file not found: check the path [spec]"]
    assert dir_is_empty(out)


def test_spec_is_a_directory(tmp_path: Path) -> None:
    result = invoke(["render", tmp_path, "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert error_lines(result.stderr) == [f"{tmp_path}: error: is a directory, not a file [spec]"]


def test_no_token_anywhere(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text(token=None))
    result = invoke(["render", spec, "--target", "kubernetes"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    (line,) = error_lines(result.stderr)
    assert line.startswith(
        f"{spec}:1:1: error: no token: add token to the spec, or use --generate-token"
    )


@pytest.mark.parametrize("existing", [HELM_FILE, HOCON_FILE])
def test_existing_output_without_force(tmp_path: Path, existing: str) -> None:
    spec = write_spec(tmp_path, spec_text())
    out = tmp_path / "out"
    out.mkdir()
    (out / existing).write_text("keep me\n")
    result = invoke(["render", spec, "--out-dir", out])
    assert result.exit_code == Exit.NOT_WRITTEN
    assert result.stdout == ""
    assert result.stderr == (
        f"configgen: {out / existing}: already exists; nothing was written "
        "(use --force to replace it)\n"
    )
    # Neither the existing file nor its sibling was touched.
    assert sorted(p.name for p in out.iterdir()) == [existing]
    assert (out / existing).read_text() == "keep me\n"


def test_existing_output_is_a_dangling_symlink(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text())
    out = tmp_path / "out"
    out.mkdir()
    (out / HELM_FILE).symlink_to(tmp_path / "elsewhere")
    result = invoke(["render", spec, "--out-dir", out])
    assert result.exit_code == Exit.NOT_WRITTEN
    assert not (tmp_path / "elsewhere").exists()
    assert sorted(p.name for p in out.iterdir()) == [HELM_FILE]


def test_out_dir_cannot_be_created(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text())
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = invoke(["render", spec, "--out-dir", blocker / "sub"])
    assert result.exit_code == Exit.NOT_WRITTEN
    assert result.stdout == ""
    assert result.stderr.startswith(f"configgen: cannot write {blocker / 'sub'}: ")
    assert TOKEN not in result.stderr


def test_out_dir_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text())
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = invoke(["render", spec, "--out-dir", blocker])
    assert result.exit_code == Exit.USAGE
    assert "is a file" in result.stderr
    assert blocker.read_text() == ""


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--no-such-option"], "No such option"),
        (["--target", "windows"], "'windows' is not one of 'kubernetes', 'linux', 'all'"),
        (["--hocon-form", "medium"], "'medium' is not one of 'full', 'short'"),
        (["--show-token"], "--show-token goes with --generate-token"),
        (["--target", "all"], "--target all writes two files: give --out-dir DIR"),
        ([], "--target all writes two files: give --out-dir DIR"),
        (["extra-argument"], "Got unexpected extra argument"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], fragment: str) -> None:
    spec = write_spec(tmp_path, spec_text())
    result = invoke(["render", spec, *args])
    assert result.exit_code == Exit.USAGE
    assert result.stdout == ""
    assert fragment in result.stderr
    assert result.stderr.startswith("Usage: configgen render [OPTIONS] [SPEC]")
    assert TOKEN not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]


@pytest.mark.parametrize(
    "sources",
    [
        ["--token", OTHER_TOKEN, "--token-env", "STS_TOKEN"],
        ["--token", OTHER_TOKEN, "--generate-token"],
        ["--token-file", "token.txt", "--token-env", "STS_TOKEN"],
        ["--token-file", "token.txt", "--generate-token"],
        ["--token-env", "STS_TOKEN", "--generate-token"],
        ["--token", OTHER_TOKEN, "--token-file", "token.txt", "--token-env", "STS_TOKEN"],
    ],
)
def test_token_sources_are_mutually_exclusive(tmp_path: Path, sources: list[str]) -> None:
    spec = write_spec(tmp_path, spec_text())
    out = tmp_path / "out"
    result = invoke(["render", spec, *sources, "--out-dir", out], env={"STS_TOKEN": OTHER_TOKEN})
    assert result.exit_code == Exit.USAGE
    assert result.stdout == ""
    assert (
        "Error: use only one of --token, --token-file, --token-env, --generate-token"
        in result.stderr
    )
    assert OTHER_TOKEN not in result.stderr
    assert dir_is_empty(out)


@pytest.mark.parametrize(
    "sources",
    [
        ["--token", ""],
        ["--token-env", ""],
        ["--token-file", ""],
    ],
    ids=["token", "token-env", "token-file"],
)
def test_empty_token_source_is_not_ignored(tmp_path: Path, sources: list[str]) -> None:
    """``--token "$UNSET_VARIABLE"`` must not silently fall back to the spec's token.

    configgen bug: cli.render tests the token options for truthiness, so an empty value counts
    as "not given" and the spec's token is rendered with exit 0.
    """
    spec = write_spec(tmp_path, spec_text())
    result = invoke(["render", spec, *sources, "--target", "linux"])
    assert result.exit_code in (Exit.INVALID_INPUT, Exit.USAGE), result.stdout
    assert result.stdout == ""


def test_empty_token_with_another_source_is_a_usage_error(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text())
    result = invoke(
        ["render", spec, "--token", "", "--generate-token", "--target", "linux"],
    )
    assert result.exit_code == Exit.USAGE
    assert result.stdout == ""


def test_kubernetes_refusal_has_no_partial_output(tmp_path: Path) -> None:
    """A role the Helm chart cannot carry stops both files, not just the kubernetes one."""
    spec = write_spec(tmp_path, spec_text(roles=["cn=admins,ou=x"]))
    out = tmp_path / "out"
    result = invoke(["render", spec, "--out-dir", out])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    assert "roles[0]: the Helm chart writes roles into HOCON without quotes" in result.stderr
    assert result.stderr.rstrip().endswith("configgen: nothing was written")
    assert dir_is_empty(out)


def test_errors_from_flags_name_the_flag(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text())
    result = invoke(
        ["render", spec, "--ttl", "24H", "--roles", "", "--target", "linux"],
    )
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    errors = error_lines(result.stderr)
    assert (
        '--ttl: error: ttl: "24H" is not a duration the server accepts: units are lower case: '
        "write 24h [spec]" in errors
    )
    assert (
        "--roles: error: roles: give at least one role, e.g. [stackstate-power-user] [spec]"
        in errors
    )


def test_ttl_flag_without_unit(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text())
    result = invoke(["render", spec, "--ttl", "86400", "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert error_lines(result.stderr) == [
        '--ttl: error: ttl: "86400" has no unit, which the server reads as milliseconds: '
        "write 86400ms if you mean that, or add a unit, e.g. 86400s or 24h [spec]"
    ]


def test_unknown_login_provider_flag(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text())
    result = invoke(["render", spec, "--login-provider", "ldapauthserver", "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    (line,) = error_lines(result.stderr)
    assert line.startswith(
        '--login-provider: error: loginProviders[0]: "ldapauthserver" is not one'
    )
    assert "(did you mean 'ldapAuthServer'?)" in line


def test_missing_token_env_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONFIGGEN_TEST_UNSET", raising=False)
    spec = write_spec(tmp_path, spec_text(token=None))
    result = invoke(["render", spec, "--token-env", "CONFIGGEN_TEST_UNSET", "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    assert error_lines(result.stderr) == [
        "--token-env CONFIGGEN_TEST_UNSET: error: environment variable CONFIGGEN_TEST_UNSET is "
        "not set: export it, or use another token source [spec]"
    ]


def test_missing_token_file(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text(token=None))
    missing = tmp_path / "token.txt"
    result = invoke(["render", spec, "--token-file", missing, "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert error_lines(result.stderr) == [
        f"--token-file {missing}: error: file not found: check the path [spec]"
    ]


def test_role_warning_does_not_fail(tmp_path: Path) -> None:
    """Unknown roles are custom subjects: a warning with a position, exit 0."""
    spec = write_spec(tmp_path, f"token: {TOKEN}\nroles:\n  - {ROLE}\n  - my-team\n")
    result = invoke(["render", spec, "--target", "linux"])
    assert result.exit_code == Exit.OK
    assert (
        f'{spec}:4:5: warning: roles[1]: "my-team" is not a predefined role; fine for a custom '
        "subject, otherwise check the spelling [spec]"
    ) in result.stderr.splitlines()
    assert error_lines(result.stderr) == []


def test_huge_spec_file_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(b"# " + b"x" * (10 * 1024 * 1024) + b"\n")
    result = invoke(["render", spec, "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert error_lines(result.stderr) == [
        f"{spec}: error: larger than 10 MiB: not a config file? [spec]"
    ]


def test_huge_token_file_is_refused_with_the_right_limit(tmp_path: Path) -> None:
    """configgen bug: the 64 KiB limit is shown as "larger than 0 MiB" (integer division)."""
    spec = write_spec(tmp_path, spec_text(token=None))
    token_file = tmp_path / "token.txt"
    token_file.write_text("A" * 70_000)
    result = invoke(["render", spec, "--token-file", token_file, "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    (line,) = error_lines(result.stderr)
    assert line.startswith(f"--token-file {token_file}: error: larger than ")
    assert "A" * 16 not in result.stderr
    assert "larger than 0 MiB" not in line


@pytest.mark.parametrize(
    ("command", "source"),
    [
        ("render", 'token: ""\n'),
        ("render", "--token"),
        ("render", "--token-file"),
        ("apply", 'token: ""\n'),
    ],
)
def test_row_15_an_empty_token_is_reported_once(tmp_path: Path, command: str, source: str) -> None:
    """The schema's minLength and pattern both failed and each gave the same line: one
    problem, one line -- which says the token is empty, not that it is a placeholder."""
    if source.startswith("token"):
        spec = write_spec(tmp_path, source + "roles: [stackstate-power-user]\n")
        args = [str(spec)]
    else:
        empty = tmp_path / "empty.txt"
        empty.write_text("")
        args = ["--roles", "stackstate-power-user", source, "" if source == "--token" else empty]
    target = ["--target", "linux"] if command == "render" else ["--to", tmp_path / "v.yaml"]
    result = invoke([command, *args, *target])
    assert result.exit_code == Exit.INVALID_INPUT
    lines = error_lines(result.stderr)
    assert len(lines) == 1, lines
    assert "token: is empty" in lines[0]
