"""Koppelingen (every signed-in role, issue 30): API tokens of one's own account, shown once,
revocable, with an expiry; and for an organisation's editors and a sector's analyst the webhooks
of that organisation or sector (assessment.ui.integrations)."""

import streamlit as st

from assessment import ui
from assessment.ui import integrations as parts
from assessment.ui.router import entry_guard

scope = entry_guard()
ctx, lang = ui.context(), ui.lang()
st.title(ui.tr("integrations.title"))
intro = ui.tr("integrations.intro")  # not st.caption: its grey fails AA contrast
st.markdown(f"{intro} {ui.tr('integrations.intro_webhooks')}" if parts.may_subscribe(scope)
            else intro)
parts.tokens(ctx, scope, lang)
parts.webhooks_section(ctx, scope, lang)
