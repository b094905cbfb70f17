"""Files linted together: values that name an external Secret, and the manifests of that Secret.

Corpus cases are directories under tests/data/lint/together/; their files are linted in one run,
in name order, and each states the findings it must produce (``# expect: L:C rule``, as in
test_corpus.py; ``# product:`` in any of them selects the product).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from configgen.findings import Severity
from configgen.lint import run as lint
from configgen.lint import together
from configgen.product import profiles
from testing import paths

CASES = sorted(p for p in (paths.DATA / "lint" / "together").iterdir() if p.is_dir())
_EXPECT = re.compile(r"#\s*expect:\s*(\d+):(\d+)\s+([\w-]+)")
_PRODUCT = re.compile(r"#\s*product:\s*(\S+)")
LATEST = lint.LintOptions()

AUTH = """\
stackstate:
  authentication:
    fromExternalSecret: ext
    serviceToken: {bootstrap: {token: "<from the external Secret>", roles: [stackstate-admin]}}
"""
SECRET = """\
apiVersion: v1
kind: Secret
metadata: {name: ext}
stringData:
  bootstrap_token: kQ3vX9pL2mN8rT5wZ7yBc4HdqW
"""
OIDC = "stackstate:\n  authentication:\n    oidc: {discoveryUri: https://idp}\n"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_produces_exactly_its_expected_findings(case: Path) -> None:
    files = sorted(p for p in case.iterdir() if p.is_file())
    expected = set()
    profile = profiles.DEFAULT_PROFILE
    for file in files:
        text = file.read_text("utf-8")
        expected |= {(str(file), int(m[1]), int(m[2]), m[3]) for m in _EXPECT.finditer(text)}
        if product := _PRODUCT.search(text):
            profile = profiles.parse(product[1])
    result = lint.lint_paths([str(f) for f in files], lint.LintOptions(profile=profile))
    got = {(f.path, f.line, f.column, f.rule) for f in result.findings}
    detail = "\n".join(
        f"{Path(f.path).name}:{f.line}:{f.column} {f.rule} {f.severity}: {f.message}"
        for f in result.findings
    )
    assert got == expected, f"findings differ:\n{detail}"


def write(directory: Path, name: str, text: str) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return str(directory / name)


def findings(paths_: list[str], options: lint.LintOptions = LATEST) -> list[tuple[str, str]]:
    return [
        (Path(f.path).name, f"{f.rule} {f.severity}")
        for f in lint.lint_paths(paths_, options).findings
    ]


def test_values_of_one_directory_are_read_together(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.yaml", SECRET)
    auth = write(tmp_path, "authentication.yaml", AUTH)
    alone = findings([auth, secret])
    assert alone == [("secret.yaml", "external-secret-key-missing warning")]  # default_password
    values = write(tmp_path, "values.yaml", OIDC)
    assert findings([values, auth, secret]) == [
        ("secret.yaml", "external-secret-key-missing error"),  # oidc_client_id
        ("secret.yaml", "external-secret-key-missing error"),  # oidc_secret
    ]


def test_values_in_another_directory_are_another_release(tmp_path: Path) -> None:
    secret = write(tmp_path / "secrets", "secret.yaml", SECRET)
    auth = write(tmp_path / "prod", "authentication.yaml", AUTH)
    other = write(tmp_path / "staging", "values.yaml", OIDC)
    assert findings([other, auth, secret]) == [
        ("secret.yaml", "external-secret-key-missing warning"),
        # staging has no fromExternalSecret: its oidc block lacks the client id and secret
        ("values.yaml", "auth-key-missing error"),
        ("values.yaml", "auth-key-missing error"),
    ]


def test_the_later_values_file_wins(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.yaml", SECRET)
    auth = write(tmp_path, "authentication.yaml", AUTH)
    renamed = write(
        tmp_path,
        "rename.yaml",
        AUTH.replace("fromExternalSecret: ext", "fromExternalSecret: other"),
    )
    assert findings([auth, renamed, secret]) == []  # the values name Secret "other": not this one
    assert findings([renamed, auth, secret]) == [
        ("secret.yaml", "external-secret-key-missing warning")]  # fmt: skip


def test_directives_and_options_apply_to_findings_across_files(tmp_path: Path) -> None:
    auth = write(tmp_path, "authentication.yaml", AUTH)
    silenced = write(
        tmp_path, "secret.yaml", "# configgen: disable-file=external-secret-key-missing\n" + SECRET
    )
    assert findings([auth, silenced]) == []
    secret = write(tmp_path, "secret.yaml", SECRET)
    options = lint.LintOptions(disable=frozenset({"external-secret-key-missing"}))
    assert findings([auth, secret], options) == []
    raised = lint.LintOptions(severity={"external-secret-key-missing": Severity.ERROR})
    assert findings([auth, secret], raised) == [
        ("secret.yaml", "external-secret-key-missing error")
    ]


def test_nothing_across_files_where_the_product_has_no_external_secret(tmp_path: Path) -> None:
    auth = write(tmp_path, "authentication.yaml", AUTH)
    secret = write(tmp_path, "secret.yaml", SECRET)
    options = lint.LintOptions(profile=profiles.parse("stackstate-k8s-1"))
    assert findings([auth, secret], options) == [
        ("authentication.yaml", "external-secret-unsupported error"),
        ("authentication.yaml", "token-placeholder error"),
    ]


def test_a_manifest_file_is_no_values_file(tmp_path: Path) -> None:
    """No values rule runs on manifests, and their documents are not 'multi-document'."""
    text = SECRET + "---\n" + SECRET.replace("name: ext", "name: other")
    assert findings([write(tmp_path, "values.yaml", text)]) == []
    with_empty_first = "---\n---\n" + SECRET
    assert findings([write(tmp_path, "values.yaml", with_empty_first)]) == []


def test_a_values_file_after_an_empty_document_is_still_a_values_file(tmp_path: Path) -> None:
    path = write(tmp_path, "values.yaml", "---\n---\nstackstate: {authentication: {x: 1}}\n")
    assert findings([path]) == [("values.yaml", "multi-document error")]


def test_a_failure_across_files_is_an_internal_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(together, "check", broken)
    auth = write(tmp_path, "authentication.yaml", AUTH)
    secret = write(tmp_path, "secret.yaml", SECRET)
    assert findings([auth, secret]) == [("authentication.yaml", "internal-error error")]


def test_manifests_too_large_for_the_limits(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.yaml", SECRET + "---\n" + SECRET)
    options = lint.LintOptions(limits=lint.LintOptions().limits.tightened(max_values=8))
    assert findings([path], options) == [("secret.yaml", "limit error")]


def test_merge_follows_helm() -> None:
    assert together.merged([{"a": {"b": 1, "c": 2}}, {"a": {"c": 3}, "d": None}]) == {
        "a": {"b": 1, "c": 3},
        "d": None,
    }
    assert together.merged([{"a": {"b": 1}}, {"a": [1]}]) == {"a": [1]}


# -- lint never fails on what it is given ----------------------------------------------------

_PIECES = st.sampled_from(
    ["\n", " ", "  ", "-", ":", "---\n", "{", "}", "[", "]", '"', "'", "#", "&a ", "*a", "~",
     "yes", "0x1", "data:", "stringData:", "kind: Secret\n", "apiVersion: v1\n", "metadata:",
     "name: ext", "fromExternalSecret: ext", "bootstrap_token: ", "secretKey: ", "ENC[a,data:,",
     "sops: {}", "\t", "é", "=="]
)  # fmt: skip


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    case=st.sampled_from(CASES),
    which=st.integers(0, 3),
    at=st.integers(0, 10_000),
    cut=st.integers(0, 40),
    piece=_PIECES,
)
def test_mutated_cases_never_break_lint(
    tmp_path_factory: pytest.TempPathFactory, case: Path, which: int, at: int, cut: int,
    piece: str,
) -> None:  # fmt: skip
    directory = tmp_path_factory.mktemp("case")
    files = sorted(p for p in case.iterdir() if p.is_file())
    texts = {p.name: p.read_text("utf-8") for p in files}
    name = files[which % len(files)].name
    text = texts[name]
    where = at % (len(text) + 1)
    texts[name] = text[:where] + piece + text[where + cut :]
    written = [write(directory, n, t) for n, t in texts.items()]
    result = lint.lint_paths(written, LATEST)
    lines = {str(directory / n): t.count("\n") + 1 for n, t in texts.items()}
    for finding in result.findings:
        assert finding.rule != "internal-error", finding
        assert 0 <= finding.line <= lines[finding.path], finding
        assert "kQ3vX9pL2mN8rT5wZ7yBc4HdqW" not in finding.message


def test_the_readme_external_secret_example_fits_rendered_values(tmp_path: Path) -> None:
    readme = (paths.ROOT / "README.md").read_text("utf-8")
    block = next(b for b in readme.split("```yaml\n")[1:] if "kind: ExternalSecret" in b)
    example = "\n".join(line.removeprefix("  ") for line in block.split("```")[0].splitlines())
    auth = write(
        tmp_path,
        "authentication.yaml",
        AUTH.replace("fromExternalSecret: ext", "fromExternalSecret: stackstate-auth"),
    )
    external = write(tmp_path, "external-secret.yaml", example + "\n")
    assert findings([auth, external]) == []
    without = example.replace("default_password", "other_key")
    assert findings([auth, write(tmp_path, "external-secret.yaml", without + "\n")]) == [
        ("external-secret.yaml", "external-secret-key-missing warning")]  # fmt: skip


def test_names_from_the_files_are_shown_escaped_on_one_line(tmp_path: Path) -> None:
    odd = '"a\\nb\\u001b[31m"'
    auth = write(
        tmp_path,
        "authentication.yaml",
        AUTH.replace("fromExternalSecret: ext", f"fromExternalSecret: {odd}"),
    )
    secret = write(
        tmp_path,
        "secret.yaml",
        "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\n"
        f"metadata: {{name: {odd}}}\nspec:\n  data:\n    - secretKey: {odd}\n",
    )
    found = lint.lint_paths([auth, secret], LATEST).findings
    assert {f.rule for f in found} == {"external-secret-key-missing", "secret-manifest-invalid"}
    for finding in found:
        assert "\n" not in finding.message
        assert "\x1b" not in finding.message
