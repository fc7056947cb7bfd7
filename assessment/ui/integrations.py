"""The parts of the page **Koppelingen** (``app_pages/integrations.py``, issue 30): the
account's own API tokens (:mod:`assessment.api_tokens`) and, for the roles that may, the
webhooks of an organisation or a sector (:mod:`assessment.webhooks`).

A token and a webhook's signing secret are shown once, in the run right after they were made:
the click's run puts them in the session, the next run takes them out and shows them, and no
later run has them (they are never logged; the database holds the token's hash only). Every
write goes through the domain modules with the caller's scope, which audit it; a refusal is
shown as its problems, a scope that does not cover something as the neutral "no access",
never a traceback. No ``st.caption``: its grey on white (3.9:1) fails WCAG AA, which axe-core
checks on this page (tests/e2e/test_integrations.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from .. import api_tokens, clock, formatting, webhooks
from ..access import (
    EDIT_ORGANISATION,
    PLATFORM_ADMIN,
    SECTOR_ANALYST,
    AccessDenied,
    Scope,
    Sector,
)
from ..errors import InputError
from ..organisations import get_organisation
from . import base_url, organisation_picker, plain, sector_label, show_input_error, tr

NEW_TOKEN_KEY = "_integrations_token"  # the token just made: shown in the next run only
NEW_SECRET_KEY = "_integrations_secret"  # the webhook's signing secret: likewise
DONE_KEY = "_integrations_done"  # (section, message key, params) shown after the rerun
OTHER_SECTOR = "sector"  # a platform admin's choice: a sector typed in
DEFAULT_DAYS = 90


def done_message(section: str) -> None:
    """What the last revocation, test message or removal in ``section`` did (it reran the
    page), shown in that section."""
    done = st.session_state.get(DONE_KEY)
    if done and done[0] == section:
        del st.session_state[DONE_KEY]
        st.success(tr(done[1], **done[2]))


def _moment(stamp: str | None, lang: str) -> str:
    """A stored UTC time as the reader's day and Brussels time: "07/12/2026 10:30"."""
    if not stamp:
        return formatting.MISSING
    moment = datetime.fromisoformat(stamp)
    moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(clock.ZONE)
    return f"{formatting.day(moment, lang)} {moment:%H:%M}"


def _code(text: str) -> str:
    """``text`` as inline code: shown as typed, and an address is not made a link."""
    return f"`` {text.replace('`', '%60')} ``"


def _done(section: str, key: str, **params) -> None:
    st.session_state[DONE_KEY] = (section, key, params)
    st.rerun()


# --- API tokens ------------------------------------------------------------------------------


def tokens(ctx, scope: Scope, lang: str) -> None:
    """What a token reaches and how it is sent, the form for a new one, the token just made
    (once), and the account's tokens with a revoke button per live one."""
    st.subheader(tr("integrations.tokens"), anchor=False)
    st.markdown(tr(f"integrations.reach.{scope.role}"))
    try:
        rate = formatting.number(api_tokens.calls_per_minute(), lang)
    except ValueError:  # a broken setting: the API says so itself
        rate = formatting.number(api_tokens.DEFAULT_RATE, lang)
    st.markdown(tr("integrations.how", url=f"{base_url()}/api/v1/openapi.json", rate=rate))
    _token_form(ctx, scope, lang)
    fresh = st.session_state.pop(NEW_TOKEN_KEY, None)
    if fresh:
        st.success(tr("integrations.token_made", name=plain(fresh["name"]),
                      expires=formatting.day(fresh["expires"], lang)))
        st.warning(tr("integrations.token_once"))
        st.code(fresh["token"], language=None)
    st.markdown(f"**{tr('integrations.your_tokens')}**")
    done_message("tokens")
    _token_table(ctx, scope, lang)


def _token_form(ctx, scope: Scope, lang: str) -> None:
    days = {d: tr("integrations.days", days=formatting.number(d, lang))
            for d in api_tokens.DAYS}  # a dict: AppTest formats options outside the run
    with st.form("new_token", clear_on_submit=True):
        st.markdown(f"**{tr('integrations.new_token')}**")
        name = st.text_input(tr("integrations.token_name"), max_chars=api_tokens.MAX_NAME,
                             placeholder=tr("integrations.token_name_placeholder"),
                             key="token_name")
        lifetime = st.radio(tr("integrations.lifetime"), list(days), horizontal=True,
                            index=list(days).index(DEFAULT_DAYS), format_func=days.__getitem__,
                            key="token_days")
        if not st.form_submit_button(tr("integrations.create_token"), type="primary"):
            return
    try:
        token, clear = api_tokens.create(ctx, scope, name, lifetime)
    except InputError as error:
        show_input_error(error)
        return
    except AccessDenied:
        st.error(tr("access.denied"))
        return
    st.session_state[NEW_TOKEN_KEY] = {"name": token.name, "expires": token.expires_on,
                                       "token": clear}
    st.rerun()  # the list below shows it


