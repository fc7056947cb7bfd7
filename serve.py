"""Answers without the 40 ms wait: ``TCP_NODELAY`` on the app's listening socket.

Streamlit 1.67 binds its socket itself (``starlette_server._bind_socket``) without naming the
TCP protocol, so asyncio does not switch Nagle's algorithm off on the connections it accepts,
as it does for sockets it makes. Uvicorn writes an answer's headers and body apart; on a
kept-alive connection (an API client's session, a reverse proxy such as the compose files'
Caddy) the body then waited for the client's delayed acknowledgement: every API call took
44 ms where it needs 2 (``benchmarks/api.py``). Linux passes the option of a listening socket
on to the connections it accepts, so setting it once there is enough.

:func:`install` wraps Streamlit's private binder; if a later Streamlit has none, it changes
nothing and says so in the log (the app still runs, with the wait). The socket is bound before
``app.py`` is read, so ``werkbaar run`` starts Streamlit through this module
(``python -m serve run app.py …`` in the app's folder: Streamlit's own command line after
:func:`install`), in the same process. It lives beside ``app.py``, not in ``assessment/``,
because it imports Streamlit.
"""

from __future__ import annotations

import logging
import socket
import sys
from functools import wraps

log = logging.getLogger(__name__)


def no_delay(sock: socket.socket) -> socket.socket:
    """``sock`` with Nagle's algorithm off (a TCP socket; others are left as they are)."""
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def install() -> bool:
    """Make Streamlit's server bind its listening socket with ``TCP_NODELAY``; return whether
    it could (idempotent)."""
    try:
        from streamlit.web.server.starlette import starlette_server
    except ImportError:
        starlette_server = None
    bind = getattr(starlette_server, "_bind_socket", None)
    if bind is None:
        log.warning("TCP_NODELAY not set: this Streamlit binds its socket elsewhere")
        return False
    if getattr(bind, "werkbaar_no_delay", False):
        return True

    @wraps(bind)
    def bind_without_delay(*args, **kwargs):
        return no_delay(bind(*args, **kwargs))

    bind_without_delay.werkbaar_no_delay = True
    starlette_server._bind_socket = bind_without_delay
    return True


if __name__ == "__main__":  # python -m serve run app.py [options]
    from streamlit.web.cli import main

    install()
    sys.argv = ["streamlit", *sys.argv[1:]]
    sys.exit(main())
