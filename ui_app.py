"""Werkbaar's Streamlit script: the employer pages, routed by ``assessment.ui.router``; ``app.py``
serves it beside the survey's own routes."""

from assessment.mail_sender import start_background_sender
from assessment.ui.router import run_app

start_background_sender()  # once per process; e-mail invitations go out while the app runs
run_app()
