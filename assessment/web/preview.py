"""The survey's pages as a respondent sees them, for the platform admin's preview of a stored
questionnaire version (``app_pages/questionnaires.py``): the real template (``step.html``) and
stylesheet of :mod:`.survey`, rendered without an invitation, with forms that go nowhere.

Decision: a page of its own beside the survey (the survey module is at its size limit and its
request handling has nothing to add here). The pages are shown in an ``iframe`` of the app's
page (its ``srcdoc``): each carries a CSP of its own that allows no script and no form target,
its buttons are plain buttons and nothing takes the focus, so a preview can neither run
anything nor post anywhere, whatever a version's texts say (they are escaped as in the survey).
"""

from __future__ import annotations

import re

from markupsafe import Markup

from ..i18n import t
from ..questionnaire import Questionnaire
from .survey import CSS, Draft, _background_options, _env, _other_languages

PREVIEW_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
               "form-action 'none'; base-uri 'none'")
_SUBMIT = re.compile(r'type="submit"')
_AUTOFOCUS = re.compile(r"\s+autofocus\b")


class _Sample:
    """What the about-you page shows for the organisation's departments: sample names."""

    def __init__(self, departments: tuple[tuple[int, str], ...]):
        self.departments = departments


def preview_pages(q: Questionnaire, lang: str, *, organisation: str | None = None,
                  departments: tuple[str, ...] = ()) -> list[str]:
    """Every page of ``q`` in ``lang`` as the survey shows it, in order: the intro, one page a
    section, the questions about the respondent (``departments``: sample names for the
    organisation's own list; none leaves that question out, as for an organisation without
    departments). Each is a whole HTML document, inert (see the module's docstring)."""
    total = len(q.sections) + 2
    sample = _Sample(tuple(enumerate(departments, 1)))
    pages = []
    for step in range(total):
        section = q.sections[step - 1] if 1 <= step <= len(q.sections) else None
        items = [] if section is None else [
            (number, item, [label(lang) for label in q.answer_scales[item.answer_scale].labels])
            for number, item in enumerate(section.items, 1)]
        about_you = step == total - 1
        html = _env.get_template("step.html").render(
            lang=lang, tr=lambda key, **p: t(key, lang, **p), css=Markup(CSS), q=q, step=step,
            total=total, section=section, items=items, draft=Draft(step), hidden={},
            about_you=about_you,
            background=list(_background_options(q, sample, lang)) if about_you else [],
            background_hidden={}, missing=set(), missing_numbers="", error="",
            organisation=organisation, action="#", languages=_other_languages(lang, None))
        pages.append(_inert(html))
    return pages


def _inert(html: str) -> str:
    """``html`` that can run nothing and send nothing: its own CSP, plain buttons, no focus
    taken from the admin's page."""
    html = _AUTOFOCUS.sub("", _SUBMIT.sub('type="button"', html))
    charset = '<meta charset="utf-8">'
    return html.replace(charset, f'{charset}\n<meta http-equiv="Content-Security-Policy" '
                        f'content="{PREVIEW_CSP}">', 1)
