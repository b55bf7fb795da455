"""The ledger of the scale data set (issue #15): one InputEntry per submitted proposal,
answer, top-level comment on a commitment and offline event, as the portal's services (and
the back-fill migration) make them, plus the published responses that answer the
non-proposal input of every consultation whose summary is out.

The entries mirror rows already written, so they are copied inside the database
(INSERT … SELECT, one statement per kind) rather than read back through Python; keys are
explicit (reserved, then ROW_NUMBER() in source order), so the same seed gives the same ids.
"""

from django.db import connection

from consultations.models import (
    Answer,
    Comment,
    Consultation,
    GuidingQuestion,
    InputEntry,
    OfflineEvent,
    Proposal,
    ProposalCommitmentLink,
    ReasonedResponse,
)

from .context import Context

TITLE = 120  # as services.ledger.excerpt
# The response to the answers, comments and workshop input of a consultation once its
# summary is published.
SUMMARY_REASON = (
    "Thank you. We read every answer, comment and workshop contribution; the summary of the "
    "consultation says which ideas the plan took up and why the others were not."
)

COLUMNS = [
    "id", "plan_id", "consultation_id", "kind", "channel", "proposal_id", "answer_id",
    "comment_id", "offline_event_id", "commitment_id", "author_id", "organisation_id",
    "policy_area_id", "title", "text", "received_on", "response_id", "is_public",
    "author_name", "contact", "source_label", "source_url", "created_at",
]  # fmt: skip


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _sql_date(expression: str) -> str:
    return f"date({expression})" if connection.vendor == "sqlite" else f"CAST({expression} AS date)"


def _excerpt(expression: str) -> str:
    return (
        f"CASE WHEN LENGTH({expression}) <= {TITLE} THEN {expression} "
        f"ELSE SUBSTR({expression}, 1, {TITLE - 1}) || '…' END"
    )


