"""The resources page: links and short texts the secretariat keeps for people taking part.

Each resource is written in one language (``primary_language``) and translated field by field
through the portal's one translation table (core.Translation), like plans and commitments:
readers get their language where a translation exists, else the original with a visible
"not translated" note, and the secretariat uses the same "Translate into …" screens as for
everything else. Every saved change of the original is kept (django-simple-history).
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ogp_portal.core.languages import CONTENT_LANGUAGE_CHOICES


class ResourceAudience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    CITIZENS = "citizens", _("Citizens")
    ORGANISATIONS = "organisations", _("Civil-society organisations")
    GOVERNMENT = "government", _("Government staff")


class Resource(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_("Plain text or simple Markdown: ## headings, **bold**, lists and links."),
    )
    audience = models.CharField(
        _("for"), max_length=20, choices=ResourceAudience, default=ResourceAudience.EVERYONE
    )
    primary_language = models.CharField(
        _("written in"), max_length=10, choices=CONTENT_LANGUAGE_CHOICES, default="en"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    translatable_fields = ("title", "body")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guides:resource-list") + f"#resource-{self.pk}"
