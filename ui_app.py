"""Werkbaar's Streamlit script: the employer pages, routed by ``assessment.ui.router``; ``app.py``
serves it beside the survey's own routes."""

from assessment import batch, webhook_sender
from assessment.mail_sender import start_background_sender
from assessment.ui.router import run_app

start_background_sender()  # once per process; e-mail invitations go out while the app runs
webhook_sender.start_background_sender()  # once per process; WERKBAAR_WEBHOOKS=off: none
batch.start_background()  # once per process: sector years and large rounds, never in a page run
run_app()
