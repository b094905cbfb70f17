"""Fuzzing ``configgen lint``: the input strategies and the properties every finding must hold.

Used by ``tests/lint/test_fuzz.py`` (a fixed, derandomized run) and ``scripts/fuzz_lint.py`` (a
long run with a large budget), so the two never drift apart.

Two sources of input, for ``helm`` and ``hocon`` alike (and, for ``helm`` in the long run,
documents of anchors, aliases and merge keys: ``alias_documents``):

* random text over an alphabet biased towards each format's structure (brackets, quotes,
  indentation, anchors and tags, ``${...}``, ``include``, the keys of the token's path);
* realistic files -- every ``tests/data/lint/**/*.yaml|conf`` -- with a unique token planted in
  place of each ``token`` value, then 1 to 4 random edits (insert, delete or replace a snippet,
  insert a run of up to 5,000 copies of one -- digits, brackets, indentation --, duplicate, swap
  or re-indent lines).

Properties (``problems`` below), for every input:

1. ``lint_text`` returns (never raises) and no finding is ``internal-error``;
2. every finding is on a line and column that exist in the text, counted the way the format's
   parser counts lines (YAML: CR LF, CR, LF -- and NEL, LS, PS under ``%YAML 1.1``; HOCON: LF),
   or on 0:0 (the whole file);
3. every message is one line (a line break could forge a finding line in a text report) and
   names a known rule;
4. no message, and no JSON path as the json report shows it, holds the planted token -- unless
   the edits moved it where the file itself no longer keeps it as a secret (a key, or the value
   of a key that is not secret), which is checked by parsing the edited text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from hypothesis import strategies as st

from configgen.findings import Finding
from configgen.lint import run as lint
from configgen.messages import SECRET_KEYS, shown_path
from configgen.product import profiles
from testing import paths

EXAMPLES = 300
KINDS = ("helm", "hocon")
DATA = paths.DATA / "lint"
SUFFIXES = {"helm": (".yaml", ".yml"), "hocon": (".conf", ".hocon")}

# Tokens planted in the seeds: unique, and shaped to reach different rules once the quotes are
# edited away (plain text, YAML 1.1 octal/number, YAML 1.1 boolean-ish, HOCON number).
PLANTED = (
    "Zq7PLANTEDtoken4Xw9kR2mN8vT5b",
    "0777000111222333444555",
    "yes-PLANTED-on-9f3c1a",
    "1.5e3000PLANTED77",
)
PRODUCTS = ("suse-observability", "suse-observability-2.3.6", "stackstate-k8s-1", "stackstate-5.1")

# -- input strategies --------------------------------------------------------------------------

_COMMON = [
    "\n", "\n", "\n", " ", " ", "  ", "    ", "\t", "\r\n", "\r", ",", ":", "=", "[", "]",
    "{", "}", '"', "'", "#", "//", "\\", "-", ".", "0", "1", "24h", "x", "\ufeff", "\x00",
    "\u2028", "\x85", "é", "🙂", "token", "roles", "ttl", "bootstrap", "serviceToken",
    "stackstate", "authentication", "authServer", "authServerType", "serviceTokenAuthServer",
    "stackstate-power-user", "# configgen: disable-line=", "# configgen: disable-file",
]  # fmt: skip
_HELM = [
    ": ", "- ", "---\n", "...\n", "&a ", "*a", "<<: ", "!!str ", "!!python/object:os.system ",
    "!foo ", "|\n", ">-\n", "? ", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "yes", "no", "on",
    "~", "null", "0777", "0x1F", "1e3", ".inf", "1_000", "0b101",
    "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap:\n        ",
    "\n        token: ", "\n        roles: [", "\n        ttl: ",
]  # fmt: skip
_HOCON = [
    " = ", " : ", "+=", "${", "${?", "}", '"""', "include ", 'include "x"', 'url("http://x")',
    "required(", "file(", "true", "false", "null", "TRUE", "\\u00", "\\n", "a.b", "1.5",
    "-0", "9223372036854775808",
    "stackstate.api.authentication.authServer.serviceTokenAuthServer.bootstrap {\n  ",
    "\n  token = ", "\n  roles = [", "\n  ttl = ", "\nauthServerType = [",
]  # fmt: skip


def random_texts(kind: str, max_pieces: int = 80) -> st.SearchStrategy[str]:
    """Text from format snippets, structural characters and any other characters."""
    pieces = st.one_of(
        st.sampled_from(_COMMON + (_HELM if kind == "helm" else _HOCON)),
        st.characters(exclude_categories=("Cs",)),
    )
    return st.lists(pieces, max_size=max_pieces).map("".join)


