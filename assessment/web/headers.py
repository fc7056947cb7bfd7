"""Security headers on every response of the app, Streamlit's pages and our own routes alike
(issue 25): a pure ASGI middleware, so it also covers Streamlit's static files and never
buffers a body.

- ``Referrer-Policy: no-referrer``: a page opened from an invitation link never sends its
  address (the token) to another site, not even to our own pages' links;
- ``X-Content-Type-Options: nosniff``; ``X-Frame-Options: DENY`` and CSP ``frame-ancestors
  'none'``: no page can be framed (clickjacking);
- ``Permissions-Policy``: no camera, microphone, geolocation, payment or USB;
- ``Content-Security-Policy``: the survey's pages (:data:`SURVEY_PREFIX`) get the strict one,
  everything from our own host and no script at all (they need none); Streamlit's pages get
  one that allows what Streamlit's front end needs (its inline styles, ``eval`` in its charts,
  its websocket, ``data:`` and ``blob:`` images) and still nothing from another host.

Decision: headers a route sets itself win (a download's own ``Content-Disposition`` etc. are
untouched; a route may send a stricter CSP).
"""

from __future__ import annotations

SURVEY_PREFIX = "/s/"

COMMON = {
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cross-origin-opener-policy": "same-origin",
}
SURVEY_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
              "frame-ancestors 'none'; base-uri 'none'")
APP_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
           "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
           "font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self' blob:; "
           "frame-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
           "form-action 'self'")


def headers_for(path: str) -> dict[str, str]:
    """The security headers of a response to ``path``."""
    csp = SURVEY_CSP if path.startswith(SURVEY_PREFIX) else APP_CSP
    return {**COMMON, "content-security-policy": csp}


class SecurityHeaders:
    """ASGI middleware adding :func:`headers_for` to every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope.get("path", ""))

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(
                    (name.encode(), value.encode()) for name, value in extra.items()
                    if name.encode() not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)
