"""What the export_* commands share: make the document through the same run path as the
worker (core.exports.export_now), copy it to --output, print the path and the time."""

import shutil
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ogp_portal.core.exports import export_now, get_export
from ogp_portal.core.models import JobStatus


class ExportCommand(BaseCommand):
    kind = ""
    target_label = "ID"

    def add_arguments(self, parser):
        parser.add_argument("target_id", type=int, help=f"The {self.target_label} to export.")
        parser.add_argument("--output", required=True, help="Where to write the file.")
        parser.add_argument(
            "--language", default=None, help="Language code (default: the document's own)."
        )

    def handle(self, *args, **options):
        spec = get_export(self.kind)
        target = spec.model._default_manager.filter(pk=options["target_id"]).first()
        if target is None:
            raise CommandError(
                f"No {spec.model._meta.verbose_name} with id {options['target_id']}."
            )
        started = time.monotonic()
        job = export_now(self.kind, target, language=options["language"])
        if job.status != JobStatus.DONE or job.result is None:
            raise CommandError(f"The export failed: {job.error}")
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        with job.result.file.open("rb") as source, output.open("wb") as destination:
            shutil.copyfileobj(source, destination)
        seconds = time.monotonic() - started
        reused = " (stored copy reused)" if job.reused else ""
        self.stdout.write(f"{output.resolve()}  {seconds:.2f} s{reused}")
