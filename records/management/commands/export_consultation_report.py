from ._export_command import ExportCommand


class Command(ExportCommand):
    help = "Write a consultation's report as PDF: export_consultation_report ID --output FILE.pdf"
    kind = "consultation_report"
    target_label = "consultation's id"
