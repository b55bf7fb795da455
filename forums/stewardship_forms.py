"""Input shapes of shared stewardship (issue #16): the forum's governance rules, its
technical secretariat, agendas and motions. Business rules live in the services."""

from collections.abc import Iterable
from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ogp_portal.organisations.models import Organisation
from plans.models import ActionPlan

from .choices import ChairMode, DecisionMethod, DecisionPurpose, Sector, VoteChoice
from .models import Forum, ForumSeat


class GovernanceForm(forms.Form):
    chair_mode = forms.ChoiceField(
        label=_("Who chairs the forum"), choices=ChairMode.choices, widget=forms.RadioSelect
    )
    minutes_require_cosign = forms.BooleanField(
        label=_("Minutes count only once both co-chairs have co-signed them"), required=False
    )
    quorum_count = forms.IntegerField(
        label=_("Quorum: seats that must be present"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_("Leave empty to give the quorum as a share of the seats instead."),
    )
    quorum_percent = forms.IntegerField(
        label=_("Quorum: share of the forum's seats (%)"),
        min_value=1,
        max_value=100,
        required=False,
    )
    majority_in_each_sector = forms.BooleanField(
        label=_("A vote passes only with a majority in each sector"), required=False
    )
    timeline_requires_decision = forms.BooleanField(
        label=_("Publishing a plan's co-creation timeline needs the forum's decision"),
        required=False,
    )
    adoption_requires_decision = forms.BooleanField(
        label=_("Adopting a plan needs the forum's decision"), required=False
    )

    @classmethod
    def initial_for(cls, forum: Forum) -> dict:
        return {name: getattr(forum, name) for name in cls.base_fields}


class SecretariatMemberForm(forms.Form):
    email = forms.EmailField(label=_("Portal account (e-mail address)"))
    name = forms.CharField(
        label=_("Name shown"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to show the account's name."),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, forum: Forum, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["organisation"]
        ).queryset = Organisation.objects.filter(member=forum.member).order_by("name")

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account uses this address."))
        self.cleaned_data["user"] = user
        return email


class SecretariatRemovalForm(forms.Form):
    reason = forms.CharField(label=_("Why this person leaves the secretariat"), max_length=500)


class AgendaForm(forms.Form):
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 6}))


ABSENT = ""


class MotionForm(forms.Form):
    """A motion and, for each seat sitting on the day of the meeting, how it voted (or that
    it was absent)."""

    text = forms.CharField(label=_("Motion"), widget=forms.Textarea(attrs={"rows": 3}))
    method = forms.ChoiceField(
        label=_("Decided by"),
        choices=[(DecisionMethod.CONSENSUS, _("Consensus (no objection among those present)")),
                 (DecisionMethod.VOTE, _("Vote per seat"))],
        widget=forms.RadioSelect,
        initial=DecisionMethod.VOTE,
    )  # fmt: skip
    plan = forms.ModelChoiceField(
        label=_("Action plan concerned"), queryset=ActionPlan.objects.none(), required=False
    )
    purpose = forms.ChoiceField(
        label=_("What it decides about the plan"),
        choices=[("", _("Nothing about the plan's stages")), *DecisionPurpose.choices],
        required=False,
    )

    def __init__(self, *args, forum: Forum, seats: Iterable[ForumSeat], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["plan"]).queryset = ActionPlan.objects.filter(
            member_id=forum.member_id
        ).order_by("-sequence_no")
        self.seats = list(seats)
        choices = [(ABSENT, _("Absent")), *VoteChoice.choices]
        for seat in self.seats:
            self.fields[f"seat_{seat.pk}"] = forms.ChoiceField(
                label=f"{seat.name} ({seat.get_sector_display()})",
                choices=choices,
                required=False,
            )

    def clean(self):
        super().clean()
        if self.cleaned_data.get("purpose") and not self.cleaned_data.get("plan"):
            self.add_error("plan", _("Name the action plan this decision is about."))
        return self.cleaned_data

    def votes(self) -> dict[int, str]:
        return {
            seat.pk: self.cleaned_data[f"seat_{seat.pk}"]
            for seat in self.seats
            if self.cleaned_data.get(f"seat_{seat.pk}")
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "method": data["method"],
            "plan": data["plan"],
            "purpose": data["purpose"] or "",
            "votes": self.votes(),
        }
