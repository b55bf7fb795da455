"""The portal's printable documents (plan, consultation report, minutes).

They read across every app, so they live at the top (shared/architecture.md). Each module
has a bounded-query selector, a build function for core.exports, and its permission rule;
register() declares them all (records.apps.RecordsConfig.ready).
"""

from django.template.loader import render_to_string

from ogp_portal.core.exports import register_export


def render_document(template: str, context: dict) -> str:
    """The document's HTML; the stylesheet's fingerprint is part of it, so a layout change
    is a content change and stored files are made again."""
    # Imported here, not at start-up: ogp_portal.core.pdf loads WeasyPrint (about 0.6 s).
    from ogp_portal.core.pdf import stylesheet_fingerprint

    return render_to_string(template, {**context, "style_fingerprint": stylesheet_fingerprint()})


def register() -> None:
    from records import irm_package

    from . import consultation_report, minutes, plan

    for module in (plan, consultation_report, minutes, irm_package):
        register_export(
            module.KIND,
            model=module.MODEL,
            build=module.build,
            can_export=module.can_export,
            filename=module.filename,
            languages=getattr(module, "languages", None),
            render=getattr(module, "render", None),
        )
