"""An integrator writes an MIS adapter with imports from one module, ``worker.mis``."""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum

from pupil_privacy.worker import mis


def _named_types(hint: object) -> set[type]:
    """Our classes named in a type hint (``Sequence[Person] | None`` -> ``{Person}``)."""
    found: set[type] = set()
    for arg in typing.get_args(hint):
        found |= _named_types(arg)
    if isinstance(hint, type) and hint.__module__.startswith("pupil_privacy."):
        found.add(hint)
    return found


def test_every_type_an_adapter_touches_is_importable_from_worker_mis() -> None:
    needed: set[type] = set()
    for name in ("current_user", "user", "pupils_for", "pupil", "roster", "records"):
        needed |= _named_types(typing.get_type_hints(getattr(mis.MISAdapter, name))["return"])
    # ...and what those types' fields use (a Person has a Role; a record a RecordCategory).
    for cls in list(needed):
        if dataclasses.is_dataclass(cls):
            for hint in typing.get_type_hints(cls).values():
                needed |= {t for t in _named_types(hint) if issubclass(t, Enum) or t in needed}
    assert {mis.Person, mis.Role, mis.MISRecord, mis.PupilLink, mis.PupilDetails} <= needed
    exported = {getattr(mis, name) for name in mis.__all__}
    assert needed - exported == set()
    assert {mis.MISAdapter, mis.UserRole, mis.RecordCategory} <= exported
