"""The optional "about you" profile (issue #18): region, and with a separate consent box
gender and age band."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AgeBand, Gender
from .models import Region


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.member.name}: {obj.name}"


class PersonProfileForm(forms.Form):
    region = RegionChoiceField(
        label=_("Your region"),
        queryset=Region.objects.select_related("member").order_by("member__name", "name"),
        required=False,
        help_text=_("Counted only in totals, to see which regions are not heard."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the portal keeps my gender and age band, to count who takes part. "
            "They are shown only in totals of 5 or more people, never with my name. I can "
            "untick this box at any time to delete them."
        ),
        required=False,
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"), choices=[("", "—"), *Gender.choices], required=False
    )
    age_band = forms.ChoiceField(
        label=_("Age band (optional)"), choices=[("", "—"), *AgeBand.choices], required=False
    )
