"""Commitments in and out of the portal as CSV or JSON, one row per commitment.

The columns follow the interchange schema of ogp-domain.md §5, plus `summary` (the model
requires a plain-language summary). Exports read with a fixed number of queries; imports
check every row before writing anything and show a preview (new, changed, unchanged by
OGP ID); once confirmed, all rows are written in one transaction through the services, under
the plan's import lock, so a file is imported completely or not at all, and once.

A package by sub-process, re-exporting each module's names: `schema` (the columns and
their help), `export`, `reading` (an uploaded file into rows), `checking` (rows into fields,
every problem named), `importing` (preview, confirmation, the writes).
"""

from .checking import summary_from
from .export import (
    export_rows,
    write_csv,
    write_json,
)
from .importing import (
    PREVIEW_LIFETIME,
    ImportGone,
    ImportPreview,
    ImportStale,
    PreviewRow,
    import_apply,
    import_commitments,
    import_preview,
)
from .reading import (
    parse_upload,
)
from .schema import (
    COLUMN_ALIASES,
    COLUMN_HELP,
    COLUMNS,
    FIELD_TO_COLUMN,
    IRM_COLUMNS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    MILESTONE_KEYS,
    SUMMARY_LENGTH,
    TEXT_FIELDS,
    VALUE_ALIASES,
    VALUE_NAMES,
    ImportRejected,
    Row,
    RowError,
)

__all__ = [
    "COLUMNS",
    "COLUMN_ALIASES",
    "COLUMN_HELP",
    "FIELD_TO_COLUMN",
    "IRM_COLUMNS",
    "ImportGone",
    "ImportPreview",
    "ImportRejected",
    "ImportStale",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "MILESTONE_KEYS",
    "PREVIEW_LIFETIME",
    "PreviewRow",
    "Row",
    "RowError",
    "SUMMARY_LENGTH",
    "TEXT_FIELDS",
    "VALUE_ALIASES",
    "VALUE_NAMES",
    "export_rows",
    "import_apply",
    "import_commitments",
    "import_preview",
    "parse_upload",
    "summary_from",
    "write_csv",
    "write_json",
]
