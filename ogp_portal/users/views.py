from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, UpdateView

from ogp_portal.core.errors import DomainError
from ogp_portal.organisations.models import OrganisationMembership, RoleGrant

from .forms import DeleteAccountForm, ProfileForm
from .services import user_delete, user_export_archive
from .types import AuthenticatedHttpRequest


class ProfileView(LoginRequiredMixin, UpdateView):
    request: AuthenticatedHttpRequest
    form_class = ProfileForm
    template_name = "users/profile.html"
    success_url = reverse_lazy("users:profile")

    def get_object(self, queryset=None):
        return self.request.user

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["grants"] = RoleGrant.objects.filter(user=self.request.user).select_related(
            "member"
        )
        context["memberships"] = OrganisationMembership.objects.filter(
            user=self.request.user
        ).select_related("organisation")
        return context

    def form_valid(self, form):
        messages.success(self.request, _("Your profile is saved."))
        return super().form_valid(form)


class DataExportView(LoginRequiredMixin, TemplateView):
    """ "Download my data": the page explains, a POST returns the ZIP archive."""

    request: AuthenticatedHttpRequest
    template_name = "users/data_export.html"

    def post(self, request: AuthenticatedHttpRequest, *args, **kwargs) -> HttpResponse:
        archive = user_export_archive(request.user)
        stamp = timezone.now().strftime("%Y%m%d")
        response = HttpResponse(archive, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="my-ogp-portal-data-{stamp}.zip"'
        response["Cache-Control"] = "private, no-store"
        return response


class AccountDeleteView(LoginRequiredMixin, FormView):
    """ "Delete my account", after the password is given again."""

    request: AuthenticatedHttpRequest
    template_name = "users/account_delete.html"
    form_class = DeleteAccountForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        user = self.request.user
        try:
            user_delete(user, actor=user)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        logout(self.request)
        messages.success(self.request, _("Your account is deleted."))
        return redirect("core:home")
