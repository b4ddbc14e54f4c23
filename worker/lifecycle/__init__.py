"""The request lifecycle: the ONE place a rights request changes status.

Web views and RQ jobs both call these functions; none of them commits, so the caller decides
the transaction (a view commits before it enqueues work; a job commits after its step). Every
change is recorded as a :class:`RequestEvent` with who made it and when (rule 20: the register
of requests), and every clock decision cites its rule in ``docs/uk-school-sar-rules.md``.

Split by the rules each part applies: :mod:`.intake` (who may ask, identity, consent),
:mod:`.deadlines` (the clock), :mod:`.decisions` (refusal, DSL review, approval) and
:mod:`.events` (the register). Callers write ``lifecycle.create_request(...)``: the names
are re-exported here.
"""

from __future__ import annotations

from ..clock import EDUCATIONAL_RECORD_SCHOOL_DAYS
from .deadlines import (
    ONE_MONTH_RIGHTS,
    due_date,
    extend,
    pause_clock,
    recompute_due,
    resume_clock,
    start_clock,
)
from .decisions import (
    REFUSAL_ROUTES,
    approve,
    complete,
    dsl_decide,
    pending_dsl_review,
    refuse,
    withdraw,
)
from .events import RequestNotAllowed, record_event, set_progress, transition
from .intake import (
    CONSENT_AGE,
    LOGIN_IDENTITY,
    PARENTS_OWN_RIGHTS,
    REFERENCE_PREFIX,
    YOUTH_SUPPORT_AGE,
    YOUTH_SUPPORT_SELF_AGE,
    admit,
    ask_for_id,
    check_may_request,
    consent_decision,
    create_request,
    needs_pupil_consent,
    record_consent,
    record_identity,
)

__all__ = [
    "CONSENT_AGE",
    "EDUCATIONAL_RECORD_SCHOOL_DAYS",
    "LOGIN_IDENTITY",
    "ONE_MONTH_RIGHTS",
    "PARENTS_OWN_RIGHTS",
    "REFERENCE_PREFIX",
    "REFUSAL_ROUTES",
    "YOUTH_SUPPORT_AGE",
    "YOUTH_SUPPORT_SELF_AGE",
    "RequestNotAllowed",
    "admit",
    "approve",
    "ask_for_id",
    "check_may_request",
    "complete",
    "consent_decision",
    "create_request",
    "dsl_decide",
    "due_date",
    "extend",
    "needs_pupil_consent",
    "pause_clock",
    "pending_dsl_review",
    "recompute_due",
    "record_consent",
    "record_event",
    "record_identity",
    "refuse",
    "resume_clock",
    "set_progress",
    "start_clock",
    "transition",
    "withdraw",
]