ALIASES = "<aliases>"  # Sample.seed of a generated alias/merge-key document


@dataclass(frozen=True)
class Sample:
    """One input: the text, which seed it came from (if any) and the token planted in it."""

    kind: str
    text: str
    seed: str = ""
    planted: str = ""


_TOKEN_VALUE = re.compile(r'(?m)^([ \t]*"?token"?[ \t]*[:=][ \t]*)("[^"\n]*"|[^\s#,}\]]+)')


@cache
def seeds(kind: str) -> tuple[tuple[str, str], ...]:
    """``(relative name, text)`` of every lint corpus file of ``kind`` that holds a token."""
    found = []
    for path in sorted(DATA.rglob("*")):
        if path.suffix in SUFFIXES[kind] and path.is_file():
            text = path.read_text("utf-8")
            if _TOKEN_VALUE.search(text):
                found.append((str(path.relative_to(DATA)), text))
    return tuple(found)


def plant(text: str, token: str) -> str:
    """``text`` with every ``token`` value replaced by ``"<token>"``."""
    return _TOKEN_VALUE.sub(lambda m: f'{m.group(1)}"{token}"', text)


_SNIPPETS = st.one_of(
    st.sampled_from(_COMMON + _HELM + _HOCON),
    st.text(max_size=8),
)
_EDITS = ("insert", "delete", "replace", "duplicate-line", "swap-lines", "indent", "repeat")
_REPEATED = ("9", "0", "[", "{", "- ", "a.", " ", "\\", '"', "#")  # runs: numbers, nesting, ...


@st.composite
def mutated_seeds(draw: st.DrawFn, kind: str) -> Sample:
    """A corpus file with a planted token and 1 to 4 random edits."""
    name, text = draw(st.sampled_from(seeds(kind)))
    planted = draw(st.sampled_from(PLANTED))
    text = plant(text, planted)
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(_EDITS))
        at = draw(st.integers(0, len(text)))
        if edit == "repeat":  # a long run of one snippet: huge numbers, deep nesting, ...
            run = draw(st.sampled_from(_REPEATED)) * draw(st.integers(1, 5000))
            text = text[:at] + run + text[at:]
            continue
        if edit in ("insert", "replace", "delete"):
            end = at if edit == "insert" else min(len(text), at + draw(st.integers(0, 40)))
            snippet = "" if edit == "delete" else draw(_SNIPPETS)
            text = text[:at] + snippet + text[end:]
            continue
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        if edit == "duplicate-line":
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
        elif edit == "swap-lines":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            width = draw(st.integers(-4, 4))
            lines[i] = " " * width + lines[i] if width >= 0 else lines[i][-width:]
        text = "\n".join(lines)
    return Sample(kind, text, name, planted)


def options_strategy() -> st.SearchStrategy[lint.LintOptions]:
    return st.builds(
        lint.LintOptions,
        profile=st.sampled_from(PRODUCTS).map(profiles.parse),
        require_token=st.booleans(),
    )


# -- aliases and merge keys ------------------------------------------------------------------


def alias_document(rng: random.Random, max_anchors: int = 6) -> str:
    """A small YAML document full of anchors, aliases and merge keys (``<<``, single and
    lists, overriding and overridden keys, merges of merges), expanding to at most a few
    thousand values: the shapes of alias and merge-key bombs, without the size."""
    lines: list[str] = []
    mappings: list[int] = []  # anchors that are mappings (merge sources)
    for index in range(rng.randint(1, max_anchors)):
        choices = [*(f"*a{i}" for i in range(index)), "1", "x", "true", "[]", "{}"]
        if rng.random() < 0.4:
            items = [rng.choice(choices) for _ in range(rng.randint(0, 4))]
            lines.append(f"a{index}: &a{index} [{', '.join(items)}]")
            continue
        entries = []
        for _ in range(rng.randint(0, 4)):
            if mappings and rng.random() < 0.35:
                names = [f"*a{rng.choice(mappings)}" for _ in range(rng.randint(1, 3))]
                merged = (
                    names[0] if len(names) == 1 and rng.random() < 0.5 else f"[{', '.join(names)}]"
                )
                entries.append(f"<<: {merged}")
            else:
                entries.append(f"{rng.choice('kxyz')}: {rng.choice(choices)}")
        lines.append(f"a{index}: &a{index} {{{', '.join(entries)}}}")
        mappings.append(index)
    uses = [f"*a{rng.randrange(len(lines))}" for _ in range(rng.randint(1, 4))]
    lines.append(f"root: [{', '.join(uses)}]")
    return "\n".join(lines) + "\n"


