"""Where the server and the token come from: flags, environment, the sts config file.

Hostile or broken config files end in a ``file:line:col: error:`` message that says how to fix
it; no message ever holds a token.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from configgen.cli import Exit
from configgen.server import context, stsconfig
from configgen.server.errors import SetupError
from testing.contract_server import ContractServer
from testing.server_helpers import AUTH_TOKEN, output, run

URL = "https://sts.example.com"
CTX_TOKEN = "svctok-fromthecontext-0123456789"


def write_config(directory: Path, text: str) -> Path:
    path = directory / "stackstate-cli" / "config.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


CONFIG = f"""\
current-context: prod
contexts:
  - name: prod
    context:
      url: {URL}
      service-token: {CTX_TOKEN}
      api-path: /api
  - name: test
    context:
      url: https://test.example.com
      service-token: svctok-test-context-token-000
      skip-ssl: true
"""


def resolve(env: dict[str, str] | None = None, **options: object) -> context.Target:
    return context.resolve(context.Options(**options), env or {})  # type: ignore[arg-type]


def setup_error(env: dict[str, str] | None = None, **options: object) -> SetupError:
    with pytest.raises(SetupError) as caught:
        resolve(env, **options)
    for secret in (AUTH_TOKEN, CTX_TOKEN):
        assert secret not in str(caught.value)
    return caught.value


def test_flags_win_over_environment(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(f"{AUTH_TOKEN}\nsecond line\n")
    env = {"STS_CLI_URL": "https://env.example.com", "STS_CLI_SERVICE_TOKEN": "svctok-env"}
    target = resolve(env, url=URL + "/", token_file=str(token_file))
    assert target.endpoint.url == URL
    assert target.endpoint.address("/server/info") == URL + "/api/server/info"
    assert target.token.reveal() == AUTH_TOKEN
    assert (target.url_source, target.token_source) == ("--url", f"--token-file {token_file}")


def test_environment(clean_environment: Path) -> None:
    write_config(clean_environment, CONFIG)  # not needed, so not read
    target = resolve({"STS_CLI_URL": URL, "STS_CLI_SERVICE_TOKEN": AUTH_TOKEN})
    assert (target.url_source, target.token_source) == ("STS_CLI_URL", "STS_CLI_SERVICE_TOKEN")
    assert target.warnings == ()


def test_token_env(monkeypatch: pytest.MonkeyPatch) -> None:
    target = resolve({"MY_TOKEN": AUTH_TOKEN}, url=URL, token_env="MY_TOKEN")
    assert target.token.reveal() == AUTH_TOKEN
    assert target.token_source == "MY_TOKEN"
    assert "not set or empty" in setup_error({}, url=URL, token_env="MY_TOKEN").message


def test_current_context(clean_environment: Path) -> None:
    write_config(clean_environment, CONFIG)
    target = context.resolve(context.Options(), {"XDG_CONFIG_HOME": str(clean_environment)})
    assert target.endpoint.url == URL
    assert target.token.reveal() == CTX_TOKEN
    assert target.token_source == "context 'prod'"


def test_named_context_and_its_tls_settings(clean_environment: Path) -> None:
    write_config(clean_environment, CONFIG)
    env = {"XDG_CONFIG_HOME": str(clean_environment), "STS_CLI_CONTEXT": "test"}
    target = context.resolve(context.Options(), env)
    assert target.endpoint.skip_ssl
    assert any("certificate checks are off" in w for w in target.warnings)


def test_unknown_context_lists_the_known_ones(clean_environment: Path) -> None:
    path = write_config(clean_environment, CONFIG)
    env = {"XDG_CONFIG_HOME": str(clean_environment)}
    error = setup_error(env, context="staging")
    assert str(error) == (
        f"{path}: error: --context 'staging' is not defined: the file has contexts 'prod', 'test'"
    )


def test_context_asked_for_without_a_config_file() -> None:
    error = setup_error({}, context="prod")
    assert "no sts config file" in error.message


def test_a_context_token_is_not_sent_to_another_server(clean_environment: Path) -> None:
    write_config(clean_environment, CONFIG)
    env = {"XDG_CONFIG_HOME": str(clean_environment)}
    error = setup_error(env, url="https://elsewhere.example.com")
    assert "belongs to its own server" in error.message
    same = resolve(env, url=URL + ":443/")
    assert same.token.reveal() == CTX_TOKEN


def test_context_tls_settings_stay_with_the_context(clean_environment: Path) -> None:
    write_config(clean_environment, CONFIG)
    env = {"XDG_CONFIG_HOME": str(clean_environment), "STS_CLI_SERVICE_TOKEN": AUTH_TOKEN}
    target = resolve(env, url="https://other.example.com", context="test")
    assert not target.endpoint.skip_ssl


def test_context_url_that_is_no_url(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f"url: https://sts:port\nservice-token: {CTX_TOKEN}\n")
    assert "belongs to its own server" in setup_error(sts_config=str(path), url=URL).message


def test_older_config_form(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(f"url: {URL}\nservice-token: {CTX_TOKEN}\napi-path: /sts/api\nskip-ssl:\n")
    target = resolve(sts_config=str(path))
    assert target.endpoint.address("/x") == URL + "/sts/api/x"
    assert target.token_source == "context 'default'"


def test_ca_data_from_the_context(tmp_path: Path, ca_file: Path) -> None:
    encoded = base64.b64encode(ca_file.read_bytes()).decode()
    path = tmp_path / "c.yaml"
    path.write_text(f"url: {URL}\nservice-token: {CTX_TOKEN}\nca-cert-base64-data: {encoded}\n")
    assert resolve(sts_config=str(path)).endpoint.ca_data == ca_file.read_bytes()


def test_token_that_looks_like_a_number_is_read_as_written(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f"url: {URL}\nservice-token: 0123456789012345\n")
    assert resolve(sts_config=str(path)).token.reveal() == "0123456789012345"


def test_context_with_an_api_token_only(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f"url: {URL}\napi-token: abcdefabcdefabcdef\n")
    error = setup_error(sts_config=str(path))
    assert "configgen sends service tokens only" in error.message


def test_no_url_and_no_token() -> None:
    assert "no server URL" in setup_error().message
    assert "no service token" in setup_error(url=URL).message


@pytest.mark.parametrize(
    ("text", "location", "message"),
    [
        ("contexts: [\n", ":1:12", "invalid YAML"),
        ("", "", "the file is empty"),
        ("- a\n", ":1:1", "must be a mapping"),
        ("contexts: {}\n", ":1:11", "contexts must be a list"),
        ("contexts: []\n", ":1:11", "no contexts"),
        ("contexts:\n", ":1:10", "no contexts"),
        ("contexts:\n  - 3\n", ":2:5", "each entry of contexts must be a mapping"),
        ("contexts:\n  - name: 3\n", ":2:11", "each context needs a name"),
        ("contexts:\n  - name: a\n", ":2:5", "needs a 'context' mapping"),
        ("current-context: [a]\ncontexts: []\n", ":1:18", "current-context must be"),
        ("url: [x]\n", ":1:6", "url must be a string"),
        ("url: x\nskip-ssl: maybe\n", ":2:11", "skip-ssl must be true or false"),
        ("url: x\nca-cert-base64-data: '%%%'\n", ":2:22", "not base64"),
        ("url: a\nurl: b\n", ":2:1", "url is given twice"),
        ("a: &a [*a]\n", "", "nesting deeper than 100 levels"),
    ],
)
def test_broken_config_files(tmp_path: Path, text: str, location: str, message: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    error = setup_error(sts_config=str(path))
    assert error.location.startswith(str(path))
    assert error.location == f"{path}{location}" or not location
    assert message in error.message


def test_config_file_limits(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (stsconfig.CONFIG_MAX_BYTES + 1))
    assert "larger than 1 MiB" in setup_error(sts_config=str(big)).message
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"url: x\x00")
    assert str(setup_error(sts_config=str(binary))).startswith(f"{binary}:1:7: error: binary")
    bomb = tmp_path / "bomb.yaml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(10))}]" for i in range(1, 7)]
    bomb.write_text("\n".join(lines) + "\n")
    assert "expands to more than" in setup_error(sts_config=str(bomb)).message
    missing = tmp_path / "missing.yaml"
    assert "file not found" in setup_error(sts_config=str(missing)).message


def test_no_current_context_and_several_contexts(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(CONFIG.replace("current-context: prod\n", ""))
    assert "no current-context is set" in setup_error(sts_config=str(path)).message
    single = tmp_path / "single.yaml"
    single.write_text(
        f"contexts:\n  - name: only\n    context: {{url: {URL}, service-token: x1}}\n"
    )
    assert resolve(sts_config=str(single)).token_source == "context 'only'"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://sts.example.com", "must start with https:// or http://"),
        ("https://", "must start with https:// or http://"),
        ("https://user:pw@sts.example.com", "holds a user name or password"),
        ("https://sts.example.com/?a=b", "must not have a query"),
        ("https://sts.example.com:port", "not a URL"),
        ("https://sts.example.com/a b", "spaces or control characters"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    assert message in setup_error({"STS_CLI_SERVICE_TOKEN": AUTH_TOKEN}, url=url).message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "the token is empty"),
        ("svctok- with-space", "cannot travel in an HTTP header"),
        ("svctok-é", "cannot travel in an HTTP header"),
        ("x" * 4097, "longer than 4096"),
    ],
)
def test_bad_tokens_are_never_echoed(tmp_path: Path, value: str, message: str) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(value + "\n", encoding="utf-8")
    error = setup_error(url=URL, token_file=str(token_file))
    assert message in error.message
    if value:
        assert value not in str(error)


def test_token_file_problems(tmp_path: Path) -> None:
    error = setup_error(url=URL, token_file=str(tmp_path / "nope"))
    assert str(error) == f"{tmp_path / 'nope'}: error: --token-file: file not found: check the path"


def test_plain_http_warns_unless_loopback() -> None:
    env = {"STS_CLI_SERVICE_TOKEN": AUTH_TOKEN}
    assert resolve(env, url="http://sts.example.com").warnings
    assert resolve(env, url="http://127.0.0.1:8080").warnings == ()
    assert resolve(env, url="http://localhost:8080").warnings == ()


def test_ca_cert_file(tmp_path: Path, ca_file: Path) -> None:
    env = {"STS_CLI_SERVICE_TOKEN": AUTH_TOKEN}
    assert resolve(env, url=URL, ca_cert=str(ca_file)).endpoint.ca_data == ca_file.read_bytes()
    assert "--ca-cert: file not found" in setup_error(env, url=URL, ca_cert="nope.pem").message


# The same through the command line: exit 2 and a message, never a traceback.


def test_cli_without_a_url() -> None:
    result = run(None, "check")
    assert result.exit_code == Exit.USAGE
    assert "configgen: no server URL" in result.stderr


def test_cli_token_from_stdin(api: ContractServer) -> None:
    result = run(api, "check", "--token-file", "-", token=None, stdin=AUTH_TOKEN + "\n")
    assert result.exit_code == Exit.OK, output(result)
    assert "token: accepted (from --token-file <stdin>)" in result.stdout


def test_cli_context_from_the_sts_config(api: ContractServer, clean_environment: Path) -> None:
    write_config(
        clean_environment,
        f"current-context: lab\ncontexts:\n  - name: lab\n    context:\n"
        f"      url: {api.url}\n      service-token: {AUTH_TOKEN}\n",
    )
    result = run(None, "check", token=None)
    assert result.exit_code == Exit.OK, output(result)
    assert "token: accepted (from context 'lab')" in result.stdout
    assert AUTH_TOKEN not in output(result)


def test_cli_broken_sts_config(clean_environment: Path) -> None:
    path = write_config(clean_environment, "contexts: [\n")
    result = run(None, "list", token=None)
    assert result.exit_code == Exit.USAGE
    assert result.stderr.startswith(f"configgen: {path}:1:12: error: invalid YAML")
