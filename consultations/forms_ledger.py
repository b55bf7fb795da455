"""Forms of the ledger: an input typed in by staff, and a response to selected inputs."""

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from plans.models import ActionPlan, PolicyArea

from .choices import TYPED_CHANNELS, InputChannel, InputKind, ResponseDecision
from .models import Consultation, InputEntry


def _choices(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class InputRecordForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of input"),
        choices=[(k.value, k.label) for k in (InputKind.OFFLINE, InputKind.FORUM)],
    )
    channel = forms.ChoiceField(
        label=_("How it reached us"),
        choices=[(c.value, InputChannel(c).label) for c in TYPED_CHANNELS],
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 5}))
    title = forms.CharField(label=_("Short title (optional)"), required=False, max_length=250)
    author_name = forms.CharField(
        label=_("Name of the person (optional, never public)"), required=False, max_length=250
    )
    contact = forms.CharField(
        label=_("How to reach them (optional, never public)"),
        required=False,
        max_length=250,
        help_text=_("An address, phone number or e-mail, so the response can reach them."),
    )
    consultation = forms.ModelChoiceField(
        label=_("Consultation"), queryset=Consultation.objects.none(), required=False
    )
    policy_area = forms.ModelChoiceField(
        label=_("Policy area"), queryset=PolicyArea.objects.none(), required=False
    )
    commitment = forms.ModelChoiceField(
        label=_("About the commitment"), queryset=Commitment.objects.none(), required=False
    )
    source_label = forms.CharField(
        label=_("Source (a meeting, an event)"), required=False, max_length=250
    )
    source_url = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "consultation").queryset = Consultation.objects.filter(plan=plan)
        _choices(self, "policy_area").queryset = PolicyArea.objects.filter(plan=plan)
        _choices(self, "commitment").queryset = Commitment.objects.filter(plan=plan)
        self.fields["received_on"].initial = timezone.localdate()


class ResponseDraftForm(forms.Form):
    entries = forms.ModelMultipleChoiceField(
        label=_("Inputs this response answers"),
        queryset=InputEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=ResponseDecision.choices)
    reason = forms.CharField(label=_("Reasoned response"), widget=forms.Textarea(attrs={"rows": 6}))
    commitments = forms.ModelMultipleChoiceField(
        label=_("Commitments it shaped"),
        queryset=Commitment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "entries").queryset = (
            InputEntry.objects.counted().filter(plan=plan).unanswered()
        )
        _choices(self, "commitments").queryset = Commitment.objects.filter(plan=plan).order_by(
            "ogp_id"
        )
