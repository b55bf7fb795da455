"""Editing the translation of any translatable record into one language.

The permission is the record's own change permission (`<app>.change_<model>`), so whoever
may edit the original may translate it.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .errors import require_editable
from .form_views import ServiceFormMixin, require, run_action
from .languages import CONTENT_LANGUAGE_CHOICES, language_name, text_direction
from .translations import translations_for, translations_save

_LANGUAGE_CODES = {code for code, _name in CONTENT_LANGUAGE_CHOICES}


class TranslationView(ServiceFormMixin, FormView):
    template_name = "core/translation_form.html"
    # Any model with `translatable_fields` (checked in dispatch), all of them concrete fields.
    object: Any

    def dispatch(self, request, *args, **kwargs):
        try:
            content_type = ContentType.objects.get_for_id(kwargs["ct"])
            self.object = content_type.get_object_for_this_type(pk=kwargs["pk"])
        except Exception as error:  # noqa: BLE001 -- any lookup failure is a 404
            raise Http404 from error
        if not hasattr(self.object, "translatable_fields") or kwargs["lang"] not in _LANGUAGE_CODES:
            raise Http404
        self.language = kwargs["lang"]
        meta = self.object._meta
        require(request, f"{meta.app_label}.change_{meta.model_name}", self.object)
        _result, refused = run_action(request, lambda: require_editable(self.object))
        if refused:
            return redirect(self._back_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        fields = {}
        for name in self.object.translatable_fields:
            model_field = self.object._meta.get_field(name)
            widget = forms.Textarea(attrs={"rows": 4}) if model_field.get_internal_type() == (
                "TextField") else forms.TextInput()  # fmt: skip
            widget.attrs.update(lang=self.language, dir=text_direction(self.language))
            fields[name] = forms.CharField(
                label=model_field.verbose_name.capitalize(),
                required=False,
                widget=widget,
                max_length=getattr(model_field, "max_length", None),
                # Django renders help_text unescaped: escape the original, it is user text.
                help_text=escape(getattr(self.object, name) or ""),
            )
        return type("TranslationForm", (forms.Form,), fields)

    def get_initial(self):
        return translations_for(self.object, self.language)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            language=self.language,
            language_label=language_name(self.language),
            back_url=self._back_url(),
        )
        return context

    def _back_url(self) -> str:
        target = self.request.GET.get("next") or self.request.POST.get("next") or ""
        if target and url_has_allowed_host_and_scheme(target, {self.request.get_host()}):
            return target
        return getattr(self.object, "get_absolute_url", lambda: "/")()

    def form_valid(self, form):
        _result, refused = self.call_service(
            form, lambda: translations_save(self.object, self.language, form.cleaned_data)
        )
        if refused:
            return refused
        messages.success(
            self.request,
            _("The %(language)s translation is saved.")
            % {"language": language_name(self.language)},
        )
        return redirect(self._back_url())