def token_state(token: api_tokens.ApiToken, today) -> str:
    if token.revoked_at is not None:
        return "revoked"
    return "live" if token.live(today) else "expired"


def _token_table(ctx, scope: Scope, lang: str) -> None:
    found = api_tokens.list_tokens(ctx, scope)
    if not found:
        st.markdown(tr("integrations.no_tokens"))
        return
    st.table(pd.DataFrame([{
        tr("integrations.col_name"): plain(token.name),
        tr("integrations.col_prefix"): plain(token.prefix + "…"),
        tr("integrations.col_created"): _moment(token.created_at, lang),
        tr("integrations.col_expires"): formatting.day(token.expires_on, lang),
        tr("integrations.col_used"): _moment(token.last_used_at, lang)
        if token.last_used_at else tr("integrations.never_used"),
        tr("integrations.col_state"): tr(f"integrations.state.{token_state(token, ctx.today)}"),
    } for token in found]), hide_index=True)
    buttons = st.container(horizontal=True)
    for token in found:
        if token.live(ctx.today):
            with buttons:
                _revoke_button(ctx, scope, token)


def _revoke_button(ctx, scope: Scope, token: api_tokens.ApiToken) -> None:
    with st.popover(tr("integrations.revoke", name=plain(token.name)),
                    icon=":material/key_off:"):
        st.write(tr("integrations.revoke_confirm"))
        if not st.button(tr("integrations.revoke_now"), type="primary",
                         key=f"revoke_token:{token.id}"):
            return
    try:
        api_tokens.revoke(ctx, scope, token.id)
    except AccessDenied:
        st.error(tr("access.denied"))
        return
    _done("tokens", "integrations.revoked", name=plain(token.name))


# --- webhooks --------------------------------------------------------------------------------


def may_subscribe(scope: Scope) -> bool:
    """Whether the role may have webhooks: an organisation's editors, a sector's analyst."""
    return scope.may(EDIT_ORGANISATION) or scope.role == SECTOR_ANALYST


def _targets(ctx, scope: Scope) -> dict[str, str]:
    """What ``scope`` may subscribe to, by key (``organisation:<id>``, a sector key, or
    :data:`OTHER_SECTOR`), with its label: the organisation worked on (for an organisation
    admin its own; for a platform admin the one chosen in the sidebar), the analyst's sectors,
    and for a platform admin any sector typed in."""
    found = {}
    if scope.may(EDIT_ORGANISATION):
        org = organisation_picker()
        if org is not None and scope.allows_organisation(org.id):
            found[f"organisation:{org.id}"] = tr("integrations.for_organisation", name=org.name)
    if scope.role == SECTOR_ANALYST:
        found |= {s.key: tr("integrations.for_sector", sector=sector_label(s))
                  for s in scope.sectors}
    if scope.role == PLATFORM_ADMIN:
        found[OTHER_SECTOR] = tr("integrations.for_other_sector")
    return found