def alias_documents() -> st.SearchStrategy[str]:
    """``alias_document`` as a Hypothesis strategy."""
    return st.randoms(use_true_random=False).map(alias_document)


# -- secrets in files apply edits --------------------------------------------------------------

_SECRET_KEYS_YAML = ["token", "password", "secret", "bindPassword", "clientSecret", "Token",
                     '"token"', "'password'", "? token"]  # fmt: skip
_SECRET_KEYS_HOCON = ["token", "password", "secret", "bindPassword", "clientSecret", '"token"']


def _yaml_value(rng: random.Random, secret: str, indent: int) -> str:
    """``secret`` in one of YAML's styles, as it follows ``key:`` (first line included)."""
    more = " " * (indent + 2)
    head, tail = secret[:10], secret[10:]
    return rng.choice([
        f" {secret}", f" '{secret}'", f' "{secret}"', f" {head}\n{more}{tail}",
        f' "{head}\\\n{more}{tail}"', f" |\n{more}{head}\n{more}{tail}",
        f" >-\n{more}{head}\n{more}{tail}", f"\n{more}{secret}", f" [{secret}]",
        f" {{x: {secret}}}", f" '{head}\n{more}{tail}'",
    ])  # fmt: skip


def secret_file(rng: random.Random) -> tuple[str, str, str]:
    """``(kind, text, secret)``: a values or HOCON file with a secret planted under a token,
    password or secret key -- in any style, over one or several lines, in the bootstrap block,
    a misspelled block, an LDAP or OIDC section, at the top, or behind an anchor."""
    secret = "Pl4nted" + "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(20))
    if rng.random() < 0.3:
        key = rng.choice(_SECRET_KEYS_HOCON)
        value = rng.choice([f'"{secret}"', secret, f'"""{secret[:10]}\n{secret[10:]}"""',
                            f'"{secret[:10]}" "{secret[10:]}"', f'{{ v = "{secret}" }}',
                            f'["{secret}"]'])  # fmt: skip
        section = "stackstate.api.authentication.authServer"
        where = rng.choice([f"{section}.serviceTokenAuthServer.bootstrap",
                            f"{section}.ldapAuthServer.connection", "akka.remote"])  # fmt: skip
        other = f"{section}.authServerType = [stackstateAuthServer]\n"
        return "hocon", f"{other}{where} {{\n  {key} = {value}\n  x = 1\n}}\nz = 2\n", secret
    key = rng.choice(_SECRET_KEYS_YAML)
    head = "stackstate:\n  authentication:\n"
    places = {
        "bootstrap": (head + "    serviceToken:\n      bootstrap:\n", 8),
        "misspelled": (head + "    servicetoken:\n      bootstrap:\n", 8),
        "ldap": (head + "    ldap:\n      bind:\n        dn: cn=x\n", 8),
        "oidc": (head + "    oidc:\n      clientId: x\n", 6),
        "top": ("global:\n", 2),
    }
    text, indent = places[rng.choice(sorted(places))]
    pad = " " * indent
    if rng.random() < 0.2:  # defined under an ordinary key, used under a secret one
        text = f"defaults: &s{_yaml_value(rng, secret, 0)}\n" + text
        entry = f"{pad}{key}: *s\n" if not key.startswith("?") else f"{pad}{key}\n{pad}: *s\n"
    elif key.startswith("?"):
        entry = f"{pad}{key}\n{pad}:{_yaml_value(rng, secret, indent)}\n"
    else:
        entry = f"{pad}{key}:{_yaml_value(rng, secret, indent)}\n"
    return "helm", text + entry + "other: 1\n", secret


def secret_files() -> st.SearchStrategy[tuple[str, str, str]]:
    """``secret_file`` as a Hypothesis strategy."""
    return st.randoms(use_true_random=False).map(secret_file)


# -- untrusted names ---------------------------------------------------------------------------

_NAME_PIECES = [
    "\n", "\r", "\r\n", "\t", "\x00", "\x07", "\x1b[31m", "\x1b]0;title\x07", "\x1b[2J",
    "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\u202e", "\u2066", "\u200f",
    "\udce9", "\udcff", "\udc80", "::error file=x.yaml,line=1::forged", "%0A", "%25", ":",
    ",", "\\", " ", "a", "values", ".yaml", ".conf", "-", "é", "🙂",
]  # fmt: skip


