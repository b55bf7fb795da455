import uuid
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ogp_portal.organisations.models import Organisation

from .choices import CommitmentStatus, MilestoneStatus
from .models import Commitment, Milestone, ProgressUpdate, ShadowAssessment

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
READABLE = {"rows": 4, "data-readability": "on"}


class VersionedForm(forms.ModelForm):
    """Carries the record's version so a save can tell whether someone saved meanwhile, and a
    one-time token so a double-submitted create form makes one record."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        # Model validation (dates inside the plan/commitment) runs in the service, with the
        # plan attached; the form only validates its own fields here.
        pass


class CommitmentForm(VersionedForm):
    class Meta:
        model = Commitment
        fields = [
            "title",
            "summary",
            "policy_area",
            "start_date",
            "end_date",
            "brief_description",
            "problem",
            "causes",
            "done_so_far",
            "solution",
            "expected_results",
            "access_to_information",
            "access_to_information_explanation",
            "civic_participation",
            "civic_participation_explanation",
            "public_accountability",
            "public_accountability_explanation",
            "technology_innovation",
            "technology_innovation_explanation",
            "lead_institution",
            "lead_organisation",
            "support_government",
            "support_civil_society",
            "support_other",
            "budget",
            "links_to_other_plans",
        ]
        widgets = {
            "summary": forms.Textarea(
                attrs={"rows": 2, "data-readability": "on", "maxlength": 280}
            ),
            "start_date": DATE,
            "end_date": DATE,
            "brief_description": forms.Textarea(attrs=READABLE),
            "problem": forms.Textarea(attrs=READABLE),
            "causes": forms.Textarea(attrs=READABLE),
            "done_so_far": forms.Textarea(attrs=READABLE),
            "solution": forms.Textarea(attrs=READABLE),
            "expected_results": forms.Textarea(attrs=READABLE),
            "access_to_information_explanation": forms.Textarea(attrs={"rows": 2}),
            "civic_participation_explanation": forms.Textarea(attrs={"rows": 2}),
            "public_accountability_explanation": forms.Textarea(attrs={"rows": 2}),
            "technology_innovation_explanation": forms.Textarea(attrs={"rows": 2}),
            "support_government": forms.Textarea(attrs={"rows": 2}),
            "support_civil_society": forms.Textarea(attrs={"rows": 2}),
            "support_other": forms.Textarea(attrs={"rows": 2}),
            "budget": forms.Textarea(attrs={"rows": 2}),
            "links_to_other_plans": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        area_field = cast(forms.ModelChoiceField, self.fields["policy_area"])
        area_field.queryset = plan.policy_areas.all() if plan else None
        # The lead is one of the member's verified organisations: its commitment leads report.
        lead_field = cast(forms.ModelChoiceField, self.fields["lead_organisation"])
        lead_field.queryset = (
            Organisation.objects.verified().filter(member=plan.member).order_by("name")
            if plan
            else Organisation.objects.none()
        )
        lead_field.help_text = _(
            "Its commitment leads report progress. The lead institution above is the name shown."
        )


class MilestoneForm(VersionedForm):
    class Meta:
        model = Milestone
        fields = [
            "description",
            "expected_output",
            "start_date",
            "due_date",
            "responsible_actors",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "expected_output": forms.Textarea(attrs={"rows": 2}),
            "responsible_actors": forms.Textarea(attrs={"rows": 2}),
            "start_date": DATE,
            "due_date": DATE,
        }


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["milestone", "milestone_status", "narrative", "evidence_url", "evidence_file"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, commitment=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["milestone"]
        ).queryset = commitment.milestones.all()
        cast(forms.ChoiceField, self.fields["milestone_status"]).choices = [
            ("", "—"),
            *MilestoneStatus.choices,
        ]

    def clean_evidence_file(self):
        from ogp_portal.core.uploads import validate_document

        upload = self.cleaned_data.get("evidence_file")
        if upload:
            validate_document(upload)
        return upload


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn (published)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say publicly why the commitment is withdrawn.")},
    )


class PartnerForm(forms.Form):
    """Add a civil-society partner: the member's organisations that may take part and are
    not on the team yet."""

    organisation = forms.ModelChoiceField(
        label=_("Civil-society partner"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        from ogp_portal.organisations.choices import ACTING_KINDS

        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = (
            Organisation.objects.may_take_part_for(commitment.plan.member_id, kinds=ACTING_KINDS)
            .exclude(commitment_partnerships__commitment=commitment)
            .order_by("name")
        )


class AssessmentForm(forms.ModelForm):
    """A civil-society organisation's own assessment of a commitment."""

    organisation = forms.ModelChoiceField(
        label=_("Published by"), queryset=Organisation.objects.none()
    )

    class Meta:
        model = ShadowAssessment
        fields = ["organisation", "status", "note", "evidence_url", "evidence_file"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            field = cast(forms.ModelChoiceField, self.fields["organisation"])
            field.queryset = organisations
            choices = list(organisations[:2])
            if len(choices) == 1:  # the person speaks for one organisation: chosen already
                field.initial = choices[0].pk
        cast(forms.ChoiceField, self.fields["status"]).choices = CommitmentStatus.choices

    def _post_clean(self):
        # The service validates the assessment against its commitment.
        pass

    def clean_evidence_file(self):
        from ogp_portal.core.uploads import validate_document

        upload = self.cleaned_data.get("evidence_file")
        if upload:
            validate_document(upload)
        return upload
