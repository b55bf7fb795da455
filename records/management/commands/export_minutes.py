from ._export_command import ExportCommand


class Command(ExportCommand):
    help = "Write a forum meeting's minutes as PDF: export_minutes MEETING_ID --output FILE.pdf"
    kind = "minutes"
    target_label = "meeting's id"
