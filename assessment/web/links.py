"""Old survey addresses keep working: an invitation link, a slip's QR code or an e-mail made
before the survey moved to its own pages (``/?token=…``, ``/?code=…``, ``/survey?…``) is sent
on to the new address (``/s/<token>``, ``/s/code/<code>``) with a 303 before Streamlit's page
is served, so nothing of Streamlit's front end loads for a respondent. A pure ASGI middleware.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlencode

from ..i18n import LANGUAGES

OLD_PATHS = ("/", "/survey")


def new_address(path: str, query: str) -> str | None:
    """Where an old survey address now lives, or None when ``path``/``query`` is not one."""
    if path not in OLD_PATHS:
        return None
    params = {k: v[0] for k, v in parse_qs(query).items() if v}
    keep = {"lang": params["lang"]} if params.get("lang") in LANGUAGES else {}
    tail = f"?{urlencode(keep)}" if keep else ""
    if params.get("token"):
        return f"/s/{quote(params['token'], safe='')}{tail}"
    if params.get("code"):
        return f"/s/code/{quote(params['code'], safe='')}{tail}"
    if params.get("sent") == "1":
        return f"/s/thanks{tail}"
    return None


class LegacyLinks:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            target = new_address(scope.get("path", ""),
                                 scope.get("query_string", b"").decode("latin-1"))
            if target:
                await send({"type": "http.response.start", "status": 303,
                            "headers": [(b"location", target.encode()),
                                        (b"content-length", b"0")]})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)
