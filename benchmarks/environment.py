"""The machine and the tools: installing the venvs, their versions, machine facts, git state."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.commands import CG, CG_ED, CJ, CJ_C, YL
from benchmarks.paths import (
    CONFIGGEN_VENV,
    EDITABLE_VENV,
    PEERS_CLIB_VENV,
    PEERS_VENV,
    REPO,
    SCHEMA,
)

PEER_PACKAGES = ("check-jsonschema", "yamllint")
CLIB_PACKAGES = ("check-jsonschema", "ruamel.yaml.clib")  # ruamel's C extension is opt-in
BUILD_FILES = ("pyproject.toml", "README.md", "LICENSE", "configgen", "templates", "schemas")
VERSIONED = (
    "configgen", "click", "jinja2", "jsonschema", "pyhocon", "pyparsing", "ruamel.yaml",
    "ruamel.yaml.clib", "tomli", "check-jsonschema", "yamllint", "PyYAML", "regress",
    "referencing",
)  # fmt: skip
_VERSIONS_CODE = """\
import importlib.metadata as m, json, sys, importlib.util as u
out = {}
for n in NAMES:
    try: out[n] = m.version(n)
    except m.PackageNotFoundError: pass
out['python'] = sys.version.split()[0]
out['ruamel C extension'] = 'yes' if u.find_spec('_ruamel_yaml') else 'no'
try:
    import yaml; out['PyYAML libyaml'] = 'yes' if yaml.__with_libyaml__ else 'no'
except ImportError: pass
print(json.dumps(out))
"""


def run_checked(argv: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a set-up step; stop the harness with its output when it fails."""
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=cwd)
    if proc.returncode != 0:
        sys.exit(f"failed: {shlex.join(argv)}\n{proc.stdout}\n{proc.stderr}")
    return proc


def ensure_peers(refresh: bool, clib: bool) -> None:
    """Install the peers once (``refresh``: again), and check-jsonschema with ruamel's C
    extension when ``clib``."""
    venvs = [(PEERS_VENV, PEER_PACKAGES)]
    if clib:
        venvs.append((PEERS_CLIB_VENV, CLIB_PACKAGES))
    for venv, packages in venvs:
        if refresh and venv.exists():
            shutil.rmtree(venv)
        if not (venv / "bin" / "check-jsonschema").exists():
            print(f"installing {' '.join(packages)} into {venv.relative_to(REPO)} ...")
            run_checked([sys.executable, "-m", "venv", str(venv)])
            run_checked([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *packages])


def install_configgen(skip: bool) -> str:
    """Build a wheel from the working tree (tracked and new files) and install it (unless
    ``skip`` and it is installed); the hash of the installed package."""
    if not (CONFIGGEN_VENV / "bin" / "python").exists():
        run_checked([sys.executable, "-m", "venv", str(CONFIGGEN_VENV)])
        skip = False
    if not skip:
        print(f"installing configgen (working tree) into {CONFIGGEN_VENV.relative_to(REPO)} ...")
        _install_wheel()
    return installed_hash()


def _install_wheel() -> None:
    files = run_checked(
        ["git", "ls-files", "-co", "--exclude-standard", "--", *BUILD_FILES], cwd=REPO
    ).stdout.split()
    with tempfile.TemporaryDirectory(prefix="configgen-build-") as tmp:
        src = Path(tmp) / "src"
        for name in files:
            if (REPO / name).is_file():
                (src / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / name, src / name)
        pip = [str(CONFIGGEN_VENV / "bin" / "python"), "-m", "pip"]
        run_checked([*pip, "wheel", "-q", "--no-deps", "-w", str(Path(tmp) / "dist"), str(src)])
        wheel = str(next((Path(tmp) / "dist").glob("configgen-*.whl")))
        run_checked([*pip, "install", "-q", "--force-reinstall", "--no-deps", wheel])
        run_checked([*pip, "install", "-q", wheel])  # dependencies, if they changed


def installed_hash() -> str:
    """What was measured: a hash of the installed package's files."""
    site = run_checked(
        [
            str(CONFIGGEN_VENV / "bin" / "python"),
            "-c",
            "import configgen, os; print(os.path.dirname(configgen.__file__))",
        ]
    ).stdout.strip()
    digest = hashlib.sha256()
    for path in sorted(Path(site).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def versions(python: Path) -> dict[str, str]:
    """Versions of ``VERSIONED`` packages (those installed) in the venv of ``python``."""
    code = f"NAMES = {list(VERSIONED)!r}\n{_VERSIONS_CODE}"
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {}
    found: dict[str, str] = json.loads(proc.stdout)
    return found


def machine() -> dict[str, str]:
    """CPUs, memory, kernel, OS, the harness's Python, hyperfine's version."""
    info = {"nproc": str(os.cpu_count()), "usable CPUs": str(len(os.sched_getaffinity(0)))}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["CPU"] = m.group(1).strip() if m else "?"
        m = re.search(r"^cpu MHz\s*:\s*(.+)$", cpuinfo, re.M)
        if m:
            info["CPU MHz"] = m.group(1).strip()
        m = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        if m:
            info["memory"] = f"{int(m.group(1)) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    info["kernel"] = platform.release()
    info["OS"] = platform.platform()
    info["harness Python"] = sys.version.split()[0]
    info["hyperfine"] = _hyperfine_version()
    return info


def _hyperfine_version() -> str:
    if not shutil.which("hyperfine"):
        return "not installed"
    proc = subprocess.run(["hyperfine", "--version"], capture_output=True, text=True, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else "not installed"


def git_state() -> str:
    """``HEAD`` and whether the package sources have uncommitted changes."""
    head = _git("rev-parse", "--short", "HEAD").strip()
    dirty = _git("status", "--porcelain", "--", *BUILD_FILES).splitlines()
    if dirty:
        return f"{head} + {len(dirty)} uncommitted change(s) in the package sources"
    return f"{head} (clean)"


def _git(*args: str) -> str:
    proc = subprocess.run(["git", *args], capture_output=True, text=True, cwd=REPO, check=False)
    return proc.stdout


def schema_state(configgen: str) -> str:
    """Whether the peers' schema is still what ``configgen schema helm-values`` prints."""
    current = subprocess.run(
        [configgen, "schema", "helm-values"], capture_output=True, text=True, check=False
    ).stdout
    if current == SCHEMA.read_text():
        return "identical to the current output"
    return "**differs from the current output: refresh it**"


def tool_paths(editable: bool, clib: bool) -> dict[str, str]:
    """The executables to time, by tool name (the optional ones only when asked for)."""
    tools = {
        CG: str(CONFIGGEN_VENV / "bin" / "configgen"),
        CJ: str(PEERS_VENV / "bin" / "check-jsonschema"),
        YL: str(PEERS_VENV / "bin" / "yamllint"),
    }
    if editable:
        tools[CG_ED] = str(EDITABLE_VENV / "bin" / "configgen")
    if clib:
        tools[CJ_C] = str(PEERS_CLIB_VENV / "bin" / "check-jsonschema")
    return tools
