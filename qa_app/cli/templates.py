"""``flask --app qa_app templates ...``: check and load audit template files, and exchange
stored versions with Excel workbooks."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, NoReturn

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from qa_app.extensions import db
from qa_app.template_admin.queries import get_version, template_keys, version_numbers
from qa_app.template_format.definition import TemplateDefinition
from qa_app.template_format.diff import diff_templates
from qa_app.template_format.excel import read_template_workbook, write_template_workbook
from qa_app.template_format.parser import check_template_files, parse_template
from qa_app.template_format.replaces_check import check_replaces
from qa_app.template_library.loading import (
    apply_template_load,
    describe_plan,
    plan_template_load,
    plan_template_sources,
    read_template_sources,
    template_files,
)

templates_cli = AppGroup(
    "templates", help="Check and load audit templates, and exchange them with Excel."
)


@templates_cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--against",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="An earlier version's file (repeatable): replaces may name its questions too.",
)
def check(paths: tuple[Path, ...], against: tuple[Path, ...]) -> None:
    """Check template files; print each problem as file:line:column: message.

    Each file's own checks first; then, against the stored versions (when the database can be
    read) and the --against files: every replaces names a question of an earlier version, and
    a version already stored has not changed without a new version number.
    """
    problems = check_template_files(paths)
    if not problems:
        problems = _library_problems(list(paths), list(against))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo(f"{len(paths)} file(s) checked: no problems.")


def _library_problems(paths: list[Path], against: list[Path]) -> list:
    """Return the problems found by comparing the files with the earlier versions."""
    sources, problems = read_template_sources(paths)
    earlier, unreadable = read_template_sources(against)
    problems += unreadable
    try:
        problems += plan_template_sources(db.session, sources, earlier).problems
    except SQLAlchemyError:
        db.session.rollback()
        click.echo(
            "The database could not be read, so the files were checked against the --against "
            "files only (not the stored versions).",
            err=True,
        )
        definitions = [parse_template(s.text, s.name).definition for s in sources + earlier]
        for source in sources:
            definition = parse_template(source.text, source.name).definition
            assert definition is not None  # the files' own checks passed
            known = [d for d in definitions if d is not None]
            problems += check_replaces(definition, source.text, source.name, known)
    db.session.rollback()  # checking never stores anything
    return problems


@templates_cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change without storing anything.")
def load(paths: tuple[Path, ...], dry_run: bool) -> None:
    """Load template files (by default every file in audit_templates/) in one transaction."""
    files = list(paths) or template_files(Path(current_app.config["AUDIT_TEMPLATES_DIR"]))
    if not files:
        click.echo("No template files found.", err=True)
        sys.exit(1)
    plan = plan_template_load(db.session, files)
    for line in describe_plan(plan):
        click.echo(line)
    if plan.problems:
        for problem in plan.problems:
            click.echo(problem)
        click.echo("Nothing was loaded: fix the problems above and load again.", err=True)
        db.session.rollback()
        sys.exit(1)
    if dry_run:
        click.echo(
            f"Dry run: {len(plan.to_store)} version(s) would be stored; nothing was changed."
        )
        db.session.rollback()
        return
    apply_template_load(db.session, plan)
    db.session.commit()
    click.echo(f"{len(plan.to_store)} version(s) stored.")


@templates_cli.command("export")
@click.argument("key")
@click.option("--version", "version", type=int, help="The version to export (default: latest).")
@click.option(
    "--xlsx",
    "xlsx",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The workbook to write.",
)
@click.option("--force", is_flag=True, help="Overwrite the workbook if it already exists.")
def export(key: str, version: int | None, xlsx: Path, force: bool) -> None:
    """Write a stored template version (the latest by default) to an Excel workbook."""
    stored = get_version(db.session, key, version)
    if stored is None:
        _fail(_not_loaded(key, version))
    if xlsx.exists() and not force:
        _fail(f"{xlsx} already exists. Give another file name, or add --force to overwrite it.")
    if not xlsx.parent.is_dir():
        _fail(f"{xlsx.parent} is not a folder. Create it first, or give another file name.")
    _write_atomically(xlsx, lambda stream: write_template_workbook(stored.definition, stream))
    click.echo(f"Wrote {stored.key} version {stored.version} ({stored.title}) to {xlsx}.")
    click.echo(
        f"Edit it in Excel, then turn it back into YAML with: flask --app qa_app templates "
        f"import {xlsx} --out audit_templates/{stored.key}.yaml (add --force to replace the "
        f"existing file: YAML comments are not kept in the workbook)."
    )


@templates_cli.command("import")
@click.argument("workbook", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The template file to write, e.g. audit_templates/front-door.yaml.",
)
@click.option("--force", is_flag=True, help="Overwrite the --out file if it already exists.")
def import_workbook(workbook: Path, out: Path, force: bool) -> None:
    """Turn an Excel workbook back into a template YAML file (it is not loaded)."""
    if out.suffix.lower() not in (".yaml", ".yml"):
        _fail(f"{out}: the file name must end in .yaml, so that templates load finds it.")
    if out.exists() and not force:
        _fail(f"{out} already exists. Give another file name, or add --force to overwrite it.")
    if not out.parent.is_dir():
        _fail(f"{out.parent} is not a folder. Create it first, or give another file name.")
    text, problems = read_template_workbook(workbook)
    if text is None:
        for problem in problems:
            click.echo(str(problem))
        _fail(f"{len(problems)} problem(s) found. Nothing was written: fix them and import again.")
    _write_atomically(out, lambda stream: stream.write(text.encode("utf-8")))
    definition = parse_template(text, str(out)).definition
    assert definition is not None  # read_template_workbook only returns text that parses
    click.echo(f"Wrote {definition.key} version {definition.version} to {out}.")
    _say_how_it_compares(definition, text)
    click.echo(
        f"Next: flask --app qa_app templates check {out}, then flask --app qa_app templates "
        f"load --dry-run {out} to see what would change, then templates load {out}."
    )


def _say_how_it_compares(definition: TemplateDefinition, text: str) -> None:
    """Print whether the version number needs raising before the file can be loaded."""
    latest = get_version(db.session, definition.key)
    if latest is None:
        click.echo(f"{definition.key} is not loaded yet: it will load as a new template.")
        return
    if definition.version > latest.version:
        changes = diff_templates(latest.definition, definition)
        click.echo(
            f"It will load as a new version after version {latest.version} "
            f"({len(changes)} change(s) to questions or settings)."
        )
        return
    if definition.version == latest.version and text == latest.source_text:
        click.echo(f"It is the same as the loaded version {latest.version}.")
        return
    changes = diff_templates(latest.definition, definition)
    what = (
        f"{len(changes)} change(s) from"
        if changes
        # The workbook keeps no comments, so a file written from it differs in layout.
        else "no changes to questions or settings, but its layout or comments differ from"
    )
    click.echo(
        f"It is version {definition.version} and has {what} the loaded version "
        f"{latest.version}: raise its version to {latest.version + 1} before loading "
        f"(or keep the original file if nothing was meant to change)."
    )


def _not_loaded(key: str, version: int | None) -> str:
    numbers = version_numbers(db.session, key)
    if not numbers:
        keys = template_keys(db.session)
        loaded = ", ".join(keys) if keys else "none (run templates load first)"
        return f'No template with the key "{key}" is loaded. Loaded templates: {loaded}.'
    listed = ", ".join(str(n) for n in numbers)
    return f"{key} has no version {version}. Its versions: {listed}."


def _write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write the file beside its destination, then move it into place, so a failure midway
    never leaves a half-written file (or destroys the one that was there)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        # mkstemp makes the file private; give it the mode any new file would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)
