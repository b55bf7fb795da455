"""The resources page: public to read, kept by the secretariat only, every edit kept as a
version and recorded in the audit trail, translatable like the rest of the content."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ogp_portal.core.models import AuditEvent
from ogp_portal.guides.models import Resource

pytestmark = pytest.mark.django_db

FORM = {
    "title": "How to read an action plan",
    "body": "## Start here\n\nRead the **summary** first. See [the OGP handbook](https://example.org/handbook).",
    "audience": "everyone",
    "primary_language": "en",
    "position": "0",
}


@pytest.fixture
def resource():
    return Resource.objects.create(title="Glossary", body="*Commitment*: a promise with dates.")


def test_anyone_reads_the_resources_with_their_markdown_rendered_safely(client, resource):
    Resource.objects.create(title="Bad", body="<script>alert(1)</script> [x](javascript:alert(1))")
    html = client.get(reverse("guides:resource-list")).content.decode()
    assert "Glossary" in html
    assert "<em>Commitment</em>" in html
    assert "<script>alert" not in html
    assert 'href="javascript' not in html
    # Readers are not offered the secretariat's tools
    assert reverse("guides:resource-create") not in html
    assert reverse("guides:resource-edit", args=[resource.pk]) not in html


@pytest.mark.parametrize("who", ["citizen", "cso_member", "civil_servant"])
def test_only_the_secretariat_may_add_or_edit(client_for, request, resource, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("guides:resource-create")).status_code == 403
    assert client.post(reverse("guides:resource-create"), FORM).status_code == 403
    edit = reverse("guides:resource-edit", args=[resource.pk])
    assert client.post(edit, {**FORM, "title": "Hacked"}).status_code == 403
    assert client.get(reverse("guides:resource-history", args=[resource.pk])).status_code == 403
    resource.refresh_from_db()
    assert resource.title == "Glossary"
    assert Resource.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, resource):
    response = client.get(reverse("guides:resource-edit", args=[resource.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_secretariat_adds_and_edits_and_every_version_is_kept(client_for, secretariat):
    client = client_for(secretariat)

    # Add
    response = client.post(reverse("guides:resource-create"), FORM)
    assert response.status_code == 302
    resource = Resource.objects.get()
    html = client.get(reverse("guides:resource-list")).content.decode()
    assert "How to read an action plan" in html
    assert "<h3>Start here</h3>" in html
    assert 'href="https://example.org/handbook"' in html

    # Edit
    edit = reverse("guides:resource-edit", args=[resource.pk])
    client.post(edit, {**FORM, "title": "Reading an action plan"})

    history = client.get(reverse("guides:resource-history", args=[resource.pk])).content.decode()
    assert "Reading an action plan" in history
    assert "How to read an action plan" in history  # the earlier version is still there
    assert resource.history.count() == 2
    actions = list(
        AuditEvent.objects.filter(target_id=str(resource.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["guides.resource.created", "guides.resource.edited"]


def test_an_empty_text_is_refused_with_what_was_typed_kept(client_for, secretariat):
    client = client_for(secretariat)
    response = client.post(reverse("guides:resource-create"), {**FORM, "body": "   "})
    assert response.status_code == 200
    assert Resource.objects.count() == 0
    assert "How to read an action plan" in response.content.decode()


def test_a_resource_reads_in_arabic_once_translated(client_for, client, secretariat, resource):
    ct = ContentType.objects.get_for_model(Resource).pk
    staff = client_for(secretariat)
    response = staff.post(
        reverse("translate", args=[ct, resource.pk, "ar"]),
        {"title": "مسرد المصطلحات", "body": "*الالتزام*: وعد له مواعيد."},
    )
    assert response.status_code == 302
    staff.post(reverse("account_logout"))

    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    html = client.get(reverse("guides:resource-list")).content.decode()
    assert "مسرد المصطلحات" in html
    assert "<em>الالتزام</em>" in html
    assert "Glossary" not in html


def test_the_resources_page_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for n in range(40):
        Resource.objects.create(title=f"Resource {n}", body=f"Text {n}", position=n)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("guides:resource-list"))
    assert response.content.decode().count('class="resource"') == 40
