"""Demo resources, one translated into every interface language. Loading twice changes nothing."""

from typing import Any

from ogp_portal.core.translations import translations_save

from .models import Resource, ResourceAudience

RESOURCES: list[dict[str, Any]] = [
    {
        "title": "The OGP cycle in one page",
        "audience": ResourceAudience.EVERYONE,
        "body": (
            "An action plan lasts two or four years. It is written together with civil "
            "society, in five steps:\n\n"
            "1. **Notice**: the timeline and ways to take part are published.\n"
            "2. **Ideas**: a consultation collects proposals and comments.\n"
            "3. **Answers**: every proposal gets a reasoned response.\n"
            "4. **Draft plan**: the draft is published for comment, then adopted.\n"
            "5. **Delivery**: progress on each milestone is posted with evidence.\n"
        ),
        "translations": {
            "fr": (
                "Le cycle du PGO en une page",
                "Un plan d’action dure deux ou quatre ans. Il est rédigé avec la société "
                "civile, en cinq étapes : avis, idées, réponses, projet de plan, mise en œuvre.",
            ),
            "es": (
                "El ciclo de OGP en una página",
                "Un plan de acción dura dos o cuatro años. Se redacta junto con la sociedad "
                "civil, en cinco pasos: aviso, ideas, respuestas, borrador del plan, ejecución.",
            ),
            "ar": (
                "دورة الشراكة في صفحة واحدة",
                "تدوم خطة العمل سنتين أو أربع سنوات. تُكتب مع المجتمع المدني في خمس خطوات: "
                "الإعلان، والأفكار، والردود، ومسودة الخطة، والتنفيذ.",
            ),
        },
    },
    {
        "title": "Writing a good commitment proposal",
        "audience": ResourceAudience.ORGANISATIONS,
        "body": (
            "## Be specific\n\nSay who does what by when, and how anyone can check it was done.\n\n"
            "## Start from the problem\n\nDescribe the problem and its causes before the "
            "solution. See the [OGP National Handbook](https://www.opengovpartnership.org/)."
        ),
        "translations": {},
    },
]


def load() -> dict:
    loaded = []
    for position, data in enumerate(RESOURCES):
        resource, _created = Resource.objects.get_or_create(
            title=data["title"],
            defaults={"body": data["body"], "audience": data["audience"], "position": position},
        )
        for language, (title, body) in data["translations"].items():
            translations_save(resource, language, {"title": title, "body": body})
        loaded.append(resource)
    return {"resources": loaded}
