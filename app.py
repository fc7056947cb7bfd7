"""Werkbaar: the Streamlit entry point. The routing lives in ``assessment.ui.router``."""

from assessment.ui.router import run_app

run_app()
