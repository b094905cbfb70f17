"""The wheel must contain every package: setuptools is given an explicit list."""

from __future__ import annotations

import sys

from testing.paths import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_every_package_directory_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "configgen").rglob("__init__.py")
    }
    mapped = set(config["package-dir"]) - {"configgen"}
    assert on_disk <= listed
    assert mapped <= listed
