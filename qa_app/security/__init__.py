"""Security plumbing shared by every area: response headers, the proxy set-up and throttling."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from qa_app.security.headers import init_headers


def init_security(app: Flask) -> None:
    """Add the security headers and, behind proxies, trust their X-Forwarded-For/-Proto."""
    init_headers(app)
    proxies = app.config.get("PROXY_FIX_X_FOR", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
