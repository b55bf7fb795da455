from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ogp_portal.core.names import validate_visible_name

from .choices import Role
from .models import Member, Organisation


class OrganisationRegisterForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "member", "description", "website_url", "contact_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        member_field = cast(forms.ModelChoiceField, self.fields["member"])
        member_field.empty_label = _("International (no single member)")
        self.fields["name"].validators.append(validate_visible_name)

    def clean(self):
        from .services import organisation_look_alike

        super().clean()
        cleaned = self.cleaned_data
        name, member = cleaned.get("name"), cleaned.get("member")
        if name and Organisation.objects.filter(name__iexact=name, member=member).exists():
            self.add_error("name", _("An organisation with this name is already registered here."))
        elif name and (look_alike := organisation_look_alike(name, member=member)):
            # Refused, not merely flagged: a look-alike is how someone speaks for another.
            self.add_error(
                "name",
                _(
                    "This name looks like that of %(org)s, already registered (some letters "
                    "are look-alikes from another alphabet). Choose another name."
                )
                % {"org": look_alike.name},
            )
        return cleaned


class RoleGrantForm(forms.Form):
    email = forms.EmailField(
        label=_("Person's e-mail address"),
        help_text=_("The person must already have an account on the portal."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    member = forms.ModelChoiceField(
        label=_("Member"),
        queryset=Member.objects.all(),
        required=False,
        empty_label=_("Portal-wide (secretariat only)"),
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        try:
            self.cleaned_data["user"] = get_user_model().objects.get(email__iexact=email)
        except get_user_model().DoesNotExist:
            raise forms.ValidationError(
                _("No account uses this address. Ask the person to sign up first.")
            ) from None
        return email

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        role, member = cleaned.get("role"), cleaned.get("member")
        if role == Role.SECRETARIAT and member is not None:
            self.add_error("member", _("The secretariat role is portal-wide; choose no member."))
        elif role and role != Role.SECRETARIAT and member is None:
            self.add_error("member", _("Choose the member this role is for."))
        return cleaned


class UnverifyForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    """The reason for a refusal (rejecting an organisation, declining a join request): the
    person concerned reads it."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person concerned receives this reason."),
    )
