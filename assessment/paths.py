"""Where the app's files and the default database live, in a checkout and in an installed wheel.

The one home for these locations: the Streamlit entry script (``app.py``), the page scripts
(``app_pages/``), the data files (``data/``), Streamlit's settings (``.streamlit/config.toml``)
and the default database.

Layout. The repository keeps the top level of the design card readable (``app.py``,
``app_pages/``, ``data/``, ``assessment/``). The wheel carries the same files unchanged under
one package directory, ``werkbaar_app/``, beside ``assessment/`` in ``site-packages``:
``pyproject.toml`` maps the package ``werkbaar_app`` to the repository root (setuptools
``package-dir``), with ``app.py`` as its only module and the pages, data and Streamlit settings
as package data. Moving the files into ``assessment/`` would bury the app's pages and data in
the domain package and break the rule that no Streamlit code lives in ``assessment`` outside
``assessment/ui``; a second copy of them would drift.

So the app directory is ``site-packages/werkbaar_app`` when it exists next to this package
(installed from the wheel), else the directory holding ``assessment/`` (a checkout, also with
the editable install ``pip install -e .`` that ``make`` uses). Both hold ``app.py``,
``ui_app.py``, ``app_pages/``, ``data/`` and ``.streamlit/config.toml`` side by side, so page
paths such as ``app_pages/home.py`` resolve against the entry script's folder in both, and
``werkbaar run`` finds Streamlit's settings by starting Streamlit in that folder.

The default database (``$WERKBAAR_DB`` and ``--db`` override it, see
:func:`assessment.storage.db_path`): ``var/werkbaar.db`` in the checkout, or, installed,
``$XDG_DATA_HOME/werkbaar/werkbaar.db`` (``~/.local/share/werkbaar/werkbaar.db`` when
``XDG_DATA_HOME`` is unset or not absolute, as the XDG base directory specification says), so
an installed tool never writes into ``site-packages`` or into whatever directory it is run from.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_PACKAGE = "werkbaar_app"
_HERE = Path(__file__).resolve().parent
_INSTALLED_DIR = _HERE.parent / APP_PACKAGE

INSTALLED = (_INSTALLED_DIR / "app.py").is_file()
APP_DIR = _INSTALLED_DIR if INSTALLED else _HERE.parent
APP_SCRIPT = APP_DIR / "app.py"
PAGES_DIR = APP_DIR / "app_pages"
DATA_DIR = APP_DIR / "data"
STREAMLIT_CONFIG = APP_DIR / ".streamlit" / "config.toml"

CHECKOUT_DB = Path("var") / "werkbaar.db"  # under the checkout's top folder
USER_DB = Path("werkbaar") / "werkbaar.db"  # under $XDG_DATA_HOME (installed)


def user_data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset, empty or relative."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def default_db_path() -> Path:
    """The database file used when neither ``--db`` nor ``$WERKBAAR_DB`` names one (absolute)."""
    return user_data_home() / USER_DB if INSTALLED else APP_DIR / CHECKOUT_DB
