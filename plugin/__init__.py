"""The Flask extension and blueprint a school's MIS mounts to get the Privacy tab.

::

    from pupil_privacy.plugin import PupilPrivacy

    privacy = PupilPrivacy()
    privacy.init_app(app, mis=adapter)
"""

from __future__ import annotations

from .extension import PluginRuntime, PupilPrivacy, build_settings, runtime_for
from .migrate import upgrade_database

__all__ = ["PluginRuntime", "PupilPrivacy", "build_settings", "runtime_for", "upgrade_database"]
