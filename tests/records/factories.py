"""Repository records for tests, built directly (services are tested on their own)."""

import factory

from records.choices import DocumentType
from records.models import RepositoryDocument
from tests.factories import MemberFactory


class RepositoryDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RepositoryDocument

    member = factory.SubFactory(MemberFactory)
    doc_type = DocumentType.OTHER
    title = factory.Sequence(lambda n: f"Document {n}")
    url = "https://example.org/document.pdf"
