"""The Privacy tab's pages, one module per kind of user.

- :mod:`.family`: parents and pupils (the tab's home, making and following a request, a
  pupil's consent);
- :mod:`.consents`: consents and the youth support limit (families, the DPO, staff systems);
- :mod:`.notice`: the privacy notice (reading and acknowledging it; the DPO publishing it);
- :mod:`.dpo`: the DPO's console (the register, the clock, approval, failed jobs);
- :mod:`.intake`: the DPO logging a request received by post, phone, email or in person;
- :mod:`.dsl`: the designated safeguarding lead's review (rule 14);
- :mod:`.downloads`: signed, expiring links to the finished packs;
- :mod:`.review`: the review workbench of the DPO and the DSL (issue 8), and
  :mod:`.review_lists`: the school's lists it keeps.

Importing this package attaches every route to :data:`pupil_privacy.plugin.blueprint.bp`; the
extension imports it once.
"""

from __future__ import annotations

from . import consents, downloads, dpo, dsl, family, intake, notice, review, review_lists

__all__ = [
    "consents",
    "downloads",
    "dpo",
    "dsl",
    "family",
    "intake",
    "notice",
    "review",
    "review_lists",
]
