"""Fixtures for the browser journeys: a live server on SQLite, Chromium and an axe-core check.

The server runs the real app (real CSRF, shipped templates, synthetic demo data) in a thread for
the whole session. Chromium is Debian's, driven through Playwright. Where Chromium, Playwright,
axe-core or the built assets are missing the tests are skipped with the reason, unless
``QA_REQUIRE_BROWSER`` is set, when they fail instead.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from qa_app import create_app
from qa_app.demo.seed import seed_demo_data
from qa_app.extensions import db
from qa_app.template_library.loading import apply_template_load, plan_template_load, template_files

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_TEMPLATES = ROOT / "audit_templates"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
STATIC = ROOT / "qa_app" / "static"
BUILT_ASSETS = (STATIC / "css" / "app.css", STATIC / "js" / "app.js")
REQUIRE_VARIABLE = "QA_REQUIRE_BROWSER"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DEFAULT_TIMEOUT_MS = 15_000


def _unavailable(reason: str) -> None:
    """Skip, or fail when the browser tests are required."""
    if os.environ.get(REQUIRE_VARIABLE):
        pytest.fail(f"Browser tests are required ({REQUIRE_VARIABLE} is set) but {reason}")
    pytest.skip(f"Browser tests skipped: {reason}")


def _chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _browser_config(url: str) -> dict[str, object]:
    # Like the other tests' config, but with real CSRF and no SERVER_NAME, since the browser
    # reaches the server on 127.0.0.1 and a random port.
    return {
        "TESTING": True,
        "SECRET_KEY": "browser-test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": True,
        "AUDIT_TEMPLATES_DIR": str(SHIPPED_TEMPLATES),
        # The journeys download the pack from the page; the job path has tests of its own.
        "PACK_JOB_ANSWERS": 1_000_000,
    }


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app on 127.0.0.1 with a migrated, seeded SQLite database; yield its base URL."""
    missing = [str(path.relative_to(ROOT)) for path in BUILT_ASSETS if not path.exists()]
    if missing:
        _unavailable(f"the built assets are missing ({', '.join(missing)}); run `make assets`")
    database = tmp_path_factory.mktemp("browser-db") / "browser.sqlite3"
    app = create_app(_browser_config(f"sqlite:///{database}"))
    with app.app_context():
        upgrade()
        plan = plan_template_load(db.session, template_files(SHIPPED_TEMPLATES))
        assert not plan.problems, plan.problems
        apply_template_load(db.session, plan)
        db.session.commit()
        assert seed_demo_data(db.session)
        db.session.commit()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium, launched through Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    executable = _chromium_path()
    if executable is None:
        _unavailable("Chromium is not installed (/usr/bin/chromium; apt-get install chromium)")
    if not AXE_SCRIPT.exists():
        _unavailable(f"axe-core is missing ({AXE_SCRIPT.relative_to(ROOT)}); run `npm ci`")

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as error:  # any launch failure means there is no browser to drive
        playwright.stop()
        _unavailable(f"Chromium at {executable} did not start: {error}")
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@dataclass
class PageProblems:
    """What went wrong on pages without failing an assertion: server errors and script errors."""

    server_errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def note_response(self, response: Any) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} {response.url}")

    def check(self) -> None:
        problems = [f"server error: {e}" for e in self.server_errors]
        problems += [f"script error: {e}" for e in self.script_errors]
        assert not problems, "\n".join(problems)


@pytest.fixture
def new_page(chromium: Any, live_server: str) -> Iterator[Callable[[], Any]]:
    """Return a function opening a page in a fresh browser context (its own cookies).

    Every page opened this way is watched for 5xx responses and uncaught script errors, which
    fail the test at teardown.
    """
    contexts = []
    problems = PageProblems()

    def open_page() -> Any:
        # axe-core is injected by the test as an inline script, which the app's strict
        # Content-Security-Policy rightly refuses; the policy itself is tested elsewhere.
        context = chromium.new_context(base_url=live_server, accept_downloads=True, bypass_csp=True)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("response", problems.note_response)
        page.on("pageerror", lambda error: problems.script_errors.append(f"{page.url}: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    problems.check()


_AXE_RUN = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    count: v.nodes.length,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}
"""


@pytest.fixture(scope="session")
def axe_source(chromium: Any) -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def assert_accessible(axe_source: str) -> Callable[[Any, str], None]:
    """Return a function running axe-core on a page and failing on any WCAG 2.2 AA violation."""

    def check(page: Any, description: str) -> None:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol: the page's Content-Security-Policy (no
            # inline scripts) rightly refuses a <script> tag, but not the test's own probe.
            page.evaluate(axe_source)
        violations = page.evaluate(_AXE_RUN, AXE_TAGS)
        assert not violations, _describe_violations(description, page.url, violations)

    return check


def _describe_violations(description: str, url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} violation(s) on {description} ({url}):"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} ({v['count']} element(s))")
        lines.append(f"    {v['helpUrl']}")
        lines.extend(f"    {target}" for target in v["targets"])
        if v["count"] > len(v["targets"]):
            lines.append(f"    ... and {v['count'] - len(v['targets'])} more")
    return "\n".join(lines)
