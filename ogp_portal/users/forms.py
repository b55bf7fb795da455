from typing import Any

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ogp_portal.core.names import validate_visible_name

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(validate_visible_name)


class DeleteAccountForm(forms.Form):
    """Deleting an account asks for the password again: a session left open on a shared
    computer must not be enough."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be deleted for good.")
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class VerifiedAddressResetPasswordForm(ResetPasswordForm):
    """Password reset that mails a link only to an address its owner has verified.

    allauth falls back to unverified addresses (a secondary one just added, or the account's
    own e-mail field), so anyone who typed somebody else's address into their account could
    receive that account's reset link there. For an unverified address nothing is sent; the
    page answers the same as for any address, so it reveals nothing either.
    """

    users: list[Any]
    has_unverified_owner = False

    def clean_email(self) -> str:
        email = super().clean_email()
        verified_owners = set(
            EmailAddress.objects.filter(email__iexact=email, verified=True).values_list(
                "user_id", flat=True
            )
        )
        self.has_unverified_owner = bool(self.users) and not verified_owners
        self.users = [user for user in self.users if user.pk in verified_owners]
        return email

    def save(self, request: HttpRequest, **kwargs: Any) -> str:
        if self.has_unverified_owner:
            # Not even allauth's "no account with this address" mail: the address does
            # belong to an account, just not verifiably to its holder.
            return str(self.cleaned_data["email"])
        return super().save(request, **kwargs)
