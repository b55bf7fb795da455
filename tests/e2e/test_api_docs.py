"""The API's documentation for people: the portal's own page, generated from the OpenAPI
schema. A developer finds every collection with its filters, follows an example address and
gets the JSON; the page reads right to left in Arabic, fits a phone and passes axe."""

import json

import pytest

from tests.factories import MemberFactory

from .conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_list_every_collection_and_its_example_answers(page, live_server):
    MemberFactory(name="Member A", slug="member-a")
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto("/api/v1/docs/")
    collections = page.get_by_role("navigation", name="Collections")
    for collection in ("plans", "commitments", "proposals", "meetings", "seats"):
        collections.get_by_role("link", name=collection, exact=True).click()
        section = page.get_by_role("region", name=collection, exact=True)
        assert section.get_by_role(
            "heading", name=f"GET /api/v1/{collection}/", exact=True
        ).is_visible()
    # The filters of a list, with their values.
    plans = page.get_by_role("region", name="plans", exact=True)
    filters = plans.get_by_role("table", name="Filters of /api/v1/plans/")
    assert filters.get_by_role("rowheader", name="status").is_visible()
    assert "co_creation" in filters.inner_text()
    # Following the example of the members list answers with the member.
    members = page.get_by_role("region", name="members", exact=True)
    members.get_by_role("link", name="/api/v1/members/", exact=True).click()
    page.wait_for_url("**/api/v1/members/**")
    answer = json.loads(page.locator("body").inner_text())
    assert [m["slug"] for m in answer["results"]] == ["member-a"]
    assert not outside, outside


def test_the_api_docs_read_right_to_left_in_arabic_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 375, "height": 667})
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.goto("/api/v1/docs/")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    # The schema's own descriptions are English, and say so to screen readers.
    assert page.locator("main [lang=en]").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_no_serious_axe_violations(page)
