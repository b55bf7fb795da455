"""How to take part (three plain-language guides) and the resources page."""

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from ogp_portal.core.form_views import PermissionRequiredMixin, ServiceFormMixin
from ogp_portal.core.languages import CONTENT_LANGUAGE_CHOICES
from ogp_portal.core.translations import attach_translations, content_type_id, translated
from ogp_portal.users.models import User

from .forms import ResourceForm
from .models import Resource, ResourceAudience
from .services import resource_save
from .text import render_resource_text

GUIDES = {
    "citizens": "guides/guide_citizens.html",
    "organisations": "guides/guide_organisations.html",
    "government": "guides/guide_government.html",
}
# The languages the interface speaks, offered first on the resources' "Translate" links.
_INTERFACE_LANGUAGES = [code for code, _name in settings.LANGUAGES]
_CONTENT_LANGUAGES = {code for code, _name in CONTENT_LANGUAGE_CHOICES}


def reconsideration_days() -> int:
    """Days after a published response during which its input's author may ask once for
    reconsideration (the consultations app owns the setting; 30 is its default)."""
    return int(getattr(settings, "OGP_RECONSIDERATION_DAYS", 30))


class TakePartView(TemplateView):
    """The way in: what happens when in the OGP cycle, and which guide is yours."""

    template_name = "guides/take_part.html"


class GuideView(TemplateView):
    def dispatch(self, request, *args, **kwargs):
        if kwargs["audience"] not in GUIDES:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self) -> list[str]:
        return [GUIDES[self.kwargs["audience"]]]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["reconsideration_days"] = reconsideration_days()
        return context


class ResourceListView(ListView):
    """Public: every resource, in the reader's language where translated."""

    template_name = "guides/resource_list.html"
    context_object_name = "resources"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Resource]:
        return Resource.objects.order_by("position", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        language = get_language() or settings.LANGUAGE_CODE
        resources = list(context["resources"])
        attach_translations(resources, language)
        context["entries"] = [
            {
                "resource": r,
                "title": translated(r, "title", language),
                "body": (body := translated(r, "body", language)),
                "html": render_resource_text(body.text),
            }
            for r in resources
        ]
        can_edit = self.request.user.has_perm("guides.change_resource")
        context["can_edit"] = can_edit
        if can_edit:
            context["resource_content_type"] = content_type_id(Resource)
            context["translation_languages"] = _INTERFACE_LANGUAGES
        context["audiences"] = ResourceAudience
        return context


class ResourceFormView(PermissionRequiredMixin, ServiceFormMixin, FormView):
    """Add or edit a resource (the secretariat)."""

    template_name = "guides/resource_form.html"
    form_class = ResourceForm
    resource: Resource | None = None

    def get_permission_required(self) -> tuple[str]:
        return ("guides.change_resource" if self.kwargs.get("pk") else "guides.add_resource",)

    def get_permission_object(self) -> Resource | None:
        return self._resource()

    def _resource(self) -> Resource | None:
        if "pk" in self.kwargs and self.resource is None:
            self.resource = get_object_or_404(Resource, pk=self.kwargs["pk"])
        return self.resource

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self._resource()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["resource"] = self._resource()
        return context

    def form_valid(self, form):
        fields = self.service_data(form)
        actor = cast(User, self.request.user)  # the permission check let only staff in
        resource, refused = self.call_service(
            form, lambda: resource_save(self._resource(), actor=actor, **fields)
        )
        if refused or resource is None:
            return refused
        messages.success(self.request, _("The resource is saved."))
        return redirect(resource)


class ResourceHistoryView(PermissionRequiredMixin, ListView):
    """Every saved version of a resource, newest first (the secretariat)."""

    template_name = "guides/resource_history.html"
    context_object_name = "versions"
    permission_required = "guides.view_resource_history"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Any]:
        self.resource = get_object_or_404(Resource, pk=self.kwargs["pk"])
        return self.resource.history.select_related("history_user").order_by("-history_date")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["resource"] = self.resource
        return context
