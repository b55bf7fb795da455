"""Form views that hand their cleaned data to a service."""

from django.core.exceptions import ValidationError

from .errors import DomainError
from .locking import ConcurrentEditError


def add_validation_errors(form, error: ValidationError) -> None:
    """Put a model ValidationError on the form's fields (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


class ServiceFormMixin:
    """A refused change shows the form again with the reason and everything typed:
    model validation and rule errors carrying per-field `errors` go on their fields, other
    DomainErrors on the form; a save that lost to someone else's answers 409."""

    def service_data(self, form) -> dict:
        """The cleaned data without the optimistic-locking version and submission token."""
        return {
            k: v for k, v in form.cleaned_data.items() if k not in ("version", "submission_token")
        }

    def call_service(self, form, call):
        """(result, None) when `call()` succeeds, else (None, the response to return)."""
        try:
            return call(), None
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
            return None, self.render_to_response(self.get_context_data(form=form), status=409)
        except ValidationError as error:
            add_validation_errors(form, error)
        except DomainError as error:
            field_errors = getattr(error, "errors", None)
            if isinstance(field_errors, dict):
                for field, message in field_errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                form.add_error(None, str(error))
        return None, self.form_invalid(form)
