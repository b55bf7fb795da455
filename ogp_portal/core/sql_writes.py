"""Which tables an SQL statement writes, read from its text: core/page_cache.py's hook asks it
of every statement the portal runs, so a SELECT is answered by one regex that fails at its
first letter."""

import re

# The table an INSERT, UPDATE or DELETE writes (Django quotes names; raw SQL may not).
_TARGET = r'(INSERT|UPDATE|DELETE)\s+(?:OR\s+\w+\s+)?(?:INTO\s+|FROM\s+)?[`"]?(\w+)'
# A statement that writes (group 1 the verb, group 2 the table) or begins with WITH (no group).
_LEADING = re.compile(r"\s*(?:" + _TARGET + r"|WITH\b)", re.I)
# Every write in a WITH statement: the INSERT, UPDATE or DELETE after it and, on PostgreSQL,
# those of its data-modifying CTEs. A word that only reads as a write (FOR UPDATE OF, ON
# CONFLICT DO UPDATE SET) names no table, or at worst one whose pages are refreshed for nothing.
_ANYWHERE = re.compile(r"\b" + _TARGET, re.I)
_VERB = re.compile(r"(?:INSERT|UPDATE|DELETE)\s")


def statement_writes(sql: str) -> list[tuple[str, str]]:
    """The (verb, table) of each write of ``sql``, in its order; none for a read."""
    match = _LEADING.match(sql)
    if match is None:
        return []
    verb, table = match.groups()
    if verb is not None:
        return [(verb, table)]
    # Most WITH statements only read (the thread pages'): a look for the three words, some
    # 8 us on 1.5 kB of SQL, spares them the search (some 40 us). Followed by a space, as
    # in _TARGET: the thread pages' "deleted_at" holds DELETE.
    if _VERB.search(sql.upper()):
        return _ANYWHERE.findall(sql)
    return []
