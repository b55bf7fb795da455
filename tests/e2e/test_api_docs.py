"""The API's browsable docs: Swagger UI from the portal's own static files, under the portal's
Content Security Policy, lists every collection and can try one out."""

import pytest

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_from_local_files_and_try_a_request(page, live_server):
    MemberFactory(name="Member A", slug="member-a")
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto("/api/v1/docs/")
    page.locator(".swagger-ui .opblock-summary").first.wait_for()
    summaries = page.locator(".swagger-ui .opblock-summary-path").all_inner_texts()
    for collection in ("plans", "commitments", "proposals", "meetings", "seats"):
        assert f"/api/v1/{collection}/" in [s.replace("\u200b", "") for s in summaries]
    # Try one request from the page.
    members = page.locator("#operations-members-members_list")
    members.locator(".opblock-summary").click()
    members.get_by_role("button", name="Try it out").click()
    members.get_by_role("button", name="Execute").click()
    members.locator(".response-col_description").first.wait_for()
    assert "member-a" in members.locator(".responses-wrapper").inner_text()
    assert not outside, outside
    assert not problems, problems
