from ._export_command import ExportCommand


class Command(ExportCommand):
    help = "Write a plan's IRM evidence package (ZIP): export_irm_package PLAN_ID --output FILE.zip"
    kind = "irm_package"
    target_label = "action plan's id"
