"""Werkbaar's entry point (``streamlit run app.py``): one ASGI app, one process, serving the
employer pages (Streamlit, the script ``ui_app.py``, routed by ``assessment.ui.router``) and
the routes that need no dashboard framework (the employee survey under ``/s/``), with the
security headers of :mod:`assessment.web.headers` on every response."""

from pathlib import Path

import streamlit as st

from assessment.web import middleware, routes

app = st.App(Path(__file__).with_name("ui_app.py"), routes=routes(), middleware=middleware())
