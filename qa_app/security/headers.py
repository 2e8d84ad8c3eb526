"""Security headers on every response.

A Content-Security-Policy without ``unsafe-inline``: scripts and styles come only from this
site's own files. The one inline script, GOV.UK Frontend's page template line that marks the body
``js-enabled``, carries a nonce made afresh for each response. Pages may not be framed, sniffed
into another type, cached (they show case data) or leak their address to other sites.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

# Static files (styles, scripts) hold no case data and may be cached.
_CACHEABLE_ENDPOINTS = {"static"}


def csp_nonce() -> str:
    """Return this response's nonce for the page template's inline script."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    """Return the policy: this site's own scripts, styles, images and fonts, nothing inline but
    the script carrying the nonce, no plugins, no framing, forms posting only here."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def add_security_headers(response: Response, hsts_max_age: int) -> Response:
    """Set the security headers on a response (the CSP only where the app did not already)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if hsts_max_age:
        headers["Strict-Transport-Security"] = f"max-age={hsts_max_age}; includeSubDomains"
    if request.endpoint not in _CACHEABLE_ENDPOINTS:
        # Pages and downloads show case data: never kept by the browser or a proxy.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def init_headers(app: Flask) -> None:
    """Add the headers to every response and give templates the nonce as ``cspNonce``."""

    @app.context_processor
    def nonce_for_templates() -> dict[str, str]:
        return {"cspNonce": csp_nonce()}

    @app.after_request
    def security_headers(response: Response) -> Response:
        return add_security_headers(response, app.config.get("HSTS_MAX_AGE", 0))