def _count(sql: str, params: tuple = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {sql}", params)  # noqa: S608 -- table names only
        return cursor.fetchone()[0]


def _insert(ctx: Context, order: str, values: str, source: str) -> int:
    """Entries for the rows of `source` (a FROM … WHERE clause), keyed in `order`."""
    first = ctx.writer.reserve_ids(InputEntry, _count(source))
    select = f"SELECT {first - 1} + ROW_NUMBER() OVER (ORDER BY {order}), {values} {source}"
    return ctx.writer.insert_select(InputEntry, COLUMNS, select)


def make_ledger(ctx: Context) -> None:
    c, p, a, q = _t(Consultation), _t(Proposal), _t(Answer), _t(GuidingQuestion)
    true, false = ("1", "0") if connection.vendor == "sqlite" else ("TRUE", "FALSE")
    received = "COALESCE(p.submitted_at, p.created_at)"
    _insert(
        ctx,
        "p.id",
        f"c.plan_id, p.consultation_id, 'proposal', 'online', p.id, NULL, NULL, NULL, NULL, "
        f"p.author_id, p.organisation_id, p.policy_area_id, SUBSTR(p.title, 1, 250), "
        f"COALESCE(NULLIF(p.proposed_solution, ''), p.problem), {_sql_date(received)}, "
        f"p.response_id, {true}, '', '', '', '', {received}",
        f"FROM {p} p JOIN {c} c ON c.id = p.consultation_id WHERE p.status <> 'draft'",
    )
    _insert(
        ctx,
        "a.id",
        f"c.plan_id, c.id, 'answer', 'online', NULL, a.id, NULL, NULL, NULL, a.author_id, "
        f"a.organisation_id, NULL, {_excerpt('a.body')}, a.body, {_sql_date('a.created_at')}, "
        f"a.response_id, {true}, '', '', '', '', a.created_at",
        f"FROM {a} a JOIN {q} q ON q.id = a.question_id JOIN {c} c ON c.id = q.consultation_id",
    )
    _insert(
        ctx,
        "m.id",
        f"c.plan_id, c.id, 'comment', 'online', NULL, NULL, m.id, NULL, m.commitment_id, "
        f"m.author_id, NULL, NULL, {_excerpt('m.body')}, m.body, "
        f"{_sql_date('m.created_at')}, NULL, "
        f"CASE WHEN m.moderation_state = 'published' AND m.deleted_at IS NULL "
        f"THEN {true} ELSE {false} END, '', '', '', '', m.created_at",
        f"FROM {_t(Comment)} m JOIN {c} c ON c.id = m.consultation_id "
        f"WHERE m.commitment_id IS NOT NULL AND m.parent_id IS NULL",
    )
    place = _excerpt("e.place || ': ' || e.summary")
    _insert(
        ctx,
        "e.id",
        f"c.plan_id, c.id, 'offline', 'workshop', NULL, NULL, NULL, e.id, NULL, NULL, NULL, "
        f"NULL, {place}, e.summary, e.held_on, NULL, "
        f"{true}, '', '', '', '', c.closes_at",
        f"FROM {_t(OfflineEvent)} e JOIN {c} c ON c.id = e.consultation_id",
    )
    _answer_summarised_consultations(ctx)
    _link_responses_to_commitments(ctx)


def _answer_summarised_consultations(ctx: Context) -> None:
    """One published response per consultation with a published summary answers its
    answers, comments and workshop input (a cluster answered at once)."""
    c, e, r = _t(Consultation), _t(InputEntry), _t(ReasonedResponse)
    source = (
        f"FROM {c} c WHERE c.summary_published_at IS NOT NULL AND EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {e} e WHERE e.consultation_id = c.id AND e.kind <> 'proposal')"
    )
    first = ctx.writer.reserve_ids(ReasonedResponse, _count(source))
    ctx.writer.insert_select(
        ReasonedResponse,
        ["id", "plan_id", "consultation_id", "status", "decision", "reason", "responder_id",
         "reviewed_by_id", "reviewed_at", "published_at", "created_at"],
        f"SELECT {first - 1} + ROW_NUMBER() OVER (ORDER BY c.id), c.plan_id, c.id, "
        f"'published', 'partially_accepted', %s, c.created_by_id, c.created_by_id, "
        f"c.summary_published_at, c.summary_published_at, c.summary_published_at {source}",
        (SUMMARY_REASON,),
    )  # fmt: skip
    ctx.writer.execute(
        "InputEntry.response (summaries)",
        f"UPDATE {e} SET response_id = (SELECT r.id FROM {r} r "  # noqa: S608
        f"WHERE r.consultation_id = {e}.consultation_id AND r.id >= %s) "
        f"WHERE kind <> 'proposal' AND response_id IS NULL AND consultation_id IN "
        f"(SELECT r.consultation_id FROM {r} r WHERE r.id >= %s)",
        (first, first),
    )
    ctx.writer.execute(
        "Answer.response (summaries)",
        f"UPDATE {_t(Answer)} SET response_id = (SELECT e.response_id FROM {e} e "  # noqa: S608
        f"WHERE e.answer_id = {_t(Answer)}.id) WHERE id IN "
        f"(SELECT answer_id FROM {e} WHERE answer_id IS NOT NULL AND response_id IS NOT NULL)",
    )


def _link_responses_to_commitments(ctx: Context) -> None:
    """A proposal's response shaped the commitments the proposal became (the M2M the ledger
    and the influence page read)."""
    through = ReasonedResponse.commitments.through
    p, link = _t(Proposal), _t(ProposalCommitmentLink)
    source = (
        f"FROM (SELECT DISTINCT p.response_id, l.commitment_id FROM {link} l "  # noqa: S608
        f"JOIN {p} p ON p.id = l.proposal_id WHERE p.response_id IS NOT NULL) AS pairs"
    )
    first = ctx.writer.reserve_ids(through, _count(source))
    ctx.writer.insert_select(
        through,
        ["id", "reasonedresponse_id", "commitment_id"],
        f"SELECT {first - 1} + ROW_NUMBER() OVER (ORDER BY response_id, commitment_id), "
        f"response_id, commitment_id {source}",
    )