def hostile_names() -> st.SearchStrategy[str]:
    """File names and other names an attacker chooses: line breaks, terminal escape sequences,
    C1 controls, bidirectional overrides, GitHub workflow commands, and bytes that are not
    UTF-8 (lone surrogates, as Python decodes them from argv and the file system)."""
    piece = st.one_of(st.sampled_from(_NAME_PIECES), st.characters(exclude_categories=("Cs",)))
    return st.lists(piece, min_size=1, max_size=12).map("".join)


# -- the properties -----------------------------------------------------------------------------

_YAML_BREAKS = (
    re.compile("\r\n|[\r\n]"),  # YAML 1.2 (ruamel's default)
    re.compile("\r\n|[\r\n\x85\u2028\u2029]"),  # YAML 1.1 (after a %YAML 1.1 directive)
)


def line_counts(text: str, kind: str) -> list[list[str]]:
    """The lines as the kind's parser may count them (YAML: either version's line breaks)."""
    if kind == "helm":
        return [pattern.split(text) for pattern in _YAML_BREAKS]
    return [text.split("\n")]


def _within(line: int, column: int, lines: list[str]) -> bool:
    return 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1


def _walk(value: Any, last_key: str, out: Callable[[str, str], None]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            out(str(key), "")  # a key is never secret
            _walk(item, str(key), out)
    elif isinstance(value, list):
        for item in value:
            _walk(item, last_key, out)
    elif isinstance(value, str):
        out(value, last_key)


def exposed(sample: Sample) -> bool:
    """True when the edited file holds the planted token somewhere that is not a secret."""
    if sample.planted not in sample.text:
        return False
    try:
        if sample.kind == "helm":
            from configgen.parsing import helm_yaml

            data: Any = helm_yaml.load(sample.text, allow_multiple=True).data
        else:
            from configgen.parsing import hocon

            data = hocon.merge(hocon.parse(sample.text)).to_plain()
    except Exception:  # unreadable: no rule sees a value
        return False
    found: list[bool] = []

    def out(text: str, key: str) -> None:
        if sample.planted in text and key.lower() not in SECRET_KEYS:
            found.append(True)

    _walk(data, "", out)
    return bool(found)


@cache
def known_rules() -> frozenset[str]:
    from configgen.rules import catalogue

    return frozenset(catalogue())


def problems(sample: Sample, findings: Sequence[Finding], name: str = "fuzz") -> list[str]:
    """What is wrong with ``findings`` for ``sample`` (empty: the properties hold)."""
    found: list[str] = []
    counts = line_counts(sample.text, sample.kind)
    leak_checked = bool(sample.planted) and not exposed(sample)
    for f in findings:
        where = f"{f.line}:{f.column} {f.rule}"
        if f.rule == "internal-error":
            found.append(f"{where}: internal error: {f.message}")
        if f.rule not in known_rules():
            found.append(f"{where}: unknown rule")
        if f.path != name:
            found.append(f"{where}: reported under {f.path!r}, not {name!r}")
        if f.line == 0:
            if f.column != 0:
                found.append(f"{where}: a column without a line")
        elif not any(_within(f.line, f.column, lines) for lines in counts):
            found.append(f"{where}: outside the file ({[len(lines) for lines in counts]} lines)")
        if "\n" in f.message or "\r" in f.message:
            found.append(f"{where}: message spans lines: {f.message!r}")
        if leak_checked and sample.planted in f.message:
            found.append(f"{where}: message shows the planted token: {f.message!r}")
        if leak_checked and any(sample.planted in str(p) for p in shown_path(f.json_path)):
            found.append(f"{where}: the json report's path shows the planted token")
    return found


def check(sample: Sample, options: lint.LintOptions | None = None) -> list[str]:
    """Lint ``sample`` and return the broken properties (an exception is one too)."""
    try:
        findings = lint.lint_text("fuzz", sample.text, sample.kind, options or lint.LintOptions())
    except Exception as err:  # lint_text promises never to raise
        return [f"lint_text raised {type(err).__name__}: {err}"]
    return problems(sample, findings)


def samples(kind: str, max_pieces: int = 80) -> st.SearchStrategy[Sample]:
    """Every source, for the long fuzzing run (YAML: also documents of aliases and merge
    keys, the shapes of expansion bombs)."""
    randoms = random_texts(kind, max_pieces).map(lambda text: Sample(kind, text))
    if kind == "helm":
        aliases = alias_documents().map(lambda text: Sample(kind, text, seed=ALIASES))
        return st.one_of(randoms, mutated_seeds(kind), aliases)
    return st.one_of(randoms, mutated_seeds(kind))
