"""The optional profile from outside: a person gives region, gender and age band only with
consent, unticking withdraws and erases them, deleting the account deletes them; and they
appear nowhere on the public site but as suppressed aggregates on the dashboards."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.choices import InputChannel, InputKind
from consultations.models import InputEntry
from ogp_portal.core.audit import AuditEvent
from ogp_portal.organisations.models import PersonProfile, Region
from records.dashboard.refresh import refresh_all
from tests.factories import PlanFactory, UserFactory


@pytest.fixture
def north(member):
    return Region.objects.create(member=member, name="North Coast")


def test_gender_and_age_band_need_the_separate_consent_box(client_for, citizen, north):
    client = client_for(citizen)
    url = reverse("organisations:person-profile")
    response = client.post(url, {"region": north.pk, "gender": "woman", "age_band": "25_39"})
    assert response.status_code == 200
    assert "Tick the consent box" in response.content.decode()
    assert not PersonProfile.objects.filter(user=citizen, gender="woman").exists()

    response = client.post(
        url, {"region": north.pk, "consent": "on", "gender": "woman", "age_band": "25_39"}
    )
    assert response.status_code == 302
    profile = PersonProfile.objects.get(user=citizen)
    assert (profile.region, profile.gender, profile.age_band) == (north, "woman", "25_39")
    assert profile.consent_at is not None
    event = AuditEvent.objects.get(
        action="organisations.person_profile.updated", data__after__consent=True
    )
    assert "woman" not in str(event.data)

    # Unticking withdraws consent and erases both
    client.post(url, {"region": north.pk})
    profile.refresh_from_db()
    assert (profile.gender, profile.age_band, profile.consent_at) == ("", "", None)
    assert profile.region == north


def test_deleting_the_account_deletes_the_profile(client_for, citizen, north):
    PersonProfile.objects.create(
        user=citizen, region=north, gender="man", age_band="60_plus", consent_at=timezone.now()
    )
    citizen.delete()
    assert not PersonProfile.objects.exists()


def test_anonymous_people_cannot_open_the_profile_page(client):
    response = client.get(reverse("organisations:person-profile"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def _links(html: str) -> set[str]:
    return {h for h in re.findall(r'href="(/[^"#]*)"', html) if "/accounts/" not in h}


def test_optional_profile_data_shows_only_as_suppressed_aggregates(client, member, north):
    plan = PlanFactory(member=member, status="implementation")
    person = UserFactory(email="elder@example.org", name="Ada Elder")
    PersonProfile.objects.create(
        user=person, region=north, gender="other", age_band="60_plus", consent_at=timezone.now()
    )
    InputEntry.objects.create(
        plan=plan, kind=InputKind.COMMENT, channel=InputChannel.ONLINE, author=person, title="Mine"
    )
    refresh_all()
    start = [
        "/",
        reverse("dashboard:portal"),
        reverse("dashboard:member", args=[member.slug]),
        member.get_absolute_url(),
        plan.get_absolute_url(),
        reverse("ledger:input-list", args=[plan.pk]),
        reverse("ledger:input-csv", args=[plan.pk]),
        reverse("opendata:index"),
    ]
    seen: set[str] = set()
    queue = list(start)
    while queue and len(seen) < 80:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode(errors="replace")
        on_dashboard = url.split("?")[0] in (start[1], start[2])
        for private in ("60 or over", "In another way"):
            if private in body:
                assert on_dashboard, f"{private!r} on {url}"
                # one person: never a count, always "fewer than 5" (table cell or CSV)
                cells = re.findall(
                    re.escape(private) + r'(?:</th>\s*<td class="num"[^>]*>|,)([^<\n]*)', body
                )
                assert body.count(private) == len(cells), url
                assert {c.strip() for c in cells} == {"fewer than 5"}, url
        for raw in ("60_plus", "age_band", "elder@example.org"):
            assert raw not in body, f"{raw!r} on {url}"
        if "html" in response.get("Content-Type", ""):
            queue += [
                link
                for link in _links(body)
                if link.startswith(("/members/", "/dashboard/", "/plans/", "/open-data/"))
            ]
    assert reverse("dashboard:member", args=[member.slug]) + "?csv=profile-age" in seen
