from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ogp_portal.core.uploads import validate_document
from ogp_portal.core.uploads import validate_document_only as validate_document_upload
from ogp_portal.organisations.models import Member
from plans.choices import DRAFT_STATUSES
from plans.models import ActionPlan

from .choices import DocumentType


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocumentType.choices)
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    plan = forms.ModelChoiceField(
        label=_("Action plan"), queryset=ActionPlan.objects.none(), required=False
    )
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, ODT or DOCX, up to 10 MB.")
    )
    url = forms.URLField(label=_("Or its address"), required=False, max_length=500)
    language = forms.CharField(
        label=_("Language"),
        required=False,
        max_length=10,
        help_text=_("A language code, for example fr or en."),
    )

    def __init__(self, *args, member: Member, user, **kwargs):
        super().__init__(*args, **kwargs)
        plan_field = cast(forms.ModelChoiceField, self.fields["plan"])
        plan_field.queryset = ActionPlan.objects.exclude(status__in=DRAFT_STATUSES).filter(
            member=member
        )

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            validate_document_upload(uploaded)
        return uploaded

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors and not cleaned.get("file") and not cleaned.get("url"):
            self.add_error("file", _("Attach a file or give its address."))
        return cleaned


class OutreachForm(forms.Form):
    title = forms.CharField(label=_("What was done"), max_length=250)
    place = forms.CharField(label=_("Where"), max_length=250)
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    audience = forms.CharField(
        label=_("Audience"), max_length=250, help_text=_("Who it reached, and how many.")
    )
    materials = forms.CharField(
        label=_("Materials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leaflets, posts, broadcasts, presentations used."),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("PDF, ODT, DOCX, PNG or JPEG, up to 10 MB."),
    )
    evidence_url = forms.URLField(label=_("Or its address"), required=False, max_length=500)

    def clean_evidence(self):
        uploaded = self.cleaned_data.get("evidence")
        if uploaded:
            validate_document(uploaded)
        return uploaded
