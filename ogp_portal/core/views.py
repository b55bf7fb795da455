"""The home page and the health check."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.generic import TemplateView

from ogp_portal.celery import app as celery_app
from ogp_portal.organisations.models import Member

from .home import home_sections
from .models import Heartbeat


class PrivacyView(TemplateView):
    """What is public, what is kept and for how long: the periods come from settings."""

    template_name = "core/privacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retention"] = {
            "notifications": settings.PRIVACY_RETENTION_NOTIFICATIONS_DAYS,
            "unverified": settings.PRIVACY_RETENTION_UNVERIFIED_ACCOUNT_DAYS,
            "logs": settings.PRIVACY_RETENTION_SERVER_LOG_DAYS,
            "audit": settings.PRIVACY_RETENTION_AUDIT_DAYS,
            "sessions": settings.SESSION_COOKIE_AGE // 86400,
        }
        context["contact_email"] = settings.PRIVACY_CONTACT_EMAIL
        return context


class HomeView(TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = Member.objects.all()[:20]
        context["home_sections"] = home_sections(self.request)
        return context


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 -- any failure means "not reachable"
        return False


def _cache_ok() -> bool:
    try:
        cache.set("health:probe", "1", 10)
        return bool(cache.get("health:probe") == "1")
    except Exception:  # noqa: BLE001 -- any failure means "not reachable"
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True
    except Exception:  # noqa: BLE001 -- any failure means "not reachable"
        return False


def health(request: HttpRequest) -> JsonResponse:
    """Database, cache and broker reachability: 200 when all answer, 503 otherwise, and
    `failed` names the parts that did not answer."""
    parts = {"database": _database_ok(), "cache": _cache_ok(), "broker": _broker_ok()}
    failed = [name for name, ok in parts.items() if not ok]
    beat = Heartbeat.objects.filter(name="beat").first() if parts["database"] else None
    body = {
        "status": "unavailable" if failed else "ok",
        **{name: "ok" if ok else "unreachable" for name, ok in parts.items()},
        "failed": failed,
        "broker_transport": "redis" if settings.REDIS_URL else "embedded",
        "scheduler_seen_at": beat.seen_at.isoformat() if beat else None,
    }
    response = JsonResponse(body, status=503 if failed else 200)
    # A probe must see the portal as it is now, never a copy a proxy kept.
    response["Cache-Control"] = "no-store"
    return response


def favicon(request: HttpRequest) -> FileResponse:
    """`/favicon.ico`, which browsers and feed readers ask for without reading base.html."""
    path = finders.find("favicon.ico")
    if not path:  # pragma: no cover - the file is part of the repository
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=86400"
    return response


def bench_ceiling(request: HttpRequest) -> HttpResponse:
    """The load benchmark's ceiling: the least a request through this stack can cost (the
    whole middleware, a database round trip with one indexed ORM query, a tiny response).
    Mounted only when settings.BENCH_CEILING_VIEW is on (the bench's own setting)."""
    Heartbeat.objects.filter(name="beat").values_list("seen_at", flat=True).first()
    return HttpResponse(b"ok\n", content_type="text/plain")
