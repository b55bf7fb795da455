"""Forms of a plan's closure: the completion assessment and the IRM assessments file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CompletionLevel

# An IRM assessments file is a small table: one row per commitment.
IRM_FILE_MAX_BYTES = 1024 * 1024


class CompletionForm(forms.Form):
    level = forms.ChoiceField(label=_("Completion level"), choices=CompletionLevel.choices)
    note = forms.CharField(
        label=_("What was achieved, and what was not (published)"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence_url = forms.URLField(
        label=_("Evidence (a web address)"), required=False, assume_scheme="https"
    )


class IrmImportForm(forms.Form):
    file = forms.FileField(
        label=_("IRM assessments (CSV)"),
        help_text=_(
            "UTF-8 CSV with the columns ogp_id and any of potential_for_results, "
            "potential_impact, completion, early_results, report_url."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IRM_FILE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return upload
