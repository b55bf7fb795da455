"""Importing commitments from a CSV/JSON file and exporting a plan's commitments."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView

from ogp_portal.core.form_views import PermissionRequiredMixin, ServiceFormMixin
from ogp_portal.core.languages import CONTENT_LANGUAGE_CHOICES
from ogp_portal.users.types import AuthenticatedHttpRequest
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


class CommitmentImportConfirmForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)


class CommitmentImportView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    """Explain the columns, take a file, and show what importing it would do (new, changed,
    unchanged) with a button to confirm; nothing is written before that."""

    # Reached by signed-in people only (PermissionRequiredMixin sends the others to sign in).
    request: AuthenticatedHttpRequest
    form_class: type[forms.Form] = CommitmentImportForm
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

    def render_rejected(
        self, form: forms.Form, rejected: interchange.ImportRejected
    ) -> HttpResponse:
        """The import page again, with the file's problems: by line in a table, the file's
        as a whole on the upload field."""
        file_errors = [error.message for error in rejected.errors if error.line is None]
        row_errors = [error for error in rejected.errors if error.line is not None]
        if "file" in form.fields:  # the upload form: next to its field
            for message in file_errors:
                form.add_error("file", message)
            file_errors = []
        else:  # the confirmation: above a new upload form
            form = CommitmentImportForm()
        return self.render_to_response(
            self.get_context_data(form=form, file_errors=file_errors, row_errors=row_errors),
            status=400,
        )

    def render_preview(
        self, preview: interchange.ImportPreview, *, status: int = 200, **context
    ) -> HttpResponse:
        confirm = CommitmentImportConfirmForm(initial={"token": preview.token})
        return self.render_to_response(
            self.get_context_data(
                form=CommitmentImportForm(), preview=preview, confirm_form=confirm, **context
            ),
            status=status,
        )

    def form_valid(self, form):
        def preview_file() -> interchange.ImportPreview | interchange.ImportRejected:
            upload = form.cleaned_data["file"]
            try:
                rows = interchange.parse_upload(upload)
                return interchange.import_preview(
                    self.plan, actor=self.request.user, rows=rows, file_name=upload.name or ""
                )
            except interchange.ImportRejected as rejected:
                return rejected  # shown as a table of rows, not as one form error

        result, refused = self.call_service(form, preview_file)
        if result is None:  # refused: `refused` is the response that says why
            return refused
        if isinstance(result, interchange.ImportRejected):
            return self.render_rejected(form, result)
        return self.render_preview(result)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CommitmentImportConfirmView(CommitmentImportView):
    """Apply a previewed import (POST only). A second click on the button imports nothing
    twice; a plan changed since the preview gets a new preview instead."""

    form_class = CommitmentImportConfirmForm
    http_method_names = ["post"]

    def form_valid(self, form):
        token = form.cleaned_data["token"]
        outcomes = (interchange.ImportRejected, interchange.ImportStale, interchange.ImportGone)

        def apply() -> interchange.ImportPreview | Exception:
            try:
                return interchange.import_apply(self.plan, actor=self.request.user, token=token)
            except outcomes as outcome:
                return outcome  # each has a page of its own below

        result, refused = self.call_service(form, apply)
        if result is None:
            return refused
        if isinstance(result, interchange.ImportStale):
            return self.preview_again(form, result)
        if isinstance(result, interchange.ImportGone):
            if result.applied:  # a double click: the first one did it
                messages.info(self.request, str(result))
                return redirect(self.plan)
            return self.render_to_response(
                self.get_context_data(form=CommitmentImportForm(), file_errors=[str(result)]),
                status=400,
            )
        if isinstance(result, interchange.ImportRejected):
            return self.render_rejected(form, result)
        assert isinstance(result, interchange.ImportPreview)  # noqa: S101 (narrowing)
        if result.new:
            messages.success(
                self.request,
                ngettext(
                    "%(count)s commitment was imported.",
                    "%(count)s commitments were imported.",
                    len(result.new),
                )
                % {"count": len(result.new)},
            )
        if result.changed:
            messages.success(
                self.request,
                ngettext(
                    "%(count)s commitment was updated.",
                    "%(count)s commitments were updated.",
                    len(result.changed),
                )
                % {"count": len(result.changed)},
            )
        return redirect(self.plan)

    def preview_again(self, form, stale: interchange.ImportStale) -> HttpResponse:
        def preview() -> interchange.ImportPreview | interchange.ImportRejected:
            try:
                return interchange.import_preview(
                    self.plan, actor=self.request.user, rows=stale.rows, file_name=stale.file_name
                )
            except interchange.ImportRejected as rejected:
                return rejected

        result, refused = self.call_service(form, preview)
        if result is None:
            return refused
        if isinstance(result, interchange.ImportRejected):
            return self.render_rejected(form, result)
        return self.render_preview(result, status=409, stale_message=str(stale))

    def form_invalid(self, form):
        # A refusal of the service (the plan was archived meanwhile, someone is saving the
        # same commitment): the import page again, with the reason above the upload field.
        return self.render_to_response(
            self.get_context_data(
                form=CommitmentImportForm(),
                file_errors=[str(e) for e in form.non_field_errors()]
                or [_("This preview is not valid. Upload the file again.")],
            ),
            status=400,
        )


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
