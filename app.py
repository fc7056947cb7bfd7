"""Werkbaar's entry point (``streamlit run app.py``): one ASGI app, one process, serving the
employer pages (Streamlit, the script ``ui_app.py``, routed by ``assessment.ui.router``) and
the routes that need no dashboard framework (the employee survey under ``/s/``), with the
security headers of :mod:`assessment.web.headers` on every response."""

from pathlib import Path

import streamlit as st

from assessment import logs
from assessment.web import middleware, routes

logs.configure()  # before Uvicorn logs its start: every line in WERKBAAR_LOG_FORMAT
app = st.App(Path(__file__).with_name("ui_app.py"), routes=routes(), middleware=middleware(),
             lifespan=logs.serving)  # the shutdown line
