"""`make demo`'s data: realistic, loadable twice without duplicates, every login works."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from ogp_portal.organisations.demo import DEMO_PASSWORD, ROLE_LABELS

pytestmark = pytest.mark.django_db


def _counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {
            "users",
            "organisations",
            "plans",
            "commitments",
            "consultations",
            "forums",
            "core",
            "account",
            "mfa",
        }
    }


def test_loading_twice_does_not_duplicate():
    call_command("load_demo", quiet_logins=True)
    first = _counts()
    call_command("load_demo", quiet_logins=True)
    assert _counts() == first
    assert first["plans.ActionPlan"] == 4
    assert first["organisations.Member"] == 2
    assert first["commitments.Commitment"] == 14
    # Valdoria's open and closed ones, and Port Lumen's 2024 idea collection (15 proposals)
    assert first["consultations.Consultation"] == 3
    assert first["consultations.Proposal"] == 25  # one of them a CSO's unsubmitted draft
    # One commitment was edited after consultation: its versions page shows the change
    assert first["commitments.HistoricalCommitment"] == 15


def test_demo_plan_2020_2022_is_shown_in_full(client):
    from commitments.models import Commitment
    from plans.models import ActionPlan

    call_command("load_demo", quiet_logins=True)
    plan = ActionPlan.objects.get(title="Fourth National Action Plan 2020–2022")
    page = client.get(plan.get_absolute_url()).content.decode()
    for area in (
        "Access to Justice",
        "Digital Governance",
        "Fiscal Transparency",
        "Fight against Corruption",
    ):
        assert area in page
    assert "Valdoria joined OGP in 2012" in page  # the template sections
    assert "Milestones timeline" in page
    commitments = Commitment.objects.filter(plan=plan)
    assert commitments.count() == 8
    for commitment in commitments:
        assert commitment.ogp_id in page
        detail = client.get(commitment.get_absolute_url()).content.decode()
        assert escape(commitment.summary) in detail
        for milestone in commitment.milestones.all():
            assert escape(milestone.description) in detail
    history = client.get("/commitments/XV0001/history/").content.decode()
    edit = " Offices in all 11 regions will take part, not only in the capital."
    assert f"<ins>{edit}</ins>" in history


def test_demo_flags_the_local_plan_without_a_successor(client):
    import datetime as dt

    import time_machine

    from plans.models import ActionPlan

    call_command("load_demo", quiet_logins=True)
    plan = ActionPlan.objects.get(member__slug="port-lumen")
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)):
        page = client.get(plan.get_absolute_url()).content.decode()
    assert "no next plan is in preparation" in page


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


def test_demo_self_assessment_shows_met_and_not_met_lines(client):
    from plans.models import ActionPlan
    from records.models import OutreachActivity

    call_command("load_demo", quiet_logins=True)
    plan = ActionPlan.objects.get(member__slug="valdoria", sequence_no=6)
    assert OutreachActivity.objects.filter(plan=plan).count() == 3
    page = client.get(reverse("plan_records:self-assessment", args=[plan.pk])).content.decode()
    assert "Regional roadshow: how to propose a commitment" in page
    # The fourth plan, judged under its 2017 rules, shows lines met and lines not met
    fourth = ActionPlan.objects.get(member__slug="valdoria", sequence_no=4)
    page = client.get(reverse("plan_records:self-assessment", args=[fourth.pk])).content.decode()
    assert "the 2017 standards" in page
    assert "status-met" in page
    assert "status-not-met" in page
    outreach = client.get(reverse("plan_records:outreach-list", args=[plan.pk])).content.decode()
    assert "Social media campaign #OpenValdoria" in outreach


def test_demo_dashboards_draw_every_chart_with_numbers(client):
    """The dashboards (issue #18) of the portal and of the demo's two members: every chart
    drawn, none of them empty, now that a page draws a bounded cut of the numbers. The local
    member's who-is-missing charts show at least one number, not only "fewer than 5"."""
    import re

    from ogp_portal.organisations.models import Member
    from records.dashboard.refresh import refresh_all
    from tests.records.test_dashboard import CHARTS

    call_command("load_demo", verbosity=0)
    refresh_all()
    members = Member.objects.order_by("slug").values_list("slug", flat=True)
    assert list(members) == ["port-lumen", "valdoria"]
    urls = [reverse("dashboard:portal")]
    urls += [reverse("dashboard:member", args=[slug]) for slug in members]
    for url in urls:
        html = client.get(url).content.decode()
        assert html.count('role="img"') == len(CHARTS), url
        figures = {
            slug: html[html.index(f'id="{slug}"') :].split("</figure>", 1)[0] for slug in CHARTS
        }
        empty = [slug for slug, figure in figures.items() if "Nothing to count yet." in figure]
        assert empty == [], url
    local = client.get(reverse("dashboard:member", args=["port-lumen"])).content.decode()
    for slug in ("regions", "profile-kind", "profile-size", "profile-gender", "profile-age"):
        figure = local[local.index(f'id="{slug}"') :].split("</figure>", 1)[0]
        cells = re.findall(r'<td class="num"[^>]*>\s*(\d+)\s*</td>', figure)
        assert any(int(n) >= 5 for n in cells), slug
    seats = local[local.index('id="seats"') :].split("</figure>", 1)[0]
    vacant = re.findall(r'<td class="num"[^>]*>\s*(\d+)\s*</td>', seats)
    assert sum(int(n) for n in vacant) >= 2  # a seat vacant in each of two sectors


def test_demo_secretariat_has_recovery_codes_for_a_lost_phone(client):
    """As after setting up an authenticator app in the portal: the recovery codes page lists
    them (once the password is confirmed again), and one of them passes the second step of
    the sign-in instead of the app's code."""
    from allauth.mfa.models import Authenticator

    call_command("load_demo", quiet_logins=True)
    email = "secretariat@demo.example.org"
    codes = Authenticator.objects.get(
        user__email=email, type=Authenticator.Type.RECOVERY_CODES
    ).wrap()
    code = codes.get_unused_codes()[0]
    client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    # Seeing the codes asks for the password again (allauth's reauthentication).
    asked = client.get(reverse("mfa_view_recovery_codes"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(asked["Location"], {"password": DEMO_PASSWORD})
    page = client.get(reverse("mfa_view_recovery_codes"))
    assert page.status_code == 200
    # The code used to sign in is spent; the other ones are listed.
    assert page.context["unused_codes"] == [c for c in codes.get_unused_codes() if c != code]
    assert code not in page.content.decode()


def test_the_demo_citizen_may_comment_as_soon_as_the_demo_is_loaded(client):
    # Given the demo just loaded (the citizen wrote ten of its comments)
    call_command("load_demo", quiet_logins=True)
    comment_model = apps.get_model("consultations", "Comment")
    citizen = apps.get_model("users", "User").objects.get(email="citizen@demo.example.org")
    proposal = comment_model.objects.filter(author=citizen, proposal__isnull=False).first().proposal
    client.force_login(citizen)

    # When she comments on a proposal at once
    response = client.post(
        reverse("consultations:comment-create"),
        {"proposal": proposal.pk, "body": "My first comment of the day."},
    )

    # Then it is posted (not refused as "posting very fast"), and stays hers to edit
    assert response.status_code == 302, response.content.decode()[:500]
    assert "#comment-" in response["Location"]
    assert comment_model.objects.filter(body="My first comment of the day.").exists()
    editable = client.get(
        reverse(
            "consultations:comment-edit",
            args=[comment_model.objects.filter(author=citizen).order_by("pk").first().pk],
        )
    )
    assert editable.status_code == 200
