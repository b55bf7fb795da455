"""The public read API at /api/v1/ (issue #18): one read-only collection per kind of public
record, for researchers and OGP's own systems.

Built on Django REST framework with drf-spectacular (the OpenAPI 3 schema) because the site's
own pieces plug straight into it: the django-filter FilterSets the list pages use, cursor
pagination, cache-backed throttling and the schema's filter parameters come with it.

What a collection holds is what an anonymous visitor of the site sees (selectors.py); nobody
signs in to the API.
"""
