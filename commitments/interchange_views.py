"""Importing commitments from a CSV/JSON file and exporting a plan's commitments."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from rules.contrib.views import PermissionRequiredMixin

from ogp_portal.core.form_views import ServiceFormMixin
from ogp_portal.core.languages import CONTENT_LANGUAGE_CHOICES
from plans.models import ActionPlan

from . import interchange
from .models import Commitment

CONTENT_LANGUAGES = {code for code, _name in CONTENT_LANGUAGE_CHOICES}


class CommitmentImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or JSON file"),
        help_text=_("UTF-8 text, at most 2 MB and 1,000 commitments."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )


class CommitmentImportView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    """Explain the columns, take a file, and import all its rows or none."""

    form_class = CommitmentImportForm
    template_name = "commitments/commitment_import.html"
    permission_required = "commitments.import_commitments"

    @cached_property
    def plan(self) -> ActionPlan:
        return get_object_or_404(
            ActionPlan.objects.select_related("member"), pk=self.kwargs["plan_pk"]
        )

    def get_permission_object(self):
        return self.plan

    def handle_no_permission(self):
        # A signed-in person who may not even see the (draft) plan learns nothing about it.
        user = self.request.user
        if (
            user.is_authenticated
            and not ActionPlan.objects.visible_to(user).filter(pk=self.plan.pk).exists()
        ):
            raise Http404
        return super().handle_no_permission()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.plan,
            columns=[(name, interchange.COLUMN_HELP[name]) for name in interchange.COLUMNS],
            policy_areas=self.plan.policy_areas.all(),
            max_rows=interchange.MAX_ROWS,
            **kwargs,
        )

    def form_valid(self, form):
        def import_file() -> list[Commitment] | interchange.ImportRejected:
            try:
                rows = interchange.parse_upload(form.cleaned_data["file"])
                return interchange.import_commitments(self.plan, actor=self.request.user, rows=rows)
            except interchange.ImportRejected as rejected:
                return rejected  # shown as a table of rows, not as one form error

        created, refused = self.call_service(form, import_file)
        if created is None:  # refused: `refused` is the response that says why
            return refused
        if isinstance(created, interchange.ImportRejected):
            for error in created.errors:
                if error.line is None:
                    form.add_error("file", error.message)
            row_errors = [error for error in created.errors if error.line is not None]
            return self.render_to_response(
                self.get_context_data(form=form, row_errors=row_errors), status=400
            )
        messages.success(
            self.request,
            ngettext(
                "%(count)s commitment was imported.",
                "%(count)s commitments were imported.",
                len(created),
            )
            % {"count": len(created)},
        )
        return redirect(self.plan)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def commitment_export(
    request: HttpRequest, plan_pk: int, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """The plan's commitments the visitor may see, as CSV or JSON, in `?lang=` (default:
    the plan's primary language; untranslated texts stay in the primary language)."""
    if fmt not in ("csv", "json"):
        raise Http404
    plan = get_object_or_404(
        ActionPlan.objects.visible_to(request.user).select_related("member"), pk=plan_pk
    )
    language = request.GET.get("lang") or plan.primary_language
    if language not in CONTENT_LANGUAGES:
        language = plan.primary_language
    rows = interchange.export_rows(plan, language, Commitment.objects.visible_to(request.user))
    filename = f"{plan.member.iso_code}-plan-{plan.sequence_no}-{language}.{fmt}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(
            interchange.write_csv(rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            interchange.write_json(rows), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
