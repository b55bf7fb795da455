"""Public pages for members and organisations, organisation self-service, and the
secretariat's screens for verifying organisations and granting roles."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView
from rules.contrib.views import permission_required

from ogp_portal.core import list_downloads
from ogp_portal.core.form_views import (
    PermissionRequiredMixin,
    ServiceFormMixin,
    require,
    run_action,
)
from ogp_portal.users.models import User
from ogp_portal.users.types import AuthenticatedHttpRequest

from . import services
from .access import access_for
from .choices import MembershipStatus, OrganisationKind, Role
from .filters import OrganisationFilter
from .forms import OrganisationRegisterForm, ReasonForm, RoleGrantForm, UnverifyForm
from .member_links import member_links
from .models import Member, Organisation, OrganisationMembership, RoleGrant
from .profile import profile_sections
from .workspace import group_by_role, todos_for


class MemberListView(ListView):
    model = Member
    paginate_by = 50

    def get_queryset(self):
        return Member.objects.annotate(
            organisation_count=Count(
                "organisations", filter=Q(organisations__verified_at__isnull=False)
            )
        ).order_by("member_type", "name")  # aggregation drops Meta.ordering


class MemberDetailView(DetailView):
    model = Member

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        verified = self.object.organisations.verified().order_by("kind", "name")
        context["organisations"] = verified
        context["cso_count"] = sum(1 for o in verified if o.kind == OrganisationKind.CSO)
        # Plans belong to a higher app: read them through the reverse relation, filtered by
        # the plan's own visibility rule, without importing it here.
        context["plans"] = self.object.action_plans.visible_to(self.request.user)
        context["member_links"] = member_links(self.object)
        return context


class MemberWorkspaceView(PermissionRequiredMixin, DetailView):
    """What the signed-in person may do for this member: later features add their links here."""

    model = Member
    template_name = "organisations/member_workspace.html"
    permission_required = "organisations.view_member_workspace"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = access_for(self.request.user)
        member = self.object
        context["my_roles"] = [
            label for value, label in Role.choices if access.has_role(member.pk, value)
        ]
        context["represents_cso"] = member.pk in access.cso_member_ids
        context["todo_groups"] = group_by_role(todos_for(self.request.user, member))
        context["my_organisations"] = Organisation.objects.filter(
            pk__in=access.approved_organisation_ids, member=member
        )
        if access.has_role(member.pk, Role.COMMITMENT_LEAD):
            # Commitments belong to a higher app: read them through the reverse relation of
            # the lead organisation, with the commitments' own visibility rule.
            context["my_commitments"] = [
                commitment
                for org in context["my_organisations"]
                for commitment in org.led_commitments.visible_to(self.request.user)
                .select_related("plan")
                .order_by("ogp_id")
            ]
        return context


class OrganisationListView(FilterView):
    model = Organisation
    filterset_class = OrganisationFilter
    paginate_by = 25
    template_name = "organisations/organisation_list.html"

    def get_queryset(self):
        return Organisation.objects.verified().select_related("member")

    def get(self, request, *args, **kwargs):
        fmt = list_downloads.wanted_format(request)
        if fmt is None:
            return super().get(request, *args, **kwargs)
        # The same filters as the page, every match, streamed.
        filterset = self.get_filterset(self.get_filterset_class())
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        rows = (
            (
                org.name,
                org.get_kind_display(),
                org.member.name if org.member else "",
                org.verified_at.date().isoformat() if org.verified_at else "",
                request.build_absolute_uri(org.get_absolute_url()),
            )
            for org in queryset.iterator(chunk_size=list_downloads.CHUNK)
        )
        header = ("name", "kind", "member", "verified_on", "url")
        return list_downloads.stream_list(fmt, "organisations", header, rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["download_links"] = list_downloads.download_links(self.request)
        return context


class OrganisationDetailView(DetailView):
    model = Organisation

    def get_queryset(self):
        return Organisation.objects.select_related("member")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        org = self.object
        context["can_manage"] = user.has_perm("organisations.manage_organisation", org)
        if context["can_manage"]:
            context["pending"] = org.memberships.filter(
                status=MembershipStatus.PENDING
            ).select_related("user")
            context["members"] = org.memberships.filter(
                status=MembershipStatus.APPROVED
            ).select_related("user")
        if user.is_authenticated:
            context["my_membership"] = org.memberships.filter(user=user).first()
        # Proposals, coalitions, commitment teams…: sections the higher apps register.
        context["sections"] = profile_sections(org, user)
        return context


class OrganisationRegisterView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    # PermissionRequiredMixin sends anonymous people to sign in.
    request: AuthenticatedHttpRequest
    form_class = OrganisationRegisterForm
    template_name = "organisations/organisation_form.html"
    permission_required = "organisations.register_organisation"

    def form_valid(self, form):
        organisation, refused = self.call_service(
            form,
            lambda: services.organisation_register(actor=self.request.user, **form.cleaned_data),
        )
        if organisation is None:  # refused: `refused` is the page to answer with
            return refused
        messages.success(
            self.request,
            _(
                "%(org)s is registered. The secretariat will verify it; until then it cannot "
                "act as a civil-society organisation."
            )
            % {"org": organisation},
        )
        return redirect(organisation)


@require_POST
def organisation_join(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={organisation.get_absolute_url()}")
    if not user.has_perm("organisations.join_organisation", organisation):
        messages.error(request, _("Verify your e-mail address before joining an organisation."))
        return redirect(organisation)
    _membership, refused = run_action(
        request,
        lambda: services.membership_request(organisation, actor=user),
        level=messages.INFO,
    )
    if not refused:
        messages.success(
            request, _("Your request was sent. An admin of the organisation will answer it.")
        )
    return redirect(organisation)


@require_POST
def membership_decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("organisation", "user"), pk=pk
    )
    organisation = membership.organisation
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={organisation.get_absolute_url()}")
    require(request, "organisations.manage_organisation", organisation)
    approve = request.POST.get("decision") == "approve"
    if not approve:  # declining asks for a reason on a confirmation page first
        return redirect("organisations:membership-decline", pk=membership.pk)
    _membership, refused = run_action(
        request,
        lambda: services.membership_decide(
            membership,
            actor=user,
            approve=approve,
            make_admin=approve and request.POST.get("make_admin") == "on",
        ),
        level=messages.INFO,
    )
    if not refused:
        if approve:
            messages.success(request, _("%(user)s is now a member.") % {"user": membership.user})
        else:
            messages.success(request, _("The request was declined."))
    return redirect(organisation)


def membership_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page, asking why; POST: decline with that reason (the person is
    told). Only the organisation's admins (or the secretariat) may."""
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("organisation", "user"), pk=pk
    )
    organisation = membership.organisation
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={organisation.get_absolute_url()}")
    require(request, "organisations.manage_organisation", organisation)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        _membership, refused = run_action(
            request,
            lambda: services.membership_decide(
                membership, actor=user, approve=False, reason=form.cleaned_data["reason"]
            ),
        )
        if not refused:
            messages.success(request, _("The request was declined; the person is told why."))
        return redirect(organisation)
    return render(
        request,
        "organisations/membership_decline.html",
        {"membership": membership, "organisation": organisation, "form": form},
        status=400 if form.is_bound else 200,
    )


