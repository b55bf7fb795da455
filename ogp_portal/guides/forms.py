from django import forms

from .models import Resource


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["title", "body", "audience", "primary_language", "position"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
