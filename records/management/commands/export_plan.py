from ._export_command import ExportCommand


class Command(ExportCommand):
    help = "Write an action plan as PDF: export_plan PLAN_ID --output FILE.pdf [--language xx]"
    kind = "plan"
    target_label = "action plan's id"