def organisation_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page, asking why; POST: reject the pending organisation with
    that reason (its admins are told). Only the secretariat may."""
    require(request, "organisations.verify_organisation")
    user = cast(User, request.user)
    organisation = get_object_or_404(Organisation, pk=pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        _organisation, refused = run_action(
            request,
            lambda: services.organisation_reject(
                organisation, actor=user, reason=form.cleaned_data["reason"]
            ),
        )
        if not refused:
            messages.success(
                request, _("%(org)s is rejected; its admins are told why.") % {"org": organisation}
            )
        return redirect("organisations:secretariat")
    return render(
        request,
        "organisations/organisation_reject.html",
        {"organisation": organisation, "form": form},
        status=400 if form.is_bound else 200,
    )


class SecretariatView(PermissionRequiredMixin, TemplateView):
    template_name = "organisations/secretariat.html"
    permission_required = "organisations.view_secretariat"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending_organisations"] = (
            Organisation.objects.filter(verified_at__isnull=True, rejected_at__isnull=True)
            .select_related("member")
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=OrganisationMembership.objects.filter(is_admin=True).select_related(
                        "user"
                    ),
                    to_attr="admins",
                )
            )
            .order_by("created_at")[:100]
        )
        context["grants"] = RoleGrant.objects.select_related("user", "member", "granted_by")[:200]
        context.setdefault("grant_form", RoleGrantForm())
        context["unverify_form"] = UnverifyForm()
        # The secretariat's workspace: the portal-wide to-dos (no member).
        context["todo_groups"] = group_by_role(todos_for(self.request.user, None))
        context["verified_organisations"] = (
            Organisation.objects.verified().select_related("member").order_by("-verified_at")[:50]
        )
        return context


class RoleGrantView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    request: AuthenticatedHttpRequest  # only the secretariat passes PermissionRequiredMixin
    form_class = RoleGrantForm
    template_name = "organisations/secretariat.html"
    permission_required = "organisations.grant_role"
    http_method_names = ["post"]

    def form_valid(self, form):
        grant, refused = self.call_service(
            form,
            lambda: services.role_grant(
                form.cleaned_data["user"],
                actor=self.request.user,
                role=form.cleaned_data["role"],
                member=form.cleaned_data["member"],
            ),
        )
        if refused:
            return refused
        messages.success(self.request, _("Role granted: %(grant)s.") % {"grant": grant})
        return redirect("organisations:secretariat")

    def form_invalid(self, form):
        # Re-render the whole secretariat page with the errors and what was typed.
        view = SecretariatView(request=self.request, kwargs={})
        context = view.get_context_data(grant_form=form)
        messages.error(self.request, _("The role was not granted: check the form below."))
        return self.render_to_response(context, status=400)


@require_POST
@permission_required("organisations.grant_role")
def role_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(RoleGrant.objects.select_related("user", "member"), pk=pk)
    _result, refused = run_action(request, lambda: services.role_revoke(grant, actor=request.user))
    if not refused:
        messages.success(request, _("Role removed: %(grant)s.") % {"grant": grant})
    return redirect("organisations:secretariat")


@require_POST
@permission_required("organisations.verify_organisation")
def organisation_verify(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    _organisation, refused = run_action(
        request, lambda: services.organisation_verify(organisation, actor=request.user)
    )
    if not refused:
        messages.success(request, _("%(org)s is verified.") % {"org": organisation})
    return redirect("organisations:secretariat")


@require_POST
@permission_required("organisations.verify_organisation")
def organisation_unverify(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = UnverifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the verification is withdrawn."))
        return redirect("organisations:secretariat")
    _organisation, refused = run_action(
        request,
        lambda: services.organisation_unverify(
            organisation, actor=request.user, reason=form.cleaned_data["reason"]
        ),
    )
    if not refused:
        messages.success(request, _("Verification of %(org)s withdrawn.") % {"org": organisation})
    return redirect("organisations:secretariat")


class MyOrganisationsView(LoginRequiredMixin, ListView):
    request: AuthenticatedHttpRequest
    template_name = "organisations/my_organisations.html"
    context_object_name = "memberships"

    def get_queryset(self):
        return OrganisationMembership.objects.filter(user=self.request.user).select_related(
            "organisation", "organisation__member"
        )
