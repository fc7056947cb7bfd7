"""The review queue's page: the platform admin sees every due fact with where to look (the
access matrix keeps every other role out)."""

from datetime import date

from assessment import collective_dismissal, review
from assessment.catalogue import load_catalogue


def test_the_page_shows_the_queue_to_the_platform_admin_only(app):
    at = app(role="platform_admin")
    at.switch_page("app_pages/review.py").run()
    assert not at.exception and at.title[0].value == "Bronnen nakijken"
    queue = review.due(load_catalogue(), collective_dismissal.load_rules(), date.today())
    text = " ".join(m.value for m in at.markdown)
    for item in queue:
        assert item.url in text
    if not queue:
        assert at.success[0].value == "Geen enkel feit hoeft nu nagekeken te worden."
