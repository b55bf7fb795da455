"""Input shapes for proposals, their review, comments and moderation (no decisions here:
the services decide)."""

from typing import ClassVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from ogp_portal.core.uploads import validate_document
from ogp_portal.organisations.rules import organisations_to_act_for
from plans.models import PolicyArea

from .choices import DECISIONS, DECISIONS_WITH_COMMITMENT, ProposalStatus
from .models import Proposal
from .services.proposals import PROPOSAL_FIELDS
from .text import MAX_COMMENT_LENGTH

MAX_ATTACHMENTS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by what it contains."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors, cleaned = [], []
        for upload in uploads:
            upload = super().clean(upload, initial)
            try:
                validate_document(upload)
            except ValidationError as error:
                errors.append(
                    ValidationError(
                        _("%(name)s: %(problem)s"),
                        params={"name": upload.name, "problem": " ".join(error.messages)},
                    )
                )
            cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


class ProposalForm(forms.ModelForm):
    """The commitment template's questions, who submits, files and the double-submit token."""

    on_behalf_of = forms.ChoiceField(label=_("On behalf of"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_(
            "Up to 5 files: PDF, ODT, DOCX, PNG or JPEG, 10 MB each. "
            "If the form comes back with an error, choose the files again."
        ),
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Proposal
        fields = PROPOSAL_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("problem", "causes", "proposed_solution", "expected_results")
        }

    def __init__(self, *args, consultation, user, existing_attachments: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_attachments = existing_attachments
        cast(
            forms.ModelChoiceField, self.fields["policy_area"]
        ).queryset = PolicyArea.objects.filter(plan_id=consultation.plan_id)
        # Only organisations the person may speak for in this member's consultation.
        organisations = organisations_to_act_for(user, consultation.plan.member_id).order_by("name")
        self.organisations = {str(o.pk): o for o in organisations}
        cast(forms.ChoiceField, self.fields["on_behalf_of"]).choices = [
            ("", _("Myself")),
            *[(pk, o.name) for pk, o in self.organisations.items()],
        ]
        if self.instance.pk and self.instance.organisation_id:
            self.initial["on_behalf_of"] = str(self.instance.organisation_id)
        self.fields["title"].help_text = _("A short name for the idea, as you would say it.")

    def clean_on_behalf_of(self):
        value = self.cleaned_data.get("on_behalf_of") or ""
        if value and value not in self.organisations:
            raise ValidationError(_("Choose one of your organisations, or yourself."))
        return self.organisations.get(value)

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        room = MAX_ATTACHMENTS - self.existing_attachments
        if len(uploads) > room:
            raise ValidationError(
                ngettext(
                    "You can add %(n)s more file.", "You can add %(n)s more files.", max(room, 0)
                )
                % {"n": max(room, 0)}
            )
        return uploads

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROPOSAL_FIELDS}


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("Title contains"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("Any")),
            *[(v, label) for v, label in ProposalStatus.choices if v != ProposalStatus.DRAFT],
        ]

    # Field groups of a field the reader left out of the query (most readers: none of them),
    # by language and field name. Their HTML depends on nothing else, and rendering them
    # through the form templates was a tenth of the list page's CPU.
    _untouched_html: ClassVar[dict[tuple[str, str], SafeString]] = {}

    def field_groups(self) -> dict[str, SafeString]:
        """Each field's group (label, input, errors) as HTML, by field name."""
        groups = {}
        for name in self.fields:
            if name in self.data:
                groups[name] = self[name].as_field_group()
                continue
            key = (get_language() or "", name)
            html = self._untouched_html.get(key)
            if html is None:
                html = self._untouched_html[key] = self[name].as_field_group()
            groups[name] = html
        return groups


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(d.value, d.label) for d in DECISIONS],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reasoned response"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published with the decision: say what you heard and why you decided so."),
    )
    merged_into = forms.ModelChoiceField(
        label=_("Merged into"),
        queryset=Proposal.objects.none(),
        required=False,
        help_text=_("Only for the decision “merged”."),
    )
    commitments = forms.ModelMultipleChoiceField(
        label=_("Commitments it became (part of)"),
        queryset=Commitment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Required when the proposal is accepted, partially accepted or merged."),
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        plan_id = proposal.consultation.plan_id
        merged = cast(forms.ModelChoiceField, self.fields["merged_into"])
        merged.queryset = (
            Proposal.objects.published()
            .filter(consultation__plan_id=plan_id)
            .exclude(pk=proposal.pk)
            .order_by("pk")
        )
        # Django's documented alternative to a ModelChoiceField subclass; the stubs see a method.
        merged.label_from_instance = lambda p: f"{p.reference} {p.title}"  # type: ignore[method-assign,assignment]
        commitments = cast(forms.ModelMultipleChoiceField, self.fields["commitments"])
        commitments.queryset = Commitment.objects.filter(plan_id=plan_id).order_by(
            "position", "ogp_id"
        )
        commitments.label_from_instance = lambda c: f"{c.ogp_id} {c.title}"  # type: ignore[method-assign,assignment]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        decision = data.get("decision")
        if decision == ProposalStatus.MERGED and not data.get("merged_into"):
            self.add_error("merged_into", _("Choose the proposal this one is merged into."))
        if decision in DECISIONS_WITH_COMMITMENT and not data.get("commitments"):
            self.add_error("commitments", _("Link the commitment(s) this proposal became."))
        return data


class CommentForm(forms.Form):
    """A comment or a reply. `website` is a honeypot: people leave it empty, bots fill it."""

    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text or simple Markdown (**bold**, *italic*, lists, links)."),
    )
    show_name = forms.BooleanField(label=_("Show my name"), required=False, initial=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(label=_("Leave this empty"), required=False)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ReasonForm(forms.Form):
    """A flag's or a moderator's reason."""

    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
