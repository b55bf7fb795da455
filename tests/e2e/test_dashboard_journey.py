"""In the browser: each dashboard chart is an image named by its title with its table and
CSV link; the member and portal dashboards fit a 375 px screen and pass axe."""

import pytest

from records.dashboard.refresh import refresh_all
from tests.records.test_dashboard import CHARTS, landscape  # noqa: F401 -- the fixture

from .conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("which", ["member", "portal"])
def test_dashboards_fit_a_phone_with_every_chart_table_and_csv(page, member, landscape, which):  # noqa: F811
    refresh_all()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/members/{member.slug}/dashboard/" if which == "member" else "/dashboard/")
    page.get_by_role("heading", name="Vital signs").wait_for()
    for slug in CHARTS:
        figure = page.locator(f"figure#{slug}")
        assert figure.get_by_role("img").count() == 1
        assert figure.locator("table caption").count() == 1
        link = figure.get_by_role("link", name="Download these numbers (CSV)")
        assert "?csv=" + slug in link.get_attribute("href")
    assert page.get_by_role("img", name="Inputs per week").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_serious_axe_violations(page)
