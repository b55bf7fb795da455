"""Full-text search over commitments: PostgreSQL's text search in production, a word-by-word
fallback on SQLite. Translations are searched too."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q

from ogp_portal.core.models import Translation

SEARCH_FIELDS = ("title", "summary", "brief_description", "problem", "solution", "lead_institution")


def search_commitments(queryset, query: str):
    query = " ".join(query.split())[:200]
    if not query:
        return queryset
    ct = ContentType.objects.get_for_model(queryset.model)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # The vector is exactly the expression of the GIN index in migration
        # 0003_commitment_search_index (same fields, order and config): keep them in step.
        vector = SearchVector(*SEARCH_FIELDS, config="simple")
        search = SearchQuery(query, config="simple", search_type="websearch")
        # Each side is its own subquery, so the index answers the first one; an OR of the
        # text match and the translations in one WHERE would read every commitment.
        matching = (
            queryset.model._default_manager.alias(document=vector)
            .filter(document=search)
            .values("pk")
        )
        matching_translations = Translation.objects.alias(
            document=SearchVector("text", config="simple")
        ).filter(content_type=ct, document=search)
        return queryset.filter(
            Q(pk__in=matching) | Q(pk__in=matching_translations.values("object_id"))
        )
    condition = Q()
    for word in query.split()[:8]:
        matches = Q()
        for field in SEARCH_FIELDS:
            matches |= Q(**{f"{field}__icontains": word})
        translated = Translation.objects.filter(content_type=ct, text__icontains=word)
        condition &= matches | Q(pk__in=translated.values("object_id"))
    return queryset.filter(condition)
