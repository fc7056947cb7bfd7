"""``<html lang>`` on Streamlit's pages. Streamlit serves one ``index.html`` for every page,
declaring ``<html lang="en">`` whatever the language; a screen reader then reads Dutch or French
with English pronunciation (WCAG 3.1.1). This ASGI middleware rewrites that attribute in the
page as it is sent, to the language the page will show: a ``?lang=`` in the address, else the
language this browser chose before (the ``werkbaar_lang`` cookie the language switch sets), else
the browser's ``Accept-Language``, else Dutch — the same order as :func:`assessment.ui.lang`.
When the user switches language on the page, the switch sets the attribute at once
(:func:`assessment.ui.language_switch`). Our own HTML routes (``/s/``) write their own.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from ..i18n import LANGUAGE_COOKIE, LANGUAGES, language_from_header
from .headers import SURVEY_PREFIX

STREAMLIT_HTML = b'<html lang="en">'
CONDITIONAL = (b"if-none-match", b"if-modified-since")
MAX_PAGE = 1 << 20  # Streamlit's index.html is about 2 kB; anything larger is not it


def page_language(query: str, cookie_header: str, accept_language: str) -> str:
    """The language a Streamlit page opens in, from its request."""
    asked = (parse_qs(query).get("lang") or [""])[0]
    if asked in LANGUAGES:
        return asked
    cookies = SimpleCookie()
    try:
        cookies.load(cookie_header)
    except Exception:  # noqa: BLE001 - a malformed cookie header must not break the page
        cookies = SimpleCookie()
    remembered = cookies.get(LANGUAGE_COOKIE)
    if remembered is not None and remembered.value in LANGUAGES:
        return remembered.value
    return language_from_header(accept_language)


class HtmlLang:
    """ASGI middleware: Streamlit's HTML page with ``<html lang>`` set (see the module)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(SURVEY_PREFIX) \
                or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1")
                   for name, value in scope.get("headers", [])}
        # The page differs per language: never a 304 to a browser whose cached copy has
        # another language (Streamlit answers If-None-Match from its file's ETag).
        scope = {**scope, "headers": [(n, v) for n, v in scope.get("headers", [])
                                      if n.lower() not in CONDITIONAL]}
        lang = page_language(scope.get("query_string", b"").decode("latin-1"),
                             headers.get("cookie", ""), headers.get("accept-language", ""))
        started: dict = {}
        body = bytearray()

        async def rewrite(message):
            if message["type"] == "http.response.start":
                found = {n.lower(): v for n, v in message.get("headers", [])}
                html = found.get(b"content-type", b"").startswith(b"text/html")
                if not html or b"content-encoding" in found:
                    started["pass"] = True
                    await send(message)
                else:
                    started["message"] = message
                return
            if started.get("pass") or message["type"] != "http.response.body":
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body") and len(body) < MAX_PAGE:
                return
            page = bytes(body).replace(STREAMLIT_HTML, f'<html lang="{lang}">'.encode(), 1)
            start = started["message"]
            start["headers"] = [(n, v) for n, v in start.get("headers", [])
                                if n.lower() not in (b"content-length", b"etag",
                                                     b"last-modified")]
            start["headers"] += [(b"content-length", str(len(page)).encode()),
                                 (b"vary", b"Cookie, Accept-Language")]
            started["pass"] = True
            await send(start)
            await send({"type": "http.response.body", "body": page,
                        "more_body": message.get("more_body", False)})

        await self.app(scope, receive, rewrite)
