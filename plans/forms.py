from django import forms

from .models import ActionPlan, PlanInfluence, PolicyArea

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ActionPlan
        fields = [
            "title",
            "period_start",
            "period_end",
            "standards_version",
            "primary_language",
            "vision",
            "efforts_to_date",
            "development_process",
            "co_creation_timeline",
        ]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "vision": forms.Textarea(attrs={"rows": 6, "data-readability": "on"}),
            "efforts_to_date": forms.Textarea(attrs={"rows": 6, "data-readability": "on"}),
            "development_process": forms.Textarea(attrs={"rows": 6, "data-readability": "on"}),
            "co_creation_timeline": forms.Textarea(attrs={"rows": 6, "data-readability": "on"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class PolicyAreaForm(forms.ModelForm):
    class Meta:
        model = PolicyArea
        fields = ["name", "description", "components"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "components": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def validate_unique(self):
        # The plan is not a form field; check the per-plan unique name here.
        name = self.cleaned_data.get("name")
        if name and self.plan is not None:
            clash = PolicyArea.objects.filter(plan=self.plan, name__iexact=name)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                from django.utils.translation import gettext as _

                self.add_error("name", _("This plan already has a policy area with this name."))


class InfluenceForm(forms.ModelForm):
    class Meta:
        model = PlanInfluence
        fields = [
            "co_creation_level",
            "co_creation_support",
            "implementation_level",
            "implementation_support",
        ]
        widgets = {
            "co_creation_support": forms.Textarea(attrs={"rows": 4}),
            "implementation_support": forms.Textarea(attrs={"rows": 4}),
        }
