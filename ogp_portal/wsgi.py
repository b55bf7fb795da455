"""WSGI entry point (gunicorn ogp_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_portal.settings.prod")

application = get_wsgi_application()
