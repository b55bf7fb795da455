from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import UpdateView

from ogp_portal.organisations.models import OrganisationMembership, RoleGrant

from .forms import ProfileForm
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
