# The production image: gunicorn web, Celery worker and beat all run from it.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ogp_portal.settings.prod
# Pango and HarfBuzz for WeasyPrint's PDF exports (the PDF fonts themselves are bundled in
# static/fonts); curl for the health check.
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir -e .
COPY . .
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput
RUN useradd --create-home ogp && mkdir -p /data/media /data/var && chown -R ogp /data
USER ogp
EXPOSE 8000
# gthread workers with load shedding; settings and their environment overrides in gunicorn.conf.py.
CMD ["gunicorn", "ogp_portal.wsgi", "--config", "gunicorn.conf.py"]
