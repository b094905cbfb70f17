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
from configgen.parsing.kinds import HELM
from configgen.product import auth_secret, linux_env
from configgen.render import targets
from configgen.render.targets import ENVIRONMENT, FULL, TARGETS
from configgen.render.templates import (
    Rendered,
    RenderError,
    render,
    render_env_file,
    render_secret,
)
from configgen.render.verify import verify
from configgen.spec.load import SpecInput, load
from configgen.spec.model import TokenSpec
from configgen.spec.token_source import TokenSource


@dataclass(frozen=True)
class RenderRequest:
    """Everything ``render`` needs, as parsed from the command line.

    ``external_secret``: Kubernetes values name that Secret (``fromExternalSecret``) and hold a
    placeholder token; the Secret's manifest is written next to them.  ``token_env_var``: the
    Linux file reads the token from that environment variable; ``env_file``: write the
    environment file that sets it.
    """

    spec_path: str | None
    overrides: dict[str, tuple[Any, str]] = field(default_factory=dict)
    token_source: TokenSource | None = None
    targets: tuple[str, ...] = tuple(TARGETS)
    out_dir: Path | None = None
    force: bool = False
    hocon_form: str = FULL
    external_secret: str | None = None
    token_env_var: str | None = None
    env_file: Path | None = None

    @property
    def token_needed(self) -> bool:
        """False when no output will hold the token (Linux from the environment, no file)."""
        return not (self.targets == ("linux",) and self.token_env_var and self.env_file is None)


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
    loaded = load(
        request.spec_path,
        request.overrides,
        request.token_source,
        token_required=request.token_needed,
    )
    token_spec = loaded.token_spec
    try:
        rendered = [item for name in request.targets for item in _render(request, name, token_spec)]
    except RenderError as err:
        raise RenderError([_relocate(f, loaded.source) for f in err.findings]) from None
    for item in rendered:
        verify(item, token_spec)
    outputs = [Output(r, _destination(request, r)) for r in rendered]
    written = [(o.path, o.rendered.text) for o in outputs if o.path is not None]
    if not request.force:
        files.check_free(path for path, _text in written)
    paths = [path for path, _text in written]
    # Replacing files: take turns with apply (and another render) on them (configgen.locks).
    with locks.locked(paths) if request.force else contextlib.nullcontext():
        files.write_new(written, overwrite=request.force)  # all of them, or none
    return RenderResult(outputs, loaded.warnings, loaded.generated_token)


def _render(request: RenderRequest, name: str, spec: TokenSpec) -> list[Rendered]:
    """The files of one target: with an external Secret, its manifest comes first; with an
    environment file, it comes last."""
    target = TARGETS[name]
    if target.kind == HELM:
        secret = request.external_secret
        values = render(spec, target, external_secret=secret)
        if secret is None:
            return [values]
        keys = auth_secret.keys_for_login_providers(spec.login_providers)
        return [render_secret(spec, targets.secret_manifest(secret), secret, keys), values]
    variable = request.token_env_var
    if variable is None:
        return [render(spec, target, hocon_form=request.hocon_form)]
    env_file = None if request.env_file is None else str(request.env_file)
    next_step = f"{targets.APPEND_HOCON}; {linux_env.instructions(variable, env_file)}"
    target = dataclasses.replace(target, next_step=next_step)
    conf = render(spec, target, hocon_form=request.hocon_form, env_var=variable)
    if request.env_file is None:
        return [conf]
    environment = targets.environment_file(request.env_file.name, "")
    return [conf, render_env_file(spec, environment, variable)]


def _destination(request: RenderRequest, rendered: Rendered) -> Path | None:
    """Where a file goes: the environment file where asked, the others into ``out_dir``
    (``None``: printed)."""
    if rendered.target.kind == ENVIRONMENT:
        return request.env_file
    return None if request.out_dir is None else request.out_dir / rendered.target.filename


def _relocate(finding: Finding, source: SpecInput) -> Finding:
    """Point a render finding at the spec line (or flag) its value came from."""
    name, line, column = source.locate(finding.json_path)
    return finding.replace(path=name, line=line, column=column)
