"""``configgen render`` as a function: spec and flags in, verified files out.

Nothing is written unless every requested target renders, reads back as the spec, and validates
against its schema; no existing file is replaced unless ``force`` is set.
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from configgen import files, locks
from configgen.findings import Finding
from configgen.render.targets import FULL, TARGETS
from configgen.render.templates import Rendered, RenderError, render
from configgen.render.verify import verify
from configgen.spec.load import SpecInput, load
from configgen.spec.token_source import TokenSource


@dataclass(frozen=True)
class RenderRequest:
    """Everything ``render`` needs, as parsed from the command line."""

    spec_path: str | None
    overrides: dict[str, tuple[Any, str]] = field(default_factory=dict)
    token_source: TokenSource | None = None
    targets: tuple[str, ...] = tuple(TARGETS)
    out_dir: Path | None = None
    force: bool = False
    hocon_form: str = FULL


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


def run(request: RenderRequest) -> RenderResult:
    """Render, verify and (with ``out_dir``) write every requested target."""
    loaded = load(request.spec_path, request.overrides, request.token_source)
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
    # Replacing files: take turns with apply (and another render) on them (configgen.locks).
    with locks.locked(paths) if request.force else contextlib.nullcontext():
        files.write_new(
            [(p, r.text) for r, p in zip(rendered, paths, strict=True)], overwrite=request.force
        )
    outputs = [Output(r, p) for r, p in zip(rendered, paths, strict=True)]
    return RenderResult(outputs, loaded.warnings, loaded.generated_token)


def _relocate(finding: Finding, source: SpecInput) -> Finding:
    """Point a render finding at the spec line (or flag) its value came from."""
    name, line, column = source.locate(finding.json_path)
    return dataclasses.replace(finding, path=name, line=line, column=column)
