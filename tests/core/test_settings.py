"""Settings as an operator meets them: in fresh processes with a controlled environment."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CLEARED = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS",
           "DJANGO_SETTINGS_MODULE", "OGP_VAR_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # fmt: skip


def run_manage(tmp_path, *args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment |= {"OGP_VAR_DIR": str(tmp_path)} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = run_manage(
        tmp_path, "check", DJANGO_SETTINGS_MODULE="ogp_portal.settings.prod", ALLOWED_HOSTS="x"
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = run_manage(
        tmp_path, "check", DJANGO_SETTINGS_MODULE="ogp_portal.settings.prod", SECRET_KEY="k" * 60
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="ogp_portal.settings.prod",
        SECRET_KEY="a-long-random-production-secret-" + "q8Zx3" * 10,
        ALLOWED_HOSTS="ogp.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_defaults_use_sqlite_in_wal_mode_and_the_embedded_broker(tmp_path):
    code = (
        "from django.conf import settings; from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "print(connection.vendor, c.fetchone()[0], settings.CELERY_BROKER_URL)"
    )
    result = run_manage(tmp_path, "shell", "-v", "0", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sqlite", "wal", "filesystem://"]
    assert (tmp_path / "ogp_portal.sqlite3").exists()


def test_database_url_and_redis_url_switch_to_postgres_and_redis(tmp_path):
    code = (
        "from django.conf import settings; from django.db import connection;"
        "print(connection.vendor, settings.CELERY_BROKER_URL)"
    )
    result = run_manage(
        tmp_path,
        "shell",
        "-v",
        "0",
        "-c",
        code,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ogp_portal",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "postgresql",
        "redis://127.0.0.1:6379/0",
    ]


def test_docker_compose_runs_the_production_shape():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "proxy", "migrate", "web", "worker", "beat"}
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    env = services["web"]["environment"]
    assert env["DJANGO_SETTINGS_MODULE"] == "ogp_portal.settings.prod"
    # Every variable compose sets is one the settings read (so they cannot drift apart).
    settings_source = (ROOT / "ogp_portal/settings/base.py").read_text() + (
        ROOT / "ogp_portal/settings/prod.py"
    ).read_text()
    for key in env:
        if key != "DJANGO_SETTINGS_MODULE":
            assert f'"{key}"' in settings_source, key
    assert any("/data/media" in v for v in services["web"]["volumes"])


def test_docker_compose_puts_a_reverse_proxy_in_front_of_gunicorn():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    proxy, web = services["proxy"], services["web"]
    # Only the proxy (an official nginx image) is published; gunicorn is not reachable directly.
    assert proxy["image"].startswith("nginx:")
    assert proxy["ports"]
    assert "ports" not in web
    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    # Its configuration sends everything to gunicorn and sets the forwarded headers ...
    mounts = dict(v.split(":")[:2] for v in proxy["volumes"])
    source = next(s for s, target in mounts.items() if target.startswith("/etc/nginx/"))
    conf = (ROOT / source).read_text()
    assert "proxy_pass http://$portal;" in conf
    assert "set $portal web:8000;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    # ... which the portal trusts because it knows one proxy is in front.
    assert web["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    assert web["environment"]["SITE_URL"].startswith("${SITE_URL:-")


def test_docker_compose_scales_the_web_behind_the_proxy():
    """`docker compose up --scale web=3`: nothing pins the web to one container (no fixed
    name, no published port), migrations run once before any replica, and the proxy
    re-resolves the service name so it spreads requests over every replica."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    web, migrate = services["web"], services["migrate"]
    assert "container_name" not in web
    assert "ports" not in web
    assert "migrate" not in web["command"]
    assert "manage.py migrate" in migrate["command"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    conf = (ROOT / "deploy/nginx.conf").read_text()
    assert "resolver 127.0.0.11 valid=10s" in conf
    # Uploads are on a volume every replica mounts (or object storage, see the README).
    assert any("/data/media" in v for v in web["volumes"])


PROD = {"DJANGO_SETTINGS_MODULE": "ogp_portal.settings.prod", "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "ogp.example.org,www.ogp.example.org"}  # fmt: skip
SHOW_PROXY = (
    "from django.conf import settings; from django.test import RequestFactory;"
    "r = RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https', HTTP_HOST='ogp.example.org');"
    "print(settings.SECURE_PROXY_SSL_HEADER is not None, r.is_secure(), settings.SITE_URL)"
)


def test_without_a_proxy_a_forwarded_proto_header_is_not_trusted(tmp_path):
    # Given production with gunicorn answering clients directly (no TRUSTED_PROXY_COUNT)
    result = run_manage(tmp_path, "shell", "-v", "0", "-c", SHOW_PROXY, **PROD)

    # Then a client's own "X-Forwarded-Proto: https" does not make a request secure; and
    # e-mail links use the canonical https address of the first host name
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "https://ogp.example.org"]


def test_behind_a_proxy_its_forwarded_proto_header_is_trusted(tmp_path):
    result = run_manage(
        tmp_path, "shell", "-v", "0", "-c", SHOW_PROXY, TRUSTED_PROXY_COUNT="1",
        SITE_URL="https://portal.example.org/", **PROD,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "https://portal.example.org"]
