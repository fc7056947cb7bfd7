"""Werkbaar: the Streamlit entry point. The routing lives in ``assessment.ui.router``."""

from assessment.mail_sender import start_background_sender
from assessment.ui.router import run_app

start_background_sender()  # once per process; e-mail invitations go out while the app runs
run_app()
