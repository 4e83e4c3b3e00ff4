"""Docs that cannot drift: every command, option and setting is documented."""

from __future__ import annotations

import typer.main

from diurna.cli import app
from diurna.config import Settings

from .conftest import REPO


def test_every_command_and_option_is_in_the_cli_reference():
    reference = (REPO / "docs/cli.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert f"`diurna {name}" in reference, f"command {name} is not documented in docs/cli.md"
        for param in command.params:
            for flag in param.opts:
                if flag.startswith("--") and flag != "--help":
                    assert f"`{flag}`" in reference, f"{name} {flag} is not documented in docs/cli.md"


def test_every_setting_is_in_the_configuration_page():
    page = (REPO / "docs/configuration.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"`{name}`" in page, f"setting {name} is not documented in docs/configuration.md"
        assert f"`DIURNA_{name.upper()}`" in page
        assert field.description, f"setting {name} has no help text"


def test_readme_shows_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
