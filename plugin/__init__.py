"""The Flask extension and blueprint a school's MIS mounts to get the Privacy tab.

Everything an integrator needs comes from this one import::

    from pupil_privacy.plugin import (
        MISAdapter, MISRecord, MISUser, Person, PupilDetails, PupilLink, PupilPrivacy,
        RecordCategory, Role, UserRole,
    )

    privacy = PupilPrivacy()
    privacy.init_app(app, mis=MyMIS())  # MyMIS implements MISAdapter

The adapter's types are defined in the worker (``pupil_privacy.worker.mis``) and the roster's
in the redaction library (``pupil_privacy.redaction.types``); they are re-exported here so an
adapter's author does not need to know the layers.
"""

from __future__ import annotations

from pupil_privacy.redaction.types import Person, Role
from pupil_privacy.worker.mis import (
    MISAdapter,
    MISRecord,
    MISUser,
    PupilDetails,
    PupilLink,
    RecordCategory,
    UserRole,
)

from .blueprint import NavLink, pupil_privacy_tab
from .config import build_settings
from .extension import PupilPrivacy
from .migrate import include_name, include_object, upgrade_database
from .runtime import PluginRuntime, runtime_for

__all__ = [
    "MISAdapter",
    "MISRecord",
    "MISUser",
    "NavLink",
    "Person",
    "PluginRuntime",
    "PupilDetails",
    "PupilLink",
    "PupilPrivacy",
    "RecordCategory",
    "Role",
    "UserRole",
    "build_settings",
    "include_name",
    "include_object",
    "runtime_for",
    "pupil_privacy_tab",
    "upgrade_database",
]
