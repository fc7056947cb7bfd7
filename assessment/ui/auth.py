"""Sign-in for the app: who is signed in on this run, the sign-in form, sign-out.

The session token lives in ``st.session_state`` while the browser tab is connected and in a
cookie (``werkbaar_session``, SameSite=Strict, Secure on https) so that a page refresh keeps
the person signed in. The cookie is written by a small script (Streamlit has no API to set
one) and read back by ``st.context.cookies``; the server trusts it only after looking its hash
up in the sessions table, so a forged, old or signed-out token opens nothing.

When ``[auth]`` is configured in ``.streamlit/secrets.toml``, people can also sign in with
OpenID Connect (``st.login``); their e-mail address must be the user name of an active
account, which gives the role. See the README.
"""

from __future__ import annotations

import streamlit as st

from .. import accounts
from ..access import Scope
from . import database, tr

COOKIE = "werkbaar_session"
TOKEN_KEY = "_session_token"
MAX_SESSION_FAILURES = 10  # sign-in attempts one browser session may fail before it must reload


def oidc_configured() -> bool:
    """Whether ``st.login`` can be used: an ``[auth]`` section in the secrets."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def resolve_scope() -> Scope | None:
    """Who is signed in, checked against the database on every run; ``None`` for nobody.

    Order: this tab's session token, then the cookie the browser sent, then an OpenID Connect
    identity mapped to an account by e-mail address.
    """
    db = database()
    had_session = TOKEN_KEY in st.session_state
    for token in (st.session_state.get(TOKEN_KEY), st.context.cookies.get(COOKIE)):
        account = accounts.session_account(token, db_path=db)
        if account:
            st.session_state[TOKEN_KEY] = token
            return account.scope()
    st.session_state.pop(TOKEN_KEY, None)
    if had_session:
        st.session_state["_session_ended"] = True
        _write_cookie("")
    if oidc_configured() and st.user.is_logged_in:
        account = accounts.account_for_email(st.user.get("email"), db_path=db)
        if account:
            return account.scope()
    return None


def _write_cookie(token: str) -> None:
    """Set (or, with an empty token, delete) the session cookie in the browser."""
    age = accounts.MAX_HOURS * 3600 if token else 0
    st.html(
        "<script>document.cookie = '" + COOKIE + "=" + token + "; Path=/; Max-Age=" + str(age)
        + "; SameSite=Strict' + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True, width=1,
    )


def flush_cookie() -> None:
    """Write the cookie of a sign-in that happened on the previous run (a rerun follows a
    successful sign-in at once, so the script is written on the first full page)."""
    if st.session_state.pop("_cookie_pending", False) and st.session_state.get(TOKEN_KEY):
        _write_cookie(st.session_state[TOKEN_KEY])


def sign_in_form() -> None:
    """The sign-in form. A wrong user name or password, a disabled or locked account: all get
    the same message."""
    db = database()
    if st.session_state.pop("_session_ended", False):
        st.info(tr("auth.session_ended"))
    if st.session_state.pop("_signed_out", False):
        st.success(tr("auth.signed_out"))
        _write_cookie("")
    failures = st.session_state.get("_sign_in_failures", 0)
    with st.form("sign_in"):
        username = st.text_input(tr("auth.username"), max_chars=200, autocomplete="username")
        password = st.text_input(tr("auth.password"), type="password", max_chars=500,
                                 autocomplete="current-password")
        submitted = st.form_submit_button(tr("auth.sign_in"), type="primary",
                                          disabled=failures >= MAX_SESSION_FAILURES)
    if failures >= MAX_SESSION_FAILURES:
        st.error(tr("auth.too_many"))
        return
    if submitted:
        try:
            _account, token = accounts.sign_in(username, password, db_path=db)
        except accounts.SignInError:
            st.session_state["_sign_in_failures"] = failures + 1
            if failures + 1 >= MAX_SESSION_FAILURES:
                st.rerun()  # show the form disabled at once
            st.error(tr("auth.failed", max=accounts.MAX_FAILURES,
                        minutes=accounts.LOCK_MINUTES))
        else:
            st.session_state[TOKEN_KEY] = token
            st.session_state["_cookie_pending"] = True
            st.session_state.pop("_sign_in_failures", None)
            st.rerun()
    if oidc_configured():
        st.divider()
        if st.user.is_logged_in:
            st.warning(tr("auth.no_account", email=st.user.get("email") or "?"))
            st.button(tr("auth.sign_out"), on_click=st.logout)
        else:
            st.button(tr("auth.sign_in_oidc"), on_click=st.login)


def sign_out() -> None:
    """End the session on the server (a kept copy of the token opens nothing afterwards),
    forget it in this tab and delete the cookie."""
    accounts.end_session(st.session_state.pop(TOKEN_KEY, None), db_path=database())
    for key in list(st.session_state):
        if key not in ("lang", "lang_choice"):
            del st.session_state[key]
    st.session_state["_signed_out"] = True
    if oidc_configured() and st.user.is_logged_in:
        st.logout()
