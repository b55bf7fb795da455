"""Every page fits a phone (WCAG 1.4.10, Reflow) and passes axe, for every role.

The pages come from the URL configuration itself: every named URL is either visited (with its
parameters filled from the demo data, `make demo`'s `load_demo`) or listed in NOT_VISITED with
the reason. A new URL that is in neither fails `test_every_url_is_visited_or_explained`, so a
new page cannot slip past this test.

Each page is opened at 375 × 667 px, anonymously and signed in as each role of the demo, and
fails if `document.documentElement.scrollWidth > window.innerWidth` (the failure names the
page and its widest element). axe runs once per distinct page content (a 403 page or the
sign-in form that several roles get is checked once); serious and critical violations fail.

French, Spanish and Arabic (right to left) get the same checks, plus `<html lang dir>`, on
each distinct page once per language, as the first role that may open it (one test per
language, so a failure names its language and the languages can run apart).
"""

import hashlib
import re
import time
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import SERIOUS_IMPACTS, TIMEOUT_MS, sign_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 667}

# Who visits: anonymous, then one demo account per role (ogp_portal/organisations/demo.py).
ROLES = {
    "anonymous": None,
    "citizen": "citizen@demo.example.org",
    "CSO member": "forum.member@demo.example.org",
    "CSO organisation admin": "cso@demo.example.org",
    "civil servant": "civil.servant@demo.example.org",
    "commitment lead": "commitment.lead@demo.example.org",
    "moderator": "moderator@demo.example.org",
    "secretariat": "secretariat@demo.example.org",
}

