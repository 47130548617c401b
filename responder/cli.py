"""The `responder` command (also `flask --app responder …`); see CONTRACT.md."""

from __future__ import annotations

import functools

import click
from flask.cli import FlaskGroup

from responder.errors import DomainError


def _create_app():
    from responder.app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False,
             help="政务舆情回应与诉求办理系统 responder：受理、研判、派单、跟踪。")
def cli():
    """The command group; subcommands are registered by register_commands."""


def main():
    """Console-script entry point."""
    cli.main(prog_name="responder")


class InputError(click.ClickException):
    """Bad input on the command line: a message naming the field, exit status 2, never a traceback."""

    exit_code = 2


def input_errors(command):
    """Turn the services' field errors into InputError for a command."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DomainError as exc:
            fields = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
            raise InputError(exc.message + (f"（{fields}）" if fields and fields not in exc.message else "")) from None

    return wrapped


def register_commands(group: click.Group) -> None:
    """Add every command to `group` (the app's own CLI group, which `responder` shows)."""
    from responder.analysis.commands import classify_command
    from responder.commands.audit import audit_group
    from responder.commands.directory import token_group, unit_group, user_group
    from responder.commands.imports import import_command
    from responder.commands.lexicon import lexicon_group
    from responder.commands.plans import plan_group
    from responder.commands.routing import rule_group
    from responder.commands.runtime import (
        beat_command,
        demo_command,
        serve_command,
        sweep_command,
        worker_command,
    )
    from responder.commands.train import train_group
    from responder.ledger.commands import commitments_command

    for command in (demo_command, serve_command, worker_command, beat_command, unit_group, user_group,
                    token_group, import_command, plan_group, rule_group, classify_command, commitments_command,
                    sweep_command, audit_group, lexicon_group, train_group):
        group.add_command(command)
