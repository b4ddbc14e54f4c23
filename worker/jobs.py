"""The RQ jobs that turn a request into a pack, and the functions the web app calls to start them.

Pipeline (each step a job; jobs take ids, never ORM objects, and are JSON-serialised)::

    start_request(request_id)                  collect records into RequestDocument rows
      -> process_document(rid, doc_id, attempt)  one job per document: redact, store, schedule
      -> assemble(request_id)                  when every document is done, failed or withheld

The database is the source of truth. Every step commits before it enqueues the next, every
job id is deterministic (``pp-<request>-doc-<document>-<attempt>``) and every job checks the
database first, so running a job twice changes nothing and :mod:`.reconcile` can re-enqueue
whatever a killed worker or a Redis restart lost.

This module holds only the RQ entry points: RQ stores their dotted names
(``pupil_privacy.worker.jobs.<name>``) in Redis with every queued job, so these names stay.
Each delegates to the module of its step.
"""

from __future__ import annotations

from .collection import collect
from .pack.assemble import assemble_pack
from .redacting import redact_document


def start_request(request_id: int) -> str:
    """Step 1: collect the pupil's records (:func:`.collection.collect`)."""
    return collect(request_id)


def process_document(request_id: int, document_id: int, attempt: int) -> str:
    """Step 2: redact one document (:func:`.redacting.redact_document`)."""
    return redact_document(request_id, document_id, attempt)


def assemble(request_id: int) -> str:
    """Step 3: build, check and store the packs (:func:`.pack.assemble.assemble_pack`)."""
    return assemble_pack(request_id)
