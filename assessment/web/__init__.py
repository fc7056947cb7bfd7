"""The app's own routes beside Streamlit's pages (served by the same ASGI app, ``app.py``):
the employee survey as plain HTML (:mod:`.survey`), the JSON API for other systems
(:mod:`.api`, described by :mod:`.openapi`), old survey addresses sent on to it
(:mod:`.links`), the security headers on every response (:mod:`.headers`) and Streamlit's
page's ``<html lang>`` (:mod:`.html_lang`). Nothing here
imports Streamlit."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from .api import routes as api_routes
from .headers import SecurityHeaders
from .html_lang import HtmlLang
from .links import LegacyLinks
from .survey import routes as survey_routes


def routes() -> list[BaseRoute]:
    return survey_routes() + api_routes()


def middleware() -> list[Middleware]:
    return [Middleware(SecurityHeaders), Middleware(LegacyLinks),  # headers on redirects too
            Middleware(HtmlLang)]
