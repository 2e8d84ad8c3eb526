"""Playwright's API for the browser tests, or a skip (a failure when browser tests are required)
when the package is not installed. Every browser test module imports Playwright from here."""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import REQUIRE_VARIABLE

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:
    if os.environ.get(REQUIRE_VARIABLE):
        raise
    pytest.skip(
        "Browser tests skipped: the playwright package is not installed", allow_module_level=True
    )

__all__ = ["Locator", "Page", "expect"]
