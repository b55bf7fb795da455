"""Input shapes of the forum's pages. Business rules live in the services; forms only check
what one field (or two related fields) can say on their own."""

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ogp_portal.core.uploads import validate_document_only as validate_document_upload
from ogp_portal.organisations.choices import MembershipStatus, OrganisationKind
from ogp_portal.organisations.models import Member, Organisation
from plans.choices import DRAFT_STATUSES
from plans.models import ActionPlan, PolicyArea

from .choices import MeetingKind, SeatRole, Sector, SelectionMethod
from .models import Forum, Nomination


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker; the value is read in the member's time zone (the views
    activate it)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _datetime_field(label, required=True):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


def _check_order(form, first, second, message):
    a, b = form.cleaned_data.get(first), form.cleaned_data.get(second)
    if a and b and b <= a:
        form.add_error(second, message)


class ForumForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    mandate = forms.CharField(label=_("Mandate"), widget=forms.Textarea(attrs={"rows": 4}))
    rules_of_participation = forms.CharField(
        label=_("Rules of participation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Public: who may take part, how members are selected, how decisions are taken."
        ),
    )
    chair_rotation = forms.MultipleChoiceField(
        label=_("The chair rotates between"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "In the order listed. Leave empty if the chair does not rotate; then the seat "
            "marked chair holds it."
        ),
    )
    chair_rotation_months = forms.IntegerField(
        label=_("Months per chair term"), min_value=1, max_value=60, initial=12
    )
    chair_rotation_starts_on = forms.DateField(
        label=_("Rotation starts on"), required=False, widget=DateInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Sector.choices:
            self.fields[f"seats_{value}"] = forms.IntegerField(
                label=_("Seats for %(sector)s") % {"sector": label},
                min_value=0,
                max_value=200,
                initial=0,
            )

    def seat_fields(self):
        return [self[f"seats_{value}"] for value, _label in Sector.choices]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        rotation = cleaned.get("chair_rotation") or []
        if len(rotation) == 1:
            self.add_error(
                "chair_rotation",
                _("A rotation needs at least two sectors; leave it empty otherwise."),
            )
        if rotation and not cleaned.get("chair_rotation_starts_on"):
            self.add_error("chair_rotation_starts_on", _("Say when the chair rotation starts."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "mandate": data["mandate"],
            "rules_of_participation": data["rules_of_participation"],
            "seats": {value: data[f"seats_{value}"] for value, _label in Sector.choices},
            # Keep the order of the sectors as listed, whatever order the browser sent.
            "chair_rotation": [v for v, _l in Sector.choices if v in data["chair_rotation"]],
            "chair_rotation_months": data["chair_rotation_months"],
            "chair_rotation_starts_on": data["chair_rotation_starts_on"],
        }

    @classmethod
    def initial_for(cls, forum: Forum) -> dict:
        initial = {
            "name": forum.name,
            "mandate": forum.mandate,
            "rules_of_participation": forum.rules_of_participation,
            "chair_rotation": forum.chair_rotation,
            "chair_rotation_months": forum.chair_rotation_months,
            "chair_rotation_starts_on": forum.chair_rotation_starts_on,
        }
        for allocation in forum.seat_allocations.all():
            initial[f"seats_{allocation.sector}"] = allocation.seats
        return initial


class ForumSetupForm(ForumForm):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    field_order = ["member", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = Member.objects.filter(
            forum__isnull=True
        ).order_by("name")
        self.order_fields(self.field_order)


class SeatForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("Portal account (e-mail address)"),
        required=False,
        help_text=_("Optional: link the seat to the person's account so they can take part."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    role = forms.ChoiceField(label=_("Role"), choices=SeatRole.choices, initial=SeatRole.MEMBER)
    term_starts_on = forms.DateField(label=_("Term starts on"), widget=DateInput())
    term_ends_on = forms.DateField(label=_("Term ends on"), widget=DateInput())
    selected_via = forms.ChoiceField(label=_("Selected by"), choices=SelectionMethod.choices)

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["organisation"]
        ).queryset = Organisation.objects.verified().filter(member=member)

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.cleaned_data["user"] = None
        if email:
            user = get_user_model().objects.filter(email__iexact=email).first()
            if user is None:
                raise forms.ValidationError(_("No account uses this address."))
            self.cleaned_data["user"] = user
        return email

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        _check_order(self, "term_starts_on", "term_ends_on", _("A term must end after it starts."))
        return cleaned


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    seats = forms.IntegerField(label=_("Seats to fill"), min_value=1, max_value=100)
    nominations_open_at = _datetime_field(_("Nominations open"))
    nominations_close_at = _datetime_field(_("Nominations close"))
    voting_open_at = _datetime_field(_("Voting opens"))
    voting_close_at = _datetime_field(_("Voting closes"))
    term_starts_on = forms.DateField(label=_("Term of the elected starts on"), widget=DateInput())
    term_ends_on = forms.DateField(label=_("Term of the elected ends on"), widget=DateInput())

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        _check_order(
            self,
            "nominations_open_at",
            "nominations_close_at",
            _("Nominations must close after they open."),
        )
        close, vote = cleaned.get("nominations_close_at"), cleaned.get("voting_open_at")
        if close and vote and vote < close:
            self.add_error("voting_open_at", _("Voting cannot open before nominations close."))
        _check_order(
            self, "voting_open_at", "voting_close_at", _("Voting must close after it opens.")
        )
        _check_order(self, "term_starts_on", "term_ends_on", _("A term must end after it starts."))
        return cleaned


def _represented_csos(user, member: Member):
    return Organisation.objects.verified().filter(
        member=member,
        kind=OrganisationKind.CSO,
        memberships__user=user,
        memberships__status=MembershipStatus.APPROVED,
    )


class NominationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Nominating organisation"), queryset=Organisation.objects.none()
    )
    candidate = forms.ModelChoiceField(
        label=_("Candidate"),
        queryset=get_user_model().objects.none(),
        help_text=_("An approved member of your organisation (you may nominate yourself)."),
    )
    statement = forms.CharField(
        label=_("Candidate's statement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = _represented_csos(user, member)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        cast(forms.ModelChoiceField, self.fields["candidate"]).queryset = (
            get_user_model()
            .objects.filter(
                memberships__organisation__in=organisations,
                memberships__status=MembershipStatus.APPROVED,
            )
            .distinct()
            .order_by("name", "email")
        )
        # Django allows a per-field label function; the stubs only know the method.
        self.fields["candidate"].label_from_instance = lambda u: u.name or u.email  # type: ignore[attr-defined]


class BallotForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Voting for organisation"), queryset=Organisation.objects.none()
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("Candidates"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, selection_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.selection_round = selection_round
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = _represented_csos(
            user, selection_round.forum.member
        )
        cast(
            forms.ModelChoiceField, self.fields["candidates"]
        ).queryset = selection_round.nominations.select_related("organisation")
        # Django allows a per-field label function; the stubs only know the method.
        self.fields["candidates"].label_from_instance = lambda n: (  # type: ignore[attr-defined]
            f"{n.candidate_name} ({n.organisation.name})"
        )
        self.fields["candidates"].help_text = _("Choose up to %(n)s.") % {
            "n": selection_round.seats
        }

    def clean_candidates(self):
        chosen = self.cleaned_data["candidates"]
        if len(chosen) > self.selection_round.seats:
            raise forms.ValidationError(
                _("Choose at most %(n)s candidates, one per seat.")
                % {"n": self.selection_round.seats}
            )
        return chosen


class PublishResultsForm(forms.Form):
    elected = forms.ModelMultipleChoiceField(
        label=_("Elected"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The candidates with the most votes are ticked; change only to break a tie."),
    )

    def __init__(self, *args, selection_round, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["elected"]
        ).queryset = selection_round.nominations.all()
        # Django allows a per-field label function; the stubs only know the method.
        self.fields["elected"].label_from_instance = lambda n: n.candidate_name  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"), required=False)
    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 5}))
    plan = forms.ModelChoiceField(
        label=_("Action plan"), queryset=ActionPlan.objects.none(), required=False
    )

    def __init__(self, *args, forum: Forum, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["plan"]).queryset = ActionPlan.objects.exclude(
            status__in=DRAFT_STATUSES
        ).filter(member=forum.member)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        _check_order(self, "starts_at", "ends_at", _("A meeting must end after it starts."))
        no_place = not cleaned.get("location") and not cleaned.get("online_url")
        if no_place and "online_url" not in self.errors:
            self.add_error("location", _("Give a place or an online link."))
        return cleaned


class AttendanceForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Sector.choices:
            self.fields[value] = forms.IntegerField(
                label=label, min_value=0, max_value=1000, initial=0
            )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors and sum(cleaned.get(v) or 0 for v, _l in Sector.choices) <= 0:
            raise forms.ValidationError(_("Nobody attended? Enter at least one person."))
        return cleaned

    def counts(self) -> dict[str, int]:
        return {value: self.cleaned_data[value] for value, _label in Sector.choices}


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionItemForm(forms.Form):
    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class MinutesForm(forms.Form):
    minutes_text = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    minutes_file = forms.FileField(
        label=_("Minutes file"),
        required=False,
        help_text=_("PDF, ODT or DOCX, up to 10 MB."),
    )

    def clean_minutes_file(self):
        uploaded = self.cleaned_data.get("minutes_file")
        if uploaded:
            validate_document_upload(uploaded)
        return uploaded

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if (
            not self.errors
            and not (cleaned.get("minutes_text") or "").strip()
            and not cleaned.get("minutes_file")
        ):
            raise forms.ValidationError(_("Write the minutes or attach them as a file."))
        return cleaned


class WorkingGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    policy_area = forms.ModelChoiceField(
        label=_("Policy area"), queryset=PolicyArea.objects.none(), required=False
    )

    def __init__(self, *args, forum: Forum, user, **kwargs):
        super().__init__(*args, **kwargs)
        plans = ActionPlan.objects.exclude(status__in=DRAFT_STATUSES).filter(member=forum.member)
        cast(
            forms.ModelChoiceField, self.fields["policy_area"]
        ).queryset = PolicyArea.objects.filter(plan__in=plans).select_related("plan")
        # Django allows a per-field label function; the stubs only know the method.
        self.fields["policy_area"].label_from_instance = lambda a: f"{a.name} ({a.plan.title})"  # type: ignore[attr-defined]


class WorkingGroupMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["organisation"]
        ).queryset = Organisation.objects.verified().filter(member=member)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))
    is_public = forms.BooleanField(label=_("Public: anyone may read this thread"), required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}))
