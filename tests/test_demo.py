"""`make demo`'s data: realistic, loadable twice without duplicates, every login works."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from ogp_portal.organisations.demo import DEMO_PASSWORD, ROLE_LABELS

pytestmark = pytest.mark.django_db


def _counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"users", "organisations", "plans", "account", "mfa"}
    }


def test_loading_twice_does_not_duplicate():
    call_command("load_demo", quiet_logins=True)
    first = _counts()
    call_command("load_demo", quiet_logins=True)
    assert _counts() == first
    assert first["plans.ActionPlan"] == 1
    assert first["plans.PolicyArea"] == 4
    assert first["organisations.Member"] == 2


def test_demo_plan_has_the_four_policy_areas(client):
    from plans.models import ActionPlan

    call_command("load_demo", quiet_logins=True)
    plan = ActionPlan.objects.get()
    page = client.get(plan.get_absolute_url()).content.decode()
    for area in (
        "Access to Justice",
        "Digital Governance",
        "Fiscal Transparency",
        "Fight against Corruption",
    ):
        assert area in page
    assert "2020" in page
    assert "2022" in page


@pytest.mark.parametrize("email", sorted(ROLE_LABELS))
def test_every_demo_login_works(client, email, capsys):
    call_command("load_demo", quiet_logins=True)
    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    if email.startswith("secretariat"):
        # The secretariat must pass two-factor: `make demo-code` prints the code
        assert response["Location"] == reverse("mfa_authenticate")
        call_command("demo_totp")
        code = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
        response = client.post(reverse("mfa_authenticate"), {"code": code})
        assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert client.get("/").status_code == 200


def test_demo_prints_one_login_per_role(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for email in ROLE_LABELS:
        assert email in out
