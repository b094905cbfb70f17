"""``configgen render`` as a function: spec and flags in, verified files out.

Nothing is written unless every requested target renders, reads back as the spec, and validates
against its schema; no existing file is replaced unless ``force`` is set.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from configgen import files
from configgen.findings import Finding, Severity
from configgen.parsing import sources
from configgen.render.templates import TARGETS, Rendered, RenderError, render
from configgen.render.verify import verify
from configgen.spec import load as spec

TOKEN_SOURCES = ("value", "file", "env", "generate")


@dataclass(frozen=True)
class TokenSource:
    """Where the token comes from when not from the spec: a flag value, a file, a variable."""

    kind: str  # one of TOKEN_SOURCES
    argument: str = field(default="", repr=False)


@dataclass(frozen=True)
class RenderRequest:
    """Everything ``render`` needs, as parsed from the command line."""

    spec_path: str | None
    overrides: dict[str, tuple[Any, str]] = field(default_factory=dict)
    token_source: TokenSource | None = None
    targets: tuple[str, ...] = ("kubernetes", "linux")
    out_dir: Path | None = None
    force: bool = False
    hocon_form: str = "full"


@dataclass(frozen=True)
class Output:
    """One rendered file and where it went (``None``: the caller prints it)."""

    rendered: Rendered
    path: Path | None


@dataclass
class RenderResult:
    """What ``run`` did: the outputs, warnings to show, and a generated token if any."""

    outputs: list[Output]
    findings: list[Finding]
    generated_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class LoadedSpec:
    """A validated spec with its warnings, its raw input (for positions), a generated token."""

    token_spec: spec.TokenSpec
    warnings: list[Finding]
    source: spec.SpecInput
    generated_token: str | None = field(default=None, repr=False)


def load_spec(request: RenderRequest) -> LoadedSpec:
    """The validated spec, its warnings, and the token if it was generated here."""
    name = request.spec_path or "<command line>"
    text = None
    if request.spec_path is not None:
        shown = "<stdin>" if request.spec_path == sources.STDIN else request.spec_path
        try:
            text = sources.read(request.spec_path).text
        except sources.InputError as err:
            raise spec.input_error(shown, err) from None
        name = shown
    spec_input = spec.parse(name, text)
    overrides = dict(request.overrides)
    notes: list[Finding] = []
    generated = None
    if request.token_source is not None:
        token, origin, note = _token(request.token_source)
        overrides["token"] = (token, origin)
        if note is not None:
            notes.append(note)
        if request.token_source.kind == "generate":
            generated = token
    spec.override(spec_input, overrides)
    token_spec, warnings = spec.resolve(spec_input)
    return LoadedSpec(token_spec, notes + warnings, spec_input, generated)


def run(request: RenderRequest) -> RenderResult:
    """Render, verify and (with ``out_dir``) write every requested target."""
    loaded = load_spec(request)
    token_spec = loaded.token_spec
    try:
        rendered = [
            render(token_spec, TARGETS[name], hocon_form=request.hocon_form)
            for name in request.targets
        ]
    except RenderError as err:
        raise RenderError([_relocate(f, loaded.source) for f in err.findings]) from None
    for item in rendered:
        verify(item, token_spec)
    if request.out_dir is None:
        outputs = [Output(r, None) for r in rendered]
        return RenderResult(outputs, loaded.warnings, loaded.generated_token)
    paths = [request.out_dir / r.target.filename for r in rendered]
    if not request.force:
        files.check_free(paths)
    files.write_new(
        [(p, r.text) for r, p in zip(rendered, paths, strict=True)], overwrite=request.force
    )
    outputs = [Output(r, p) for r, p in zip(rendered, paths, strict=True)]
    return RenderResult(outputs, loaded.warnings, loaded.generated_token)


def _relocate(finding: Finding, source: spec.SpecInput) -> Finding:
    """Point a render finding at the spec line (or flag) its value came from."""
    name, line, column = source.locate(finding.json_path)
    return dataclasses.replace(finding, path=name, line=line, column=column)


def _token(source: TokenSource) -> tuple[str, str, Finding | None]:
    """(token, where it came from, a note to show) for a token given outside the spec."""
    if source.kind == "generate":
        return spec.generate_token(), "--generate-token", None
    if source.kind == "value":
        note = Finding(
            "--token",
            0,
            0,
            "token-on-command-line",
            Severity.WARNING,
            "a token typed on the command line is visible to other users of this "
            "machine (process list, shell history): prefer --token-file or "
            "--token-env",
        )
        return source.argument, "--token", note
    if source.kind == "env":
        value = os.environ.get(source.argument)
        if value is None:
            raise spec.SpecError(
                [
                    Finding(
                        f"--token-env {source.argument}",
                        0,
                        0,
                        spec.RULE,
                        Severity.ERROR,
                        f"environment variable {source.argument} is not set: "
                        "export it, or use another token source",
                    )
                ]
            )
        return value, f"--token-env {source.argument}", None
    origin = f"--token-file {source.argument}"
    try:
        data = sources.read_bytes(source.argument, limit=64 * 1024)
        text = sources.decode(data)
    except sources.InputError as err:
        raise spec.input_error(origin, err) from None
    return text.removesuffix("\n").removesuffix("\r"), origin, None
