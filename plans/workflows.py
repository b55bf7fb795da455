"""The action-plan cycle as a transition table (no database writes here)."""

from .choices import PlanStatus as S

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PLANNING: (S.NOTICE,),
    S.NOTICE: (S.CO_CREATION,),
    S.CO_CREATION: (S.DRAFTING,),
    S.DRAFTING: (S.DRAFT_PUBLIC_COMMENT,),
    S.DRAFT_PUBLIC_COMMENT: (S.REASONED_RESPONSE,),
    S.REASONED_RESPONSE: (S.ADOPTED,),
    S.ADOPTED: (S.IMPLEMENTATION,),
    S.IMPLEMENTATION: (S.ENDED,),
    S.ENDED: (S.ARCHIVED,),
    S.ARCHIVED: (),
}


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, ())


def next_statuses(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())