DOWNLOAD = "a file download (CSV, JSON, PDF, ICO or an upload), not a page"
POST_ONLY = "POST only: a button on another page, answers GET with 405"
NOT_VISITED = {
    "admin": "Django's own admin (staff only), responsive by Django; not the portal's pages",
    "health": "a JSON health check for the load balancer, not a page",
    "favicon": DOWNLOAD,
    "set_language": POST_ONLY,
    "account_logout": "would end the session that the next pages of the role need",
    "account_confirm_email": "needs a key from a sign-up e-mail (the sign-up journey visits it)",
    "account_reset_password_from_key": "needs a key from a password-reset e-mail",
    "account_confirm_login_code": "only within a sign-in by e-mailed code, which is off",
    "mfa_authenticate": "only in the middle of a sign-in that asks for the second factor",
    "mfa_download_recovery_codes": DOWNLOAD,
    "organisations:membership-decide": POST_ONLY,
    "organisations:organisation-join": POST_ONLY,
    "organisations:role-grant": POST_ONLY,
    "organisations:role-revoke": POST_ONLY,
    "organisations:organisation-verify": POST_ONLY,
    "organisations:organisation-unverify": POST_ONLY,
    "plans:plan-transition": POST_ONLY,
    "commitments:commitment-export": DOWNLOAD,
    "commitments:evidence-download": DOWNLOAD,
    "commitments:commitment-import-confirm": "only after an upload, with the file in the session",
    "commitments:commitment-move": POST_ONLY,
    "commitments:commitment-withdraw": POST_ONLY,
    "consultations:document-download": DOWNLOAD,
    "consultations:offline-minutes": DOWNLOAD,
    "consultations:consultation-report-csv": DOWNLOAD,
    "consultations:proposal-attachment": DOWNLOAD,
    "consultations:proposal-support": POST_ONLY,
    "consultations:consultation-notice": POST_ONLY,
    "consultations:answer-submit": POST_ONLY,
    "consultations:reminder-signup": POST_ONLY,
    "consultations:comment-create": POST_ONLY,
    "consultations:comment-flag": POST_ONLY,
    "consultations:comment-hide": POST_ONLY,
    "consultations:comment-restore": POST_ONLY,
    "consultations:comment-dismiss-flags": POST_ONLY,
    "consultations:comment-delete": POST_ONLY,
    "consultations:proposal-similar": "a fragment for the proposal form's script, not a page",
    "forums:minutes-file": DOWNLOAD,
    "forums:thread-visibility": POST_ONLY,
    "forums:round-nominate": POST_ONLY,
    "forums:round-vote": POST_ONLY,
    "forums:meeting-attendance": POST_ONLY,
    "forums:meeting-decision-add": POST_ONLY,
    "forums:meeting-action-item-add": POST_ONLY,
    "forums:meeting-minutes": POST_ONLY,
    "forums:group-member-add": POST_ONLY,
    "forums:thread-reply": POST_ONLY,
    "records:document-file": DOWNLOAD,
    "opendata:dataset-export": DOWNLOAD,
    "exports:job-status": "JSON polled by the progress page's script, not a page",
    "exports:job-retry": POST_ONLY,
    "exports:job-download": DOWNLOAD,
    "exports:latest": DOWNLOAD,
    "exports:start": POST_ONLY,
    "notifications:notification-open": "marks a notification read and redirects to its target",
    "notifications:notification-mark-all-read": POST_ONLY,
    "notifications:failure-resolve": POST_ONLY,
    "notifications:unsubscribe": "needs a signed token from an e-mail; a one-click change",
    "plan_records:irm-package-schema": DOWNLOAD,
    "plan_records:outreach-file": DOWNLOAD,
    "ledger:input-csv": DOWNLOAD,
    "ledger:response-action": POST_ONLY,
    "clusters:cluster-suggest": POST_ONLY,
    "clusters:cluster-action": POST_ONLY,
    "commitments:assessment-evidence": DOWNLOAD,
    "commitments:commitment-carry-over": POST_ONLY,
    "commitments:partner-add": POST_ONLY,
    "commitments:partner-remove": POST_ONLY,
    "consultations:cosponsor-invite": POST_ONLY,
    "consultations:cosponsorship-answer": POST_ONLY,
    "forums:meeting-motion": POST_ONLY,
    "forums:meeting-agenda": POST_ONLY,
    "forums:meeting-cosign": POST_ONLY,
    "forums:group-apply": POST_ONLY,
    "forums:group-draft-create": POST_ONLY,
    "forums:application-decide": POST_ONLY,
    "forums:group-draft-comment": POST_ONLY,
    "forums:draft-comment-hide": POST_ONLY,
    "forums:secretariat-member-remove": POST_ONLY,
    # The read API answers JSON to programs (tests/records/ has its contract tests); its
    # human page is the documentation (api:docs), which is visited.
    "api:schema": "the OpenAPI schema, a file for programs (api:docs shows it to people)",
    "api:api-root": "JSON for programs, not a page",
    "api:not-found": "JSON for programs, not a page",
    **{
        f"api:{resource}-{kind}": "JSON for programs, not a page"
        for resource in (
            "member",
            "organisation",
            "plan",
            "policy-area",
            "commitment",
            "milestone",
            "progress-update",
            "consultation",
            "proposal",
            "answer",
            "input",
            "forum",
            "meeting",
            "decision",
            "seat",
        )
        for kind in ("list", "detail")
    },
}


# Pages that need a query string to show their form.
QUERY = {"plans:plan-create": "?member=valdoria"}


