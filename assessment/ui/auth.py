"""Sign-in for the app: who is signed in on this run, the sign-in form, sign-out.

The session token lives in ``st.session_state`` while the browser tab is connected and in a
cookie (``werkbaar_session``, SameSite=Strict, Secure on https) so that a page refresh keeps
the person signed in. The cookie is written by a small script (Streamlit has no API to set
one) and read back by ``st.context.cookies``; the server trusts it only after looking its hash
up in the sessions table, so a forged, old or signed-out token opens nothing.

A successful sign-in also leaves a device token (cookie ``werkbaar_device``, 90 days): with it,
the same account signs in from this browser even while strangers keep its user name locked
(see ``assessment.lockout``). When every Argon2 slot is taken, the form says "try again in a
moment" and counts nothing.

When ``[auth]`` is configured in ``.streamlit/secrets.toml``, people can also sign in with
OpenID Connect (``st.login``); their e-mail address must be the user name of an active
account, which gives the role. See the README.
"""

from __future__ import annotations

import streamlit as st

from .. import accounts, lockout
from ..access import Scope
from . import context, run_context, tr

COOKIE = "werkbaar_session"
DEVICE_COOKIE = "werkbaar_device"
DEVICE_KEY = "_device_token"  # the device token still to be written to the cookie
KEPT_DEVICE_KEY = "_device"  # this tab's device token, kept at sign-out (st.context.cookies
# holds the cookies of the page load, so a cookie written since is not seen until a reload)
TOKEN_KEY = "_session_token"
OIDC_KEY = "_oidc_identity"  # the OpenID Connect identity already audited in this tab
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
    ctx = context()
    had_session = TOKEN_KEY in st.session_state
    for token in (st.session_state.get(TOKEN_KEY), st.context.cookies.get(COOKIE)):
        account = accounts.session_account(ctx, token)
        if account:
            st.session_state[TOKEN_KEY] = token
            return account.scope()
    st.session_state.pop(TOKEN_KEY, None)
    if had_session:
        st.session_state["_session_ended"] = True
        _write_cookie(COOKIE, "")
    if oidc_configured() and st.user.is_logged_in:
        email = st.user.get("email")
        if st.session_state.get(OIDC_KEY) != email:  # a new identity in this tab: a sign-in
            st.session_state[OIDC_KEY] = email
            account = accounts.oidc_sign_in(ctx, email)
        else:
            account = accounts.account_for_email(ctx, email)
        if account:
            return account.scope()
    return None


def _write_cookie(name: str, token: str, *more: tuple[str, str]) -> None:
    """Set (or, with an empty token, delete) the session cookie (``COOKIE``) or the device
    cookie (``DEVICE_COOKIE``) in the browser; ``more`` gives further (name, token) pairs for
    the same script. Tokens are URL-safe base64, so they need no quoting."""
    lines = []
    for cookie, value in ((name, token), *more):
        days = lockout.DEVICE_DAYS * 24 if cookie == DEVICE_COOKIE else accounts.MAX_HOURS
        age = days * 3600 if value else 0
        lines.append("document.cookie = '" + cookie + "=" + value + "; Path=/; Max-Age="
                     + str(age) + "; SameSite=Strict' + secure;")
    st.html(
        "<script>const secure = location.protocol === 'https:' ? '; Secure' : '';"
        + "".join(lines) + "</script>",
        unsafe_allow_javascript=True, width=1,
    )


def flush_cookie() -> None:
    """Write the cookies of a sign-in that happened on the previous run (a rerun follows a
    successful sign-in at once, so the script is written on the first full page)."""
    if st.session_state.pop("_cookie_pending", False) and st.session_state.get(TOKEN_KEY):
        device = st.session_state.pop(DEVICE_KEY, None)
        _write_cookie(COOKIE, st.session_state[TOKEN_KEY],
                      *([(DEVICE_COOKIE, device)] if device else []))


def sign_in_form() -> None:
    """The sign-in form. A wrong user name or password, a disabled or locked account: all get
    the same message."""
    ctx = context()
    if st.session_state.pop("_session_ended", False):
        st.info(tr("auth.session_ended"))
    if st.session_state.pop("_signed_out", False):
        st.success(tr("auth.signed_out"))
        _write_cookie(COOKIE, "")
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
        device = st.context.cookies.get(DEVICE_COOKIE) or st.session_state.get(KEPT_DEVICE_KEY)
        try:
            # the TCP peer (None on localhost: no address budget there)
            account, token = accounts.sign_in(ctx, username, password, device=device,
                                              client=st.context.ip_address)
        except accounts.SignInBusyError:
            st.warning(tr("auth.busy"))
        except accounts.SignInError:
            st.session_state["_sign_in_failures"] = failures + 1
            if failures + 1 >= MAX_SESSION_FAILURES:
                st.rerun()  # show the form disabled at once
            st.error(tr("auth.failed", max=lockout.MAX_FAILURES,
                        minutes=lockout.LOCK_MINUTES))
        else:
            st.session_state[TOKEN_KEY] = token
            device = lockout.remember_device(ctx, account.id, device)
            st.session_state[DEVICE_KEY] = st.session_state[KEPT_DEVICE_KEY] = device
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
    with run_context() as ctx:  # a button's callback: before the run's own context
        accounts.end_session(ctx, st.session_state.pop(TOKEN_KEY, None))
    for key in list(st.session_state):
        if key not in ("lang", "lang_choice", KEPT_DEVICE_KEY):
            del st.session_state[key]
    st.session_state["_signed_out"] = True
    if oidc_configured() and st.user.is_logged_in:
        st.logout()
