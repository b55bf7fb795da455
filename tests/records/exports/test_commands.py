"""The export commands write the same PDF the web jobs make, and say where and how long."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ogp_portal.core.models import ExportJob, JobStatus
from tests.exports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_export_plan_writes_the_pdf_and_reports_the_time(published_plan, tmp_path, capsys):
    output = tmp_path / "out" / "plan.pdf"

    call_command("export_plan", published_plan.pk, "--output", str(output))

    data = output.read_bytes()
    assert data.startswith(b"%PDF")
    assert "Open Justice Plan" in pdf_text(data)
    printed = capsys.readouterr().out
    assert str(output.resolve()) in printed
    assert " s" in printed
    job = ExportJob.objects.get()
    assert job.status == JobStatus.DONE
    assert job.requested_by is None

    call_command("export_plan", published_plan.pk, "--output", str(output))
    assert "stored copy reused" in capsys.readouterr().out


def test_export_plan_of_a_missing_plan_says_so(tmp_path):
    with pytest.raises(CommandError, match="No action plan with id 999"):
        call_command("export_plan", 999, "--output", str(tmp_path / "x.pdf"))
