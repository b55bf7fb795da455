"""Background jobs of consultations (enqueued only through ogp_portal.core.outbox)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)

# Clustering 200,000 inputs takes about a minute on two cores; leave room.
CLUSTERING_TIME_LIMIT = 30 * 60


@shared_task(soft_time_limit=CLUSTERING_TIME_LIMIT - 60, time_limit=CLUSTERING_TIME_LIMIT)
def suggest_clusters_task(job_id: int) -> None:
    """Run one ClusteringJob (a vanished job is logged and ignored)."""
    from consultations.models import ClusteringJob
    from consultations.services.clusters import clustering_run

    job = ClusteringJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("Clustering job %s vanished before it ran.", job_id)
        return
    clustering_run(job)
