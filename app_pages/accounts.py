"""Accounts (platform admin): who may sign in with which role and scope; disable or enable an
account, or erase it; the audit log of sector views and exports, account changes and links
made."""

import pandas as pd
import streamlit as st

from assessment import audit, ui
from assessment.access import MANAGE_ACCOUNTS, ORGANISATION_ROLES, ROLES, SECTOR_ANALYST
from assessment.accounts import create_account, list_accounts, set_active
from assessment.errors import InputError
from assessment.organisations import list_organisations
from assessment.retention import erase_account
from assessment.ui.router import entry_guard

scope = entry_guard(MANAGE_ACCOUNTS)
ctx = ui.context()
st.title(ui.tr("accounts.title"))
st.caption(ui.tr("accounts.intro"))
orgs = {o.id: o.name for o in list_organisations(ctx)}

with st.expander(ui.tr("accounts.new")):
    role = st.selectbox(ui.tr("accounts.role"), ROLES, format_func=lambda r: ui.tr(f"role.{r}"))
    with st.form("new_account", clear_on_submit=True):
        username = st.text_input(ui.tr("accounts.username"), max_chars=80)
        name = st.text_input(ui.tr("accounts.display_name"), max_chars=120)
        organisation = st.selectbox(ui.tr("accounts.organisation"), list(orgs), index=None,
                                    format_func=orgs.get, placeholder=ui.tr("org.choose"),
                                    disabled=role not in ORGANISATION_ROLES)
        sectors = st.text_input(ui.tr("accounts.sectors"), disabled=role != SECTOR_ANALYST)
        password = st.text_input(ui.tr("accounts.password"), type="password", max_chars=300)
        if st.form_submit_button(ui.tr("accounts.create"), type="primary"):
            try:
                create_account(ctx, username, password, role, display_name=name,
                               organisation_id=organisation,
                               sectors=[s for s in sectors.replace(",", " ").split() if s],
                               actor=scope)
            except InputError as error:
                ui.show_input_error(error)
            else:
                st.success(ui.tr("accounts.created", username=ui.plain(username.strip().lower())))

accounts = list_accounts(ctx, scope)
st.subheader(ui.tr("accounts.list"))
st.dataframe(pd.DataFrame([{
    ui.tr("auth.username"): a.username, ui.tr("accounts.display_name"): a.display_name,
    ui.tr("accounts.role"): ui.tr(f"role.{a.role}"),
    ui.tr("accounts.organisation"): orgs.get(a.organisation_id, ""),
    ui.tr("accounts.sectors"): ", ".join(s.key for s in a.sectors),
    ui.tr("accounts.active"): a.active,
} for a in accounts]), hide_index=True, width="stretch")

st.subheader(ui.tr("accounts.toggle"))
by_id = {a.id: a for a in accounts}


def account_label(account_id: int) -> str:
    return f"{by_id[account_id].username} ({ui.tr(f'role.{by_id[account_id].role}')})"


chosen = st.selectbox(ui.tr("accounts.which"), list(by_id), format_func=account_label)
target = by_id[chosen]
if st.button(ui.tr("accounts.disable" if target.active else "accounts.enable")):
    try:
        set_active(ctx, scope, target.id, not target.active)
    except ValueError:
        st.error(ui.tr("accounts.not_self"))
    else:
        st.rerun()

with st.expander(ui.tr("retention.erase_account")):
    st.caption(ui.tr("retention.erase_account_help"))
    others = [i for i in by_id if i != scope.account_id]
    with st.form("erase_account", clear_on_submit=True):
        erase_id = st.selectbox(ui.tr("accounts.which"), others, index=None,
                                format_func=account_label, placeholder=ui.tr("org.choose"),
                                key="erase_account_id")
        typed = st.text_input(ui.tr("retention.type_username"), max_chars=80)
        if st.form_submit_button(ui.tr("retention.erase_button"), type="primary"):
            if erase_id is None or typed.strip().lower() != by_id[erase_id].username:
                st.error(ui.tr("retention.error.username_mismatch"))
            else:
                try:
                    erase_account(ctx, scope, erase_id)
                except InputError as error:
                    ui.show_input_error(error)
                else:
                    st.session_state["_erased_account"] = True
                    st.rerun()
if st.session_state.pop("_erased_account", False):
    st.success(ui.tr("retention.account_erased"))

st.subheader(ui.tr("accounts.audit"))
api_calls = st.toggle(ui.tr("accounts.audit_api_calls"), key="audit_api_calls")
st.dataframe(pd.DataFrame([{
    ui.tr("accounts.audit_when"): e.at, ui.tr("accounts.audit_who"): e.username,
    ui.tr("accounts.audit_action"): ui.tr(f"audit.{e.action}"),
    ui.tr("accounts.audit_subject"): e.subject, ui.tr("accounts.audit_detail"): e.detail,
} for e in audit.recent(ctx, scope, api_calls=api_calls)]), hide_index=True, width="stretch")
