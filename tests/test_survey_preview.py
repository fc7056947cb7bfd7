"""The phone preview of a stored questionnaire version (assessment.web.preview): the survey's
own pages, one per step, that can neither run a script nor post a form, whatever a version's
texts say (an uploaded file is the admin's, but the preview runs in the app's own origin)."""

from pathlib import Path

from assessment.questionnaire import parse_questionnaire
from assessment.web.preview import PREVIEW_CSP, preview_pages

V2 = Path(__file__).parent / "fixtures" / "employee-v2.yaml"


def test_every_step_of_the_survey_is_a_page_in_the_chosen_language():
    q = parse_questionnaire(V2.read_text(encoding="utf-8"), V2.name)
    pages = preview_pages(q, "en", organisation="Your organisation",
                          departments=("Department 1", "Department 2"))
    assert len(pages) == len(q.sections) + 2
    assert "After a working day I need a lot of time to recover." in pages[1]
    assert "Your organisation" in pages[0] and '<option value="2">Department 2</option>' \
        in pages[-1]
    for page in pages:
        assert page.startswith('<!doctype html>\n<html lang="en">')
        assert f'content="{PREVIEW_CSP}"' in page
        assert 'type="submit"' not in page and "autofocus>" not in page
        assert " autofocus" not in page.split("</style>", 1)[1]


def test_a_script_in_a_version_s_text_stays_text():
    """A version whose item text holds markup: the preview shows it escaped, and its page's
    own policy would refuse any script anyway."""
    hostile = V2.read_text(encoding="utf-8").replace(
        "After a working day I need a lot of time to recover.",
        "'<script>parent.document.title=1</script><img src=x onerror=alert(1)>'")
    pages = preview_pages(parse_questionnaire(hostile), "en")
    assert "<script>" not in pages[1] and "<img" not in pages[1]
    assert "&lt;script&gt;parent.document.title=1&lt;/script&gt;" in pages[1]
    assert "default-src 'none'" in PREVIEW_CSP and "form-action 'none'" in PREVIEW_CSP
