"""Forms for input to a working group from outside it (applications, drafts, comments)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forums.choices import Sector


class GroupApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you want to join?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    sector = forms.ChoiceField(
        label=_("You would take part for"), choices=Sector.choices, initial=Sector.CIVIL_SOCIETY
    )


class ApplicationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("decline", _("Decline"))]
    )
    reason = forms.CharField(
        label=_("Reason (required to decline; the applicant reads it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GroupDraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text (Markdown)"), max_length=50000, widget=forms.Textarea(attrs={"rows": 8})
    )


class DraftCommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}))


class HideCommentForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding (shown in its place)"), max_length=500)
