"""The organisation profile: the facts that decide which support fits, and the EU size class
derived from them with the rule that decided it."""

import streamlit as st

from assessment import formatting, ui
from assessment.access import EDIT_ORGANISATION
from assessment.errors import InputError, Problem
from assessment.profile import (
    LEGAL_FORMS,
    NACE_VERSIONS,
    REGIONS,
    Profile,
    format_enterprise_number,
    load_profile,
    parse_amount,
    parse_joint_committees,
    save_profile,
    size_class,
    validate_profile,
)
from assessment.ui.router import entry_guard

entry_guard(EDIT_ORGANISATION)
ctx = ui.context()
st.title(ui.tr("profile.title"))
org = ui.organisation_or_stop()
current = load_profile(ctx, org.id)
st.caption(ui.tr("profile.intro", name=ui.plain(org.name)))


def amount_text(value):
    """An amount as the reader writes it (1.250.000 / 1,250,000); parse_amount reads both."""
    return "" if value is None else formatting.number(value, ui.lang())


with st.form("profile"):
    col1, col2 = st.columns(2)
    number = col1.text_input(ui.tr("profile.enterprise_number"), placeholder="0403.170.701",
                             value=format_enterprise_number(current.enterprise_number)
                             if current.enterprise_number else "")
    legal_form = col2.selectbox(
        ui.tr("profile.legal_form"), LEGAL_FORMS, format_func=lambda c: ui.tr(f"legal.{c}"),
        index=LEGAL_FORMS.index(current.legal_form) if current.legal_form else None,
        placeholder=ui.tr("org.choose"))
    nace_version = col1.radio(ui.tr("profile.nace_version"), NACE_VERSIONS, horizontal=True,
                              index=NACE_VERSIONS.index(current.nace_version),
                              help=ui.tr("profile.nace_version_help"))
    division = col2.text_input(ui.tr("profile.nace_division"), value=current.nace_division or "",
                               max_chars=2, help=ui.tr("org.nace_division_help"))
    joint = st.text_input(ui.tr("profile.joint_committees"),
                          value=", ".join(current.joint_committees),
                          help=ui.tr("profile.joint_committees_help"), placeholder="200, 124")
    col1, col2, col3 = st.columns(3)
    headcount = col1.number_input(ui.tr("org.headcount"), min_value=1, max_value=1_000_000,
                                  value=current.headcount, step=1)
    fte = col2.number_input(ui.tr("profile.fte"), min_value=0.0, value=current.fte,
                            step=0.5, format="%.1f")
    region = col3.selectbox(ui.tr("profile.region"), REGIONS,
                            index=REGIONS.index(current.region) if current.region else None,
                            format_func=lambda c: ui.tr(f"region.{c}"),
                            placeholder=ui.tr("org.choose"))
    turnover = col1.text_input(ui.tr("profile.turnover"), value=amount_text(current.turnover_eur),
                               help=ui.tr("profile.amount_help"))
    balance = col2.text_input(ui.tr("profile.balance"),
                              value=amount_text(current.balance_total_eur),
                              help=ui.tr("profile.amount_help"))
    sector = col3.radio(ui.tr("profile.sector"), ("profit", "social_profit"), horizontal=True,
                        format_func=lambda c: ui.tr(f"profile.{c}"),
                        index=None if current.social_profit is None else int(current.social_profit))
    saved = st.form_submit_button(ui.tr("profile.save"), type="primary")

if saved:
    problems, amounts = [], {}
    for name, text in (("turnover_eur", turnover), ("balance_total_eur", balance)):
        try:
            amounts[name] = parse_amount(text)
        except ValueError:
            problems.append(Problem(name, "error.amount"))
    codes, bad_codes = parse_joint_committees(joint)
    profile = Profile(
        enterprise_number=number.strip() or None, nace_version=nace_version,
        nace_division=division.strip() or None, joint_committees=tuple(codes),
        headcount=int(headcount) if headcount else None, fte=fte or None,
        legal_form=legal_form, region=region,
        social_profit=None if sector is None else sector == "social_profit",
        **{k: v for k, v in amounts.items() if v is not None},
    )
    try:
        problems += validate_profile(profile, bad_codes)
        if problems:
            raise InputError(problems)
        current = save_profile(ctx, org.id, profile, bad_codes)
    except InputError as error:
        ui.show_input_error(error)
    else:
        st.success(ui.tr("profile.saved"))

if current.headcount:
    size = size_class(current.headcount, current.turnover_eur, current.balance_total_eur)
    ui.key_figure(st, ui.tr("profile.size_class"), ui.tr(f"size.{size.code}"))
    st.caption(ui.tr("profile.size_rule", rule=ui.tr(size.rule_key, **size.params)))
