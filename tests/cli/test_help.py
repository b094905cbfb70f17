"""``configgen --help`` lists every command from a static table (so that it imports none of
them); the table must say what each command's own help says."""

from __future__ import annotations

import click
import pytest

from configgen.cli import main
from configgen.cli.base import COMMANDS
from testing.cli import invoke


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_summary_matches_the_commands_own_help(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    assert command.name == name
    first_line = (command.help or "").strip().splitlines()[0]
    assert COMMANDS[name][1] == first_line


def test_help_lists_every_command_and_no_other() -> None:
    result = invoke(["--help"])
    section = result.stdout.split("Commands:")[1].split("Exit codes:")[0]
    listed = [line.split()[0] for line in section.splitlines()
              if line.strip() and line.startswith("  ") and not line.startswith("   ")]  # fmt: skip
    assert listed == list(COMMANDS)
    assert main.get_command(click.Context(main), "no-such-command") is None


@pytest.mark.parametrize(
    ("columns", "width"), [("120", 98), ("60", 58), ("20", 50), ("x", None), ("", None)]
)
def test_help_width_is_clicks(columns: str, width: int | None, monkeypatch: pytest.MonkeyPatch
                              ) -> None:  # fmt: skip
    """The help width found without shutil is the one click would compute with it."""
    import shutil

    from configgen.cli.base import MAX_HELP_WIDTH, help_width

    monkeypatch.setenv("COLUMNS", columns)
    expected = max(min(shutil.get_terminal_size().columns, MAX_HELP_WIDTH) - 2, 50)
    assert help_width() == expected
    if width is not None:
        assert expected == width
