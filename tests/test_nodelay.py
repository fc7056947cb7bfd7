"""``werkbaar run`` serves without Nagle's 40 ms wait (serve.py): the socket
Streamlit binds gets ``TCP_NODELAY``, and the connections it accepts inherit it. Without it,
every API answer on a kept-alive connection took 44 ms instead of 2 (benchmarks/api.py)."""

from __future__ import annotations

import socket

from streamlit.web.server.starlette import starlette_server

import serve as nodelay


def accepted_no_delay() -> int:
    """TCP_NODELAY of a connection accepted on a socket bound as Streamlit binds it."""
    listening, _ = starlette_server._bind_server_socket("127.0.0.1", "127.0.0.1", 0, 8)
    with listening, socket.create_connection(listening.getsockname()) as client:
        listening.setblocking(True)
        accepted, _ = listening.accept()
        with accepted:
            assert client
            return accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_streamlits_own_socket_waits_and_ours_does_not(monkeypatch):
    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)
    assert accepted_no_delay() == 0  # Streamlit 1.67 as it is: the reason for the module
    assert nodelay.install() and nodelay.install()  # idempotent
    assert accepted_no_delay() == 1


def test_without_streamlits_binder_nothing_changes(monkeypatch):
    monkeypatch.delattr(starlette_server, "_bind_socket")
    assert nodelay.install() is False
