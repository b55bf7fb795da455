"""Document exports run as Celery jobs (to be built)."""

from celery import shared_task


@shared_task
def run_export_task(job_id: str) -> None:
    """Render one ExportJob."""
