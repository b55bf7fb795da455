"""Additions to the generated OpenAPI schema: the answers every operation may give besides
200 (drf-spectacular documents only the success), so clients and the contract tests know
them."""

from typing import Any

_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}


def _json(description: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ERROR}},
        **extra,
    }


COMMON_RESPONSES = {
    "304": {"description": "Not modified: the If-None-Match header matched the ETag."},
    "400": _json("A filter or the page size is not valid; each field says why."),
    "404": _json("No public record has this id, or the cursor is not valid."),
    "429": _json(
        "Too many requests from this address; try again after Retry-After seconds.",
        headers={
            "Retry-After": {
                "description": "Seconds to wait before the next request.",
                "schema": {"type": "integer"},
            }
        },
    ),
}


def document_common_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                choices = parameter.get("schema", {}).get("enum")
                if parameter.get("in") == "query" and choices and "" not in choices:
                    # An empty choice means "no filter", as in the site's filter forms.
                    choices.append("")
            responses = operation.setdefault("responses", {})
            for status, response in COMMON_RESPONSES.items():
                responses.setdefault(status, response)
            ok = responses.get("200")
            if ok is not None:
                ok.setdefault("headers", {})["ETag"] = {
                    "description": "Send it back in If-None-Match to get 304 when unchanged.",
                    "schema": {"type": "string"},
                }
    return result
