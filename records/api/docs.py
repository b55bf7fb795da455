"""The API's documentation for people (/api/v1/docs/): the portal's own page, generated from
the same OpenAPI schema that /api/v1/schema/ serves to programs.

It replaces Swagger UI, which did not pass axe (nested interactive controls, low contrast)
and could not follow the portal's language or direction. The page's own words are
translated; the schema's words (descriptions written in the code) are English, and marked
so with `lang="en"`.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

# Query parameters every list has; the page explains them once, above the collections.
PAGING = {"cursor", "page_size"}
_CHOICE_LINE = re.compile(r"^\* `([^`]*)` - (.*)$")


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    description: str
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Operation:
    path: str
    summary: str
    description: str
    is_list: bool
    example: str
    parameters: tuple[Parameter, ...] = ()


@dataclass
class Collection:
    name: str
    operations: list[Operation] = field(default_factory=list)


def _parameter(raw: dict[str, Any]) -> Parameter:
    schema = raw.get("schema", {})
    lines = (raw.get("description") or "").splitlines()
    labels: dict[str, str] = {}
    for match in map(_CHOICE_LINE.match, lines):
        if match:
            labels[match[1]] = match[2]
    choices = tuple((code, labels.get(code, "")) for code in schema.get("enum", []) if code)
    first = next((line for line in lines if line.strip()), "")
    return Parameter(
        name=raw["name"],
        kind=schema.get("type", "string"),
        description="" if _CHOICE_LINE.match(first) else first,
        choices=choices,
    )


def _operation(path: str, raw: dict[str, Any]) -> Operation:
    parameters = tuple(_parameter(p) for p in raw.get("parameters", []))
    is_list = "{" not in path
    example = path
    if is_list:
        # An example with one filter: the first that has a fixed list of values.
        chosen = next((p for p in parameters if p.choices and p.name not in PAGING), None)
        if chosen is not None:
            example = f"{path}?{chosen.name}={chosen.choices[0][0]}"
    return Operation(
        path=path,
        summary=raw.get("summary", ""),
        description=raw.get("description", ""),
        is_list=is_list,
        example=example,
        parameters=tuple(p for p in parameters if p.name not in PAGING),
    )


@lru_cache(maxsize=1)
def api_collections() -> tuple[Collection, ...]:
    """Every GET operation of the schema, grouped by collection in the schema's order.

    Built once per process (the schema changes only with the code), always in English, the
    language of the schema's descriptions.
    """
    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    collections: dict[str, Collection] = {}
    for path, operations in schema["paths"].items():
        raw = operations.get("get")
        if raw is None:
            continue
        name = (raw.get("tags") or [path.strip("/").split("/")[-1]])[0]
        collections.setdefault(name, Collection(name)).operations.append(_operation(path, raw))
    for collection in collections.values():
        collection.operations.sort(key=lambda op: (not op.is_list, op.path))
    return tuple(collections.values())


def api_docs(request: HttpRequest) -> HttpResponse:
    return render(request, "records/api/docs.html", {"collections": api_collections()})
