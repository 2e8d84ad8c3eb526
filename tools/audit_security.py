"""Check the installed Python packages and the npm packages for known vulnerabilities.

Runs pip-audit (on this virtual environment) and npm audit (on package-lock.json) and prints
every advisory found. Exits 1 only when an advisory has a fixed version to upgrade to: an
advisory with no fix yet is reported but cannot be acted on, so it does not fail the run. When an
advisory service cannot be reached, that is said plainly and the run does not fail either.

    python tools/audit_security.py      (or: make audit-security)
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Advisory:
    ecosystem: str
    package: str
    version: str
    advisory: str
    fixed_in: tuple[str, ...]


def pip_advisories() -> tuple[list[Advisory], str | None]:
    """Return pip-audit's advisories for this environment, and a note when it could not run."""
    command = [sys.executable, "-m", "pip_audit", "-f", "json", "--progress-spinner", "off"]
    command.append("--skip-editable")  # the app itself is not on PyPI
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [], f"pip-audit did not run: {result.stderr.strip()[-300:]}"
    advisories, skipped = [], 0
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            skipped += 1
        for vuln in dependency.get("vulns", []):
            advisories.append(
                Advisory(
                    "python",
                    dependency["name"],
                    dependency.get("version", "?"),
                    vuln["id"],
                    tuple(vuln.get("fix_versions", [])),
                )
            )
    note = None
    if skipped:
        note = f"pip-audit could not check {skipped} packages (advisory service not reachable?)"
    return advisories, note


def npm_advisories() -> tuple[list[Advisory], str | None]:
    """Return npm audit's advisories for package-lock.json, and a note when it could not run."""
    result = subprocess.run(
        ["npm", "audit", "--json", "--package-lock-only"], capture_output=True, text=True, cwd=ROOT
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [], f"npm audit did not run: {result.stderr.strip()[-300:]}"
    if "vulnerabilities" not in report:
        return [], f"npm audit could not reach its advisory service: {report.get('message', '')}"
    advisories = []
    for name, found in report["vulnerabilities"].items():
        fix = found.get("fixAvailable")
        fixed_in = (
            (fix.get("version", "yes"),) if isinstance(fix, dict) else (("yes",) if fix else ())
        )
        for via in found.get("via", []):
            if isinstance(via, dict):
                advisories.append(
                    Advisory("npm", name, found.get("range", "?"), via.get("url", "?"), fixed_in)
                )
    return advisories, None


def main() -> int:
    """Print the report; return 1 when an advisory can be fixed by upgrading, else 0."""
    fixable = 0
    for check in (pip_advisories, npm_advisories):
        advisories, note = check()
        if note:
            print(f"NOTE {note}")
        for advisory in advisories:
            fix = ", ".join(advisory.fixed_in) or "no fix yet"
            print(
                f"{advisory.ecosystem} {advisory.package} {advisory.version}: "
                f"{advisory.advisory} (fixed in: {fix})"
            )
            fixable += bool(advisory.fixed_in)
    print(f"{fixable} advisories with a fix available")
    return 1 if fixable else 0


if __name__ == "__main__":
    sys.exit(main())
