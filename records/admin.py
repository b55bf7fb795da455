from django.contrib import admin

from forums.admin import ReadOnlyAdmin

from .models import RepositoryDocument


@admin.register(RepositoryDocument)
class RepositoryDocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "member", "doc_type", "published_at", "updated_at"]
    list_filter = ["doc_type"]
    list_select_related = ["member"]
