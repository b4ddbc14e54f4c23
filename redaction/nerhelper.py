"""The NER helper process: a second core for the NER on a sizeable batch.

A batch of :data:`SHARE_MIN_CHARS` or more is split in two by length: one half goes to a
helper process (forked once per process and model, so it already holds the model), the
other runs here at the same time. So both cores work on every sizeable batch without
spaCy's ``n_process`` starting new processes on every call.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from typing import TypeVar

NER_PROCESSES_ENV = "PUPIL_PRIVACY_NER_PROCESSES"
#: Below this many characters a batch costs less to run here than to share with a helper.
SHARE_MIN_CHARS = 1500

T = TypeVar("T")

_lock = threading.Lock()
_helpers: dict[tuple[str, int], ProcessPoolExecutor] = {}


def run_shared(
    name: str,
    texts: Sequence[str],
    here: Callable[[list[str]], list[T]],
    there: Callable[[], Callable[[list[str]], list[T]]],
) -> list[T]:
    """``here(texts)``, with the second half of a sizeable batch done by ``there()`` (a
    function that pickles, made only when a helper is used) in the helper process at the
    same time.

    A batch of :data:`SHARE_MIN_CHARS` or more is split in two by length: one half goes to
    a helper process (forked once per process and model, so it already holds the model),
    the other runs here at the same time. So both cores work on every sizeable batch,
    without spaCy's ``n_process`` starting new processes on every call. ``there()`` must
    give what ``here`` gives for the same texts.
    """
    texts = list(texts)
    helper = _helper(name) if sum(map(len, texts)) >= SHARE_MIN_CHARS and len(texts) > 1 else None
    if helper is None:
        return here(texts)
    cut = _halfway(texts)
    try:
        future = helper.submit(there(), texts[cut:])
    except BrokenExecutor:
        _forget_helper(name)
        return here(texts)
    done = here(texts[:cut])
    try:
        return done + future.result()
    except BrokenExecutor:  # a helper that died: do its half here, and stop using it
        _forget_helper(name)
    except Exception:  # noqa: BLE001  # the same error, if real, is raised here below
        pass
    return done + here(texts[cut:])


def _halfway(texts: list[str]) -> int:
    total, running = sum(map(len, texts)), 0
    for i, text in enumerate(texts):
        running += len(text)
        if running * 2 >= total:
            return max(1, i)
    return len(texts) - 1


def _helper(model: str) -> ProcessPoolExecutor | None:
    """The helper process for ``model`` in this process, or ``None`` when there is no use
    for one (one core, ``PUPIL_PRIVACY_NER_PROCESSES=1``, no ``fork`` on this system, or other
    threads running in this process)."""
    if (os.cpu_count() or 1) < 2 or os.environ.get(NER_PROCESSES_ENV, "2").strip() == "1":
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    key = (model, os.getpid())
    if key not in _helpers and threading.active_count() > 1:
        # Forking a process that runs other threads can copy a lock another thread holds
        # and hang the child (seen: a web server thread plus a browser driver's event
        # loop). RQ work horses are single-threaded; anything else analyses in-process.
        return None  # a forked child (an RQ work horse) makes its own
    with _lock:
        if key not in _helpers:
            context = multiprocessing.get_context("fork")
            _helpers[key] = ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                initializer=_exit_with_parent,
                initargs=(os.getpid(),),
            )
        return _helpers[key]


def _forget_helper(model: str) -> None:
    helper = _helpers.pop((model, os.getpid()), None)
    if helper is not None:
        helper.shutdown(wait=False, cancel_futures=True)


def _exit_with_parent(parent: int) -> None:
    """In the helper: end when the process it helps ends, even by ``os._exit`` (as an RQ
    work horse does, skipping the executor's own clean-up)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="ner-helper-watch", daemon=True).start()