def webhooks_section(ctx, scope: Scope, lang: str) -> None:
    """The events, the signature, the form for a new webhook, its secret (once), and the
    webhooks the caller may see with their latest deliveries. Nothing for a role without
    webhooks (an HR viewer)."""
    if not may_subscribe(scope):
        return
    st.subheader(tr("integrations.webhooks"), anchor=False)
    st.markdown(tr("integrations.webhooks_intro") + "\n" + "".join(
        f"\n- `{event}`: {tr(f'integrations.event.{event}')}" for event in webhooks.EVENTS))
    st.markdown(tr("integrations.events_for"))
    st.markdown(tr("integrations.webhooks_ids"))
    st.markdown(tr("integrations.webhooks_signature",
                   minutes=formatting.number(webhooks.TOLERANCE_S // 60, lang)))
    _webhook_form(ctx, scope)
    fresh = st.session_state.pop(NEW_SECRET_KEY, None)
    if fresh:
        st.success(tr("integrations.webhook_made"))
        st.warning(tr("integrations.secret_once"))
        st.code(fresh, language=None)
    st.markdown(f"**{tr('integrations.your_webhooks')}**")
    done_message("webhooks")
    found = webhooks.list_for(ctx, scope)
    if not found:
        st.markdown(tr("integrations.no_webhooks"))
    for hook in found:
        _webhook(ctx, scope, hook, lang)


def _webhook_form(ctx, scope: Scope) -> None:
    targets = _targets(ctx, scope)
    if not targets:  # an analyst without sectors
        return
    with st.container(border=True):  # one box, like the token's form: the choice reruns
        st.markdown(f"**{tr('integrations.new_webhook')}**")
        chosen = st.selectbox(tr("integrations.target"), list(targets),
                              format_func=targets.__getitem__, key="webhook_target")
        with st.form("new_webhook", clear_on_submit=True, border=False):
            typed = st.text_input(tr("integrations.sector_key"), max_chars=20,
                                  key="webhook_sector") if chosen == OTHER_SECTOR else ""
            url = st.text_input(tr("integrations.webhook_url"), max_chars=webhooks.MAX_URL,
                                placeholder="https://", key="webhook_url")
            if not st.form_submit_button(tr("integrations.add_webhook"), type="primary"):
                return
    where: dict = {}
    try:
        if chosen.startswith("organisation:"):
            where["organisation_id"] = int(chosen.partition(":")[2])
        else:
            where["sector"] = Sector.parse(typed if chosen == OTHER_SECTOR else chosen)
    except ValueError:
        st.error(tr("integrations.sector_invalid"))
        return
    try:
        _, secret = webhooks.create(ctx, scope, url, **where)
    except InputError as error:
        show_input_error(error)
        return
    except AccessDenied:
        st.error(tr("access.denied"))
        return
    st.session_state[NEW_SECRET_KEY] = secret
    st.rerun()


def _target_label(ctx, hook: webhooks.Webhook) -> str:
    if hook.sector is not None:
        return tr("integrations.for_sector", sector=sector_label(Sector.parse(hook.sector)))
    org = get_organisation(ctx, hook.organisation_id)
    return tr("integrations.for_organisation",
              name=org.name if org else str(hook.organisation_id))


def delivery_state(delivery: webhooks.Delivery) -> str:
    """A delivery's state as the reader says it, with the last error while one is known."""
    if delivery.state == webhooks.QUEUED and delivery.attempts:
        return tr("integrations.delivery.retry", error=delivery.error or "—")
    if delivery.state == webhooks.FAILED:
        return tr("integrations.delivery.failed", error=delivery.error or "—")
    return tr(f"integrations.delivery.{delivery.state}")


def _webhook(ctx, scope: Scope, hook: webhooks.Webhook, lang: str) -> None:
    """One webhook: what it listens to, where it posts, its latest deliveries (not the events
    from before it was made, which it skipped), a test message and removal."""
    try:
        sent = [d for d in webhooks.deliveries(ctx, scope, hook.id)
                if d.state != webhooks.SKIPPED]
    except (AccessDenied, webhooks.UnknownWebhookError):
        return
    with st.container(border=True, key=f"webhook-{hook.id}"):
        st.markdown(f"**{plain(_target_label(ctx, hook))}**  \n{_code(hook.url)}  \n"
                    + tr("integrations.webhook_since", when=_moment(hook.created_at, lang)))
        if sent:
            st.table(pd.DataFrame([{
                tr("integrations.col_event"): tr(f"integrations.event.{d.event}"),
                tr("integrations.col_state"): plain(delivery_state(d)),
                tr("integrations.col_attempts"): formatting.number(d.attempts, lang),
                tr("integrations.col_when"): _moment(d.delivered_at or d.created_at, lang),
            } for d in sent]), hide_index=True)
        else:
            st.markdown(tr("integrations.no_deliveries"))
        editor = scope.role == SECTOR_ANALYST or scope.may(EDIT_ORGANISATION)
        if not editor:
            return
        actions = st.container(horizontal=True)
        if actions.button(tr("integrations.ping"), key=f"ping:{hook.id}",
                       icon=":material/send:"):
            _act(ctx, scope, hook, webhooks.ping, "integrations.pinged")
        with actions.popover(tr("integrations.remove"), icon=":material/delete:"):
            st.write(tr("integrations.remove_confirm"))
            if st.button(tr("integrations.remove_now"), type="primary",
                         key=f"remove_webhook:{hook.id}"):
                _act(ctx, scope, hook, webhooks.delete, "integrations.removed")


def _act(ctx, scope: Scope, hook: webhooks.Webhook, action, done: str) -> None:
    try:
        action(ctx, scope, hook.id)
    except AccessDenied:
        st.error(tr("access.denied"))
        return
    except webhooks.UnknownWebhookError:
        _done("webhooks", "integrations.webhook_gone")
    _done("webhooks", done)
