"""Forms of the consultation-window pages: the window itself, its documents and questions,
answers, group responses to answers and offline events."""

import datetime as dt
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.core.uploads import validate_document

from .choices import Channel, ProposalStatus
from .models import Answer, Consultation, ConsultationDocument
from .services.answers import ANSWER_DECISIONS, MAX_ANSWER_LENGTH
from .services.offline import OFFLINE_CHANNELS, SECTORS

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def _ambiguous_or_imaginary(naive: dt.datetime, tz) -> bool:
    """True if the wall-clock time is repeated or skipped by a clock change in `tz` (the two
    readings of `fold` then give different UTC offsets)."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    return first.utcoffset() != second.utcoffset()


class MemberDateTimeField(forms.DateTimeField):
    """A datetime typed in the member's time zone (an <input type="datetime-local">), not in
    the server's or the browser's. `tz` is set by the form before it is cleaned."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT)

    def __init__(self, *args, **kwargs):
        self.tz = None
        super().__init__(*args, input_formats=[LOCAL_INPUT_FORMAT], **kwargs)

    def prepare_value(self, value):
        # Stored instants are shown as the member's wall-clock time.
        if isinstance(value, dt.datetime) and timezone.is_aware(value) and self.tz:
            return timezone.localtime(value, self.tz).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return value
        naive = value if isinstance(value, dt.datetime) else self._parse(value)
        # Skipped (spring forward) or repeated (fall back) wall-clock times have no single
        # instant: ask for another time rather than guess.
        if _ambiguous_or_imaginary(naive, self.tz):
            raise ValidationError(
                _("%(when)s does not exist or is ambiguous in %(zone)s (clock change)."),
                code="ambiguous_timezone",
                params={"when": naive.strftime("%Y-%m-%d %H:%M"), "zone": str(self.tz)},
            )
        return timezone.make_aware(naive, self.tz)

    def _parse(self, value) -> dt.datetime:
        value = str(value).strip()
        for fmt in (LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"):
            try:
                return dt.datetime.strptime(value, fmt)  # noqa: DTZ007 (made aware in member tz)
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class ConsultationForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every way people can give their input."),
    )
    opens_at = MemberDateTimeField(label=_("Opens at"))
    closes_at = MemberDateTimeField(label=_("Closes at"))

    class Meta:
        model = Consultation
        fields = ["title", "kind", "audience", "description", "channels", "opens_at", "closes_at"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6, "data-readability": "on"})}

    def __init__(self, *args, tz, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz
        for name in ("opens_at", "closes_at"):
            cast(MemberDateTimeField, self.fields[name]).tz = tz
            self.fields[name].help_text = _("Local time in %(zone)s.") % {"zone": str(tz)}

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            # Said here too so it shows with the form's other errors; the service checks it.
            self.add_error("closes_at", _("The window must close after it opens."))
        return cleaned

    def _post_clean(self):
        # The times are checked (closing after opening, the notice period) by
        # services.windows.consultation_save, whose errors the view puts on the fields.
        pass


class DocumentForm(forms.ModelForm):
    class Meta:
        model = ConsultationDocument
        fields = ["title", "file"]
        help_texts = {"file": _("PDF, ODT, DOCX, PNG or JPEG, up to 10 MB.")}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_document(upload)
        return upload


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_ANSWER_LENGTH,
        help_text=_("Plain text; line breaks are kept. Answers are published."),
    )


class AnswersRespondForm(forms.Form):
    answers = forms.ModelMultipleChoiceField(
        label=_("Answers this response covers"),
        queryset=Answer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(d.value, d.label) for d in ProposalStatus if d in ANSWER_DECISIONS],
    )
    reason = forms.CharField(
        label=_("Reasoned response"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you heard, what you will do, and why. It is published."),
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelMultipleChoiceField, self.fields["answers"]
        ).queryset = Answer.objects.filter(
            question__consultation=consultation, response__isnull=True
        ).select_related("question")


class OfflineEventForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Kind of event"),
        choices=[(c.value, c.label) for c in OFFLINE_CHANNELS],
        widget=forms.RadioSelect,
    )
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(label=_("Place"), max_length=250)
    summary = forms.CharField(
        label=_("Summary of what was said"), widget=forms.Textarea(attrs={"rows": 6})
    )
    minutes = forms.FileField(
        label=_("Minutes"),
        required=False,
        help_text=_("PDF, ODT, DOCX, PNG or JPEG, up to 10 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in SECTORS:
            self.fields[f"sector_{code}"] = forms.IntegerField(
                label=label, min_value=0, max_value=100000, initial=0, required=False
            )

    def sector_fields(self):
        return [self[f"sector_{code}"] for code, _label in SECTORS]

    def main_fields(self):
        return [self[name] for name in ("held_on", "place", "summary", "minutes")]

    def participants_by_sector(self) -> dict[str, int]:
        return {code: self.cleaned_data.get(f"sector_{code}") or 0 for code, _label in SECTORS}

    def clean_minutes(self):
        upload = self.cleaned_data.get("minutes")
        if upload:
            validate_document(upload)
        return upload
