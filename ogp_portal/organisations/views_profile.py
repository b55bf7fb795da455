"""/accounts/profile/about-you/: the person's optional profile, through
services.person_profile_update (issue #18)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from ogp_portal.core.form_views import ServiceFormMixin
from ogp_portal.users.types import AuthenticatedHttpRequest

from . import services
from .forms_profile import PersonProfileForm
from .models import PersonProfile


class PersonProfileView(LoginRequiredMixin, ServiceFormMixin, FormView):
    request: AuthenticatedHttpRequest
    form_class = PersonProfileForm
    template_name = "organisations/person_profile.html"
    success_url = reverse_lazy("organisations:person-profile")

    def get_initial(self) -> dict[str, Any]:
        profile = PersonProfile.objects.filter(user=self.request.user).first()
        if profile is None:
            return {}
        return {
            "region": profile.region_id,
            "consent": profile.consent_at is not None,
            "gender": profile.gender,
            "age_band": profile.age_band,
        }

    def form_valid(self, form):
        user = self.request.user
        _profile, refused = self.call_service(
            form,
            lambda: services.person_profile_update(user, actor=user, **self.service_data(form)),
        )
        if refused is not None:
            return refused
        messages.success(self.request, _("Your profile is saved."))
        return super().form_valid(form)