def _url_names():
    """(name, route) of every named URL, namespaces included; the admin as one entry."""

    def walk(patterns, ns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    yield "admin", route
                    continue
                inner = ns
                if pattern.namespace:
                    inner = f"{ns}:{pattern.namespace}" if ns else pattern.namespace
                yield from walk(pattern.url_patterns, inner, route)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield (f"{ns}:{pattern.name}" if ns else pattern.name), route

    seen: dict[str, str] = {}
    for name, route in walk(get_resolver().url_patterns, "", ""):
        seen.setdefault(name, route)
    return seen


def _model(label):
    return apps.get_model(label)


def _first(label, **filters):
    obj = _model(label).objects.filter(**filters).order_by("pk").first()
    assert obj is not None, f"the demo data has no {label} matching {filters}"
    return obj


def _demo_kwargs():
    """URL name → kwargs, filled from the demo data."""
    plan = _first("plans.ActionPlan", title="Fourth National Action Plan 2020–2022")
    member = plan.member
    forum = _first("forums.Forum", member=member)
    consultation = _first("consultations.Consultation", plan__member=member)
    proposal = _first("consultations.Proposal", consultation=consultation)
    commitment = _first("commitments.Commitment", plan=plan)
    org = _first("organisations.Organisation", name="Transparency Watch Valdoria")
    pending_org = _model("organisations.Organisation").objects.filter(verified_at=None).first()
    membership = _model("organisations.OrganisationMembership").objects.order_by("-pk").first()
    meeting = _first("forums.ForumMeeting", forum=forum)
    selection_round = _first("forums.SelectionRound", forum=forum)
    comment = _first("consultations.Comment")
    kwargs = {
        "organisations:member-detail": {"slug": member.slug},
        "organisations:member-workspace": {"slug": member.slug},
        "organisations:organisation-detail": {"pk": org.pk},
        "organisations:organisation-join": {"pk": org.pk},
        "organisations:organisation-reject": {"pk": (pending_org or org).pk},
        "organisations:membership-decline": {"pk": membership.pk},
        "plans:plan-detail": {"pk": plan.pk},
        "plans:plan-edit": {"pk": plan.pk},
        "plans:plan-history": {"pk": plan.pk},
        "plans:policyarea-create": {"plan_pk": plan.pk},
        "plans:policyarea-edit": {"pk": _first("plans.PolicyArea", plan=plan).pk},
        "commitments:commitment-create": {"plan_pk": plan.pk},
        "commitments:commitment-import": {"plan_pk": plan.pk},
        "commitments:milestone-edit": {"pk": _first("commitments.Milestone").pk},
        "consultations:proposal-list": {"consultation_pk": consultation.pk},
        "consultations:proposal-create": {"consultation_pk": consultation.pk},
        "consultations:moderation-queue": {"consultation_pk": consultation.pk},
        "consultations:comment-edit": {"pk": comment.pk},
        "translate": {
            "ct": ContentType.objects.get_for_model(plan).pk,
            "pk": plan.pk,
            "lang": "fr",
        },
        "records:repository": {"slug": member.slug},
        "records:repository-plan": {"slug": member.slug, "plan_pk": plan.pk},
        "records:document-create": {"slug": member.slug},
        "records:compliance": {"slug": member.slug},
    }
    for name in ("detail", "edit", "history", "withdraw"):
        kwargs[f"commitments:commitment-{name}"] = {"ogp_id": commitment.ogp_id}
    kwargs["commitments:milestone-create"] = {"ogp_id": commitment.ogp_id}
    kwargs["commitments:progress-create"] = {"ogp_id": commitment.ogp_id}
    for name in (
        "consultation-detail",
        "consultation-moderation-log",
        "consultation-edit",
        "consultation-notice",
        "consultation-document-add",
        "question-add",
        "answers-respond",
        "offline-event-add",
        "consultation-report",
    ):
        kwargs[f"consultations:{name}"] = {"pk": consultation.pk}
    for name in ("detail", "review"):
        kwargs[f"consultations:proposal-{name}"] = {"pk": proposal.pk}
    # The edit form is for drafts: the CSO's draft (its author sees the form, others a 404).
    draft = _first("consultations.Proposal", consultation=consultation, status="draft")
    kwargs["consultations:proposal-edit"] = {"pk": draft.pk}
    for name in ("round-detail", "round-nominate", "round-vote", "round-results"):
        kwargs[f"forums:{name}"] = {"pk": selection_round.pk}
    for name in (
        "meeting-detail",
        "meeting-attendance",
        "meeting-decision-add",
        "meeting-action-item-add",
        "meeting-minutes",
    ):
        kwargs[f"forums:{name}"] = {"pk": meeting.pk}
    group = _first("forums.WorkingGroup", forum=forum)
    kwargs["forums:group-detail"] = {"pk": group.pk}
    kwargs["forums:group-member-add"] = {"pk": group.pk}
    thread = _first("forums.Thread", forum=forum)
    kwargs["forums:thread-detail"] = {"pk": thread.pk}
    kwargs["forums:thread-reply"] = {"pk": thread.pk}
    for name in (
        "forum-detail",
        "forum-update",
        "seat-create",
        "round-create",
        "meeting-list",
        "meeting-create",
        "group-create",
        "thread-list",
        "thread-create",
    ):
        kwargs[f"forums:{name}"] = {"slug": member.slug}
    # The demo has no export job: one waits in the queue for the plan (public, as a job asked
    # for on a published plan), so its progress page is visited too.
    job, _created = _model("core.ExportJob").objects.get_or_create(
        kind="plan",
        target_type=ContentType.objects.get_for_model(plan),
        target_id=plan.pk,
        language="en",
        defaults={"is_public": True},
    )
    kwargs["exports:job-detail"] = {"job_id": job.pk}
    _demo_kwargs_of_later_apps(kwargs, plan, member, commitment)
    return kwargs


def _demo_kwargs_of_later_apps(kwargs, plan, member, commitment):
    """The pages of the input ledger, clusters, influence, records of the plan, closure and
    team of a commitment, working groups' drafts, governance, dashboards and guides."""
    from consultations.rules import CONSULTABLE_PLAN_STATUSES
    from plans.workflows import next_statuses

    kwargs["dashboard:member"] = {"slug": member.slug}
    kwargs["plans:plan-influence-level"] = {"pk": plan.pk}
    # A confirmation page needs a stage the plan may move to next: the member's plan in
    # co-creation has one.
    moving = next(
        p
        for p in _model("plans.ActionPlan").objects.filter(member=member).order_by("-pk")
        if next_statuses(p.status)
    )
    kwargs["plans:plan-transition-confirm"] = {
        "pk": moving.pk,
        "to": str(next(iter(next_statuses(moving.status)))),
    }
    for name in ("self-assessment", "irm-package"):
        kwargs[f"plan_records:{name}"] = {"pk": plan.pk}
    for name in ("outreach-list", "outreach-create"):
        kwargs[f"plan_records:{name}"] = {"plan_pk": plan.pk}
    kwargs["commitments:irm-import"] = {"plan_pk": plan.pk}
    for name in ("completion", "monitoring"):
        kwargs[f"commitments:commitment-{name}"] = {"ogp_id": commitment.ogp_id}
    kwargs["commitments:assessment-publish"] = {"ogp_id": commitment.ogp_id}
    # The input ledger of the plan that has inputs, with a published response and a
    # reconsideration asked of it.
    asked = _first("consultations.ReconsiderationRequest")
    entry = asked.entry
    ledger_plan = entry.plan_id
    kwargs["influence:plan-influence"] = {"plan_pk": ledger_plan}
    for name in ("input-list", "input-record", "response-draft"):
        kwargs[f"ledger:{name}"] = {"plan_pk": ledger_plan}
    kwargs["ledger:input-detail"] = {"plan_pk": ledger_plan, "pk": entry.pk}
    answered = _first("consultations.InputEntry", plan_id=ledger_plan, response__isnull=False)
    kwargs["ledger:response-detail"] = {"plan_pk": ledger_plan, "pk": answered.response_id}
    # Only a draft response may be edited: the one the civil servants of the member's plan in
    # co-creation have not published yet.
    draft = _first("consultations.ReasonedResponse", plan__member=member, published_at=None)
    kwargs["ledger:response-edit"] = {"plan_pk": draft.plan_id, "pk": draft.pk}
    for name in ("reconsideration", "reconsideration-answer"):
        kwargs[f"reconsideration:{name}"] = {"plan_pk": ledger_plan, "pk": entry.pk}
    kwargs["clusters:cluster-list"] = {"plan_pk": ledger_plan}
    # The moderation queue of monitoring comments, of a plan of the member whose moderator the
    # demo has (Port Lumen's monitored plan has no moderator among the demo roles): the one
    # with monitoring comments if there is one, else the member's plan of the walk.
    monitored = (
        _model("consultations.Comment")
        .objects.filter(consultation=None, commitment__plan__member=member)
        .values_list("commitment__plan_id", flat=True)
        .first()
    )
    kwargs["consultations:monitoring-moderation-queue"] = {"plan_pk": monitored or plan.pk}
    # A new consultation is for a plan that takes one: the member's plan in co-creation.
    open_plan = _first("plans.ActionPlan", member=member, status__in=CONSULTABLE_PLAN_STATUSES)
    kwargs["consultations:consultation-create"] = {"plan_pk": open_plan.pk}
    cluster = _first("consultations.InputCluster", plan_id=ledger_plan)
    kwargs["clusters:cluster-detail"] = {"plan_pk": ledger_plan, "pk": cluster.pk}
    # The demo has no clustering job: one waits in the queue, so its progress page is seen.
    job, _created = _model("consultations.ClusteringJob").objects.get_or_create(plan_id=ledger_plan)
    kwargs["clusters:job-detail"] = {"plan_pk": ledger_plan, "pk": job.pk}
    kwargs["forums:group-draft-detail"] = {"pk": _first("forums.GroupDraft").pk}
    for name in ("forum-governance", "secretariat-member-create", "decision-list"):
        kwargs[f"forums:{name}"] = {"slug": member.slug}
    kwargs["guides:guide"] = {"audience": "citizens"}
    resource = _first("guides.Resource")
    for name in ("resource-edit", "resource-history"):
        kwargs[f"guides:{name}"] = {"pk": resource.pk}


def _pages(kwargs):
    """The URLs to visit: every named URL not in NOT_VISITED, in URL-configuration order."""
    pages = []
    for name, route in _url_names().items():
        if name in NOT_VISITED:
            continue
        if "<" in route or "(?P" in route:
            if name not in kwargs:
                continue  # reported by test_every_url_is_visited_or_explained
            pages.append((name, reverse(name, kwargs=kwargs[name])))
        else:
            pages.append((name, reverse(name) + QUERY.get(name, "")))
    return pages


def test_every_url_is_visited_or_explained(db):
    """A URL with parameters the demo cannot fill, and that NOT_VISITED does not explain,
    fails here: add it to _demo_kwargs (or the demo data), or to NOT_VISITED with a reason."""
    call_command("load_demo", quiet_logins=True)
    kwargs = _demo_kwargs()
    names = _url_names()
    unexplained = [
        f"{name} ({route})"
        for name, route in names.items()
        if name not in NOT_VISITED and ("<" in route or "(?P" in route) and name not in kwargs
    ]
    assert not unexplained, "URLs neither visited nor explained:\n" + "\n".join(unexplained)
    stale = sorted(set(NOT_VISITED) - set(names))
    assert not stale, f"NOT_VISITED names URLs that no longer exist: {stale}"


WIDEST_JS = """() => {
  // Wider than the screen on either side: to the right (left to right pages) or to the
  // left (right to left pages, where overflow grows leftwards).
  const viewport = window.innerWidth;
  const width = document.documentElement.scrollWidth;
  if (width <= viewport) return null;
  let widest = null, out = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width <= 0) continue;
    const beyond = Math.max(box.right - viewport, -box.left);
    if (beyond > 0.5 && beyond >= out) { widest = el; out = beyond; }
  }
  let name = '';
  if (widest) {
    name = widest.tagName.toLowerCase() + (widest.id ? '#' + widest.id : '') +
      (widest.className && typeof widest.className === 'string'
        ? '.' + widest.className.trim().split(/\\s+/).join('.') : '');
    name += ' (' + Math.round(out) + ' px beyond the screen): ' +
      widest.outerHTML.slice(0, 160);
  }
  return {width: width, widest: name};
}"""

CONTENT_KEY_JS = """() => {
  const main = document.querySelector('main');
  return (main ? main.innerHTML : document.body.innerHTML)
    .replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, '');
}"""


# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA. Only violations are gathered: the
# passing and the undecided nodes, which this test does not read, took axe most of its time.
AXE_OPTIONS = {
    "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    "resultTypes": ["violations"],
}


def _axe_failures(page, axe):
    results = axe.run(page, options=AXE_OPTIONS)
    lines = []
    for violation in results.response["violations"]:
        if violation.get("impact") in SERIOUS_IMPACTS:
            targets = "; ".join(
                ", ".join(str(t) for t in node["target"]) for node in violation["nodes"][:3]
            )
            lines.append(f"axe {violation['id']} ({violation['impact']}): {targets}")
    return lines


def _account_states(settings):
    """The account states the demo roles are not in, so that every account page is seen.

    The citizen has no usable password (as an account whose password was reset by an
    administrator), so the set-password form is hers while the others see the change-password
    form. The secretariat has an authenticator app and recovery codes (the demo), everyone
    else none (the activation form). Each role signs in as having just confirmed the password
    on the reauthentication form (visited under its own name), which those pages ask for; a
    walk is longer than the five minutes allauth trusts that confirmation.
    """
    citizen = _model("users.User").objects.get(email=ROLES["citizen"])
    citizen.set_unusable_password()
    citizen.save(update_fields=["password"])
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 24 * 3600


def test_every_page_fits_a_phone_for_every_role(browser, live_server, settings):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as PlaywrightError

    call_command("load_demo", quiet_logins=True)
    _account_states(settings)
    pages = _pages(_demo_kwargs())
    user_model = _model("users.User")
    axe = Axe()
    axe_done: set[str] = set()
    axe_runs: dict[str, set[str]] = {}
    failures: list[str] = []
    started = time.monotonic()
    visits = 0
    axe_seconds = 0.0
    for role, email in ROLES.items():
        context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            if email:
                sign_in(
                    page, live_server, user_model.objects.get(email=email), reauthenticated=True
                )
            _check_header(page, role, failures)
            for name, url in pages:
                where = f"{url} ({name}) as {role}"
                try:
                    response = page.goto(url)
                except PlaywrightError as error:  # e.g. a 405 with an empty body
                    failures.append(f"{where}: not a page ({str(error).splitlines()[0]})")
                    page.goto("about:blank")
                    continue
                visits += 1
                if response is not None and response.status >= 500:
                    failures.append(f"{where}: server error {response.status}")
                    continue
                too_wide = page.evaluate(WIDEST_JS)
                if too_wide:
                    failures.append(
                        f"{where}: {too_wide['width']} px wide at {PHONE['width']} px; "
                        f"widest element {too_wide['widest']}"
                    )
                # axe: each distinct page once; a URL gets at most two runs (what the public
                # sees, what staff see), and a refusal page once whatever its URL.
                status = response.status if response is not None else 0
                content = hashlib.sha256(page.evaluate(CONTENT_KEY_JS).encode()).hexdigest()
                runs = axe_runs.setdefault(name if status == 200 else f"status {status}", set())
                if content not in axe_done and len(runs) < (2 if status == 200 else 1):
                    axe_done.add(content)
                    runs.add(content)
                    t0 = time.monotonic()
                    failures.extend(f"{where}: {line}" for line in _axe_failures(page, axe))
                    axe_seconds += time.monotonic() - t0
        finally:
            context.close()
    elapsed = time.monotonic() - started
    assert not failures, (
        f"{len(failures)} problem(s) in {visits} visits and {len(axe_done)} axe runs "
        f"({elapsed:.0f} s, axe {axe_seconds:.0f} s):\n" + "\n".join(failures)
    )


# The other languages: each distinct page once per language, as the first role (in ROLES
# order) that may see it, instead of the full per-role walk English gets. These pages are
# built around the person who reads them, so every role sees them in every language.
PER_ROLE = {
    "core:home",
    "organisations:member-workspace",
    "notifications:inbox",
    "users:profile",
}
OTHER_LANGUAGES = ["fr", "es", "ar"]
# Who tries a page first in the other languages: what the public sees, then the secretariat,
# who may open most staff pages, so that few visits end in a refusal; then everyone else, for
# the pages only they may open (a CSO's own draft, an organisation's own page).
LANGUAGE_ROLE_ORDER = ["anonymous", "secretariat"] + [
    role for role in ROLES if role not in ("anonymous", "secretariat")
]
RIGHT_TO_LEFT = {"ar"}
# Pages that every role of the demo is refused (403, 404) or redirected from, in every
# language, so that no walk sees their form. None now: each page has a role and a demo object
# in the state it needs (see _account_states); a page that newly refuses everyone fails the
# language walk, and goes here only with the reason it cannot be reached.
NO_ROLE_OPENS: set[str] = set()

HTML_JS = """() => [document.documentElement.lang, document.documentElement.dir]"""


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_page_passes_axe_and_fits_a_phone_in_each_language(
    browser, live_server, settings, language
):
    """In French, Spanish and Arabic (right to left), every page of the walk fits 375 px, has
    the right `<html lang dir>` and no serious or critical axe violation. The language is the
    one the switcher stores (the language cookie), as for a person who chose it."""
    from axe_playwright_python.sync_playwright import Axe
    from django.conf import settings
    from playwright.sync_api import Error as PlaywrightError

    call_command("load_demo", quiet_logins=True)
    _account_states(settings)
    pending = _pages(_demo_kwargs())
    user_model = _model("users.User")
    axe = Axe()
    direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
    refusals_checked: set[int] = set()
    failures: list[str] = []
    started = time.monotonic()
    visits = axe_runs = 0
    axe_seconds = 0.0
    for role in LANGUAGE_ROLE_ORDER:
        email = ROLES[role]
        if not pending:
            break
        context = browser.new_context(base_url=live_server.url, locale=language, viewport=PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            if email:
                sign_in(
                    page, live_server, user_model.objects.get(email=email), reauthenticated=True
                )
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            )
            still_pending = []
            for name, url in pending:
                where = f"{url} ({name}) in {language} as {role}"
                try:
                    response = page.goto(url)
                except PlaywrightError as error:
                    failures.append(f"{where}: not a page ({str(error).splitlines()[0]})")
                    page.goto("about:blank")
                    continue
                visits += 1
                status = response.status if response is not None else 0
                if status >= 500:
                    failures.append(f"{where}: server error {status}")
                    continue
                lang, dir_ = page.evaluate(HTML_JS)
                if (lang, dir_) != (language, direction):
                    failures.append(f'{where}: <html lang="{lang}" dir="{dir_}">')
                seen = status == 200 and urlsplit(page.url).path == urlsplit(url).path
                if name in PER_ROLE or not seen:
                    still_pending.append((name, url))
                # A refusal (403, 404) once per status; a redirect (to sign in) is a page
                # of its own, visited under its own name.
                if not seen and (status == 200 or status in refusals_checked):
                    continue
                if not seen:
                    refusals_checked.add(status)
                too_wide = page.evaluate(WIDEST_JS)
                if too_wide:
                    failures.append(
                        f"{where}: {too_wide['width']} px wide at {PHONE['width']} px; "
                        f"widest element {too_wide['widest']}"
                    )
                t0 = time.monotonic()
                failures.extend(f"{where}: {line}" for line in _axe_failures(page, axe))
                axe_seconds += time.monotonic() - t0
                axe_runs += 1
            pending = still_pending
        finally:
            context.close()
    elapsed = time.monotonic() - started
    assert not failures, (
        f"{len(failures)} problem(s) in {language}, {visits} visits and {axe_runs} axe runs "
        f"({elapsed:.0f} s, axe {axe_seconds:.0f} s):\n" + "\n".join(failures)
    )
    never = {name for name, _url in pending if name not in PER_ROLE}
    assert never == NO_ROLE_OPENS, (
        f"in {language}, no role of the demo opened {sorted(never - NO_ROLE_OPENS)}; "
        f"now opened: {sorted(NO_ROLE_OPENS - never)}"
    )


def _check_header(page, role, failures):
    """On a phone the header is one short line with a Menu button, which opens the menu
    (no script needed) and is reached with the keyboard."""
    page.goto("/")
    header = page.locator("header.site-header")
    height = header.bounding_box()["height"]
    if height > 0.15 * PHONE["height"]:
        failures.append(f"/ as {role}: the folded header is {height:.0f} px high")
    nav = page.get_by_role("navigation", name="Main")
    if nav.is_visible():
        failures.append(f"/ as {role}: the menu is open before the Menu button is pressed")
    page.locator("label.menu-button").click()
    if not nav.get_by_role("link", name="Action plans").is_visible():
        failures.append(f"/ as {role}: the Menu button does not show the menu")
    if page.evaluate(WIDEST_JS):
        failures.append(f"/ as {role}: the open menu makes the page wider than the screen")
    page.locator("label.menu-button").click()
    if nav.is_visible():
        failures.append(f"/ as {role}: the Menu button does not close the menu")
    # Keyboard: Tab past the skip link and the site name reaches the toggle; Space opens it.
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.id") != "menu-toggle":
        failures.append(f"/ as {role}: the Menu button is not the third stop of the Tab key")
        return
    page.keyboard.press("Space")
    if not re.search(r"\S", nav.inner_text()) or not nav.is_visible():
        failures.append(f"/ as {role}: Space on the Menu button does not open the menu")
