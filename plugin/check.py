"""``flask pupil-privacy check-adapter``: the first thing an integrator runs.

It calls every adapter method for a sample of users and pupils and says, in plain words, what
would go wrong in a real request: a method that raises, a record that cannot be read, a link
to a pupil the MIS does not know, a roster missing the pupil, ids shared by people of
different kinds, pupils without a date of birth, links without parental-responsibility data,
and slow calls (with their timings). Errors stop a request; warnings are things the DPO will
have to settle by hand.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar

from pupil_privacy.worker.mis import MISAdapter, MISUser, PersonSearch, PupilLink, UserRole

T = TypeVar("T")

#: A call slower than this is reported: a pack calls ``records`` and ``record_content`` once
#: per document, and the web pages call ``current_user`` and ``pupils_for`` on every click.
SLOW_SECONDS = 1.0

#: Search terms used to find a sample when the adapter has a person search and no ids given.
SAMPLE_TERMS = ("a", "e", "i", "o", "u")


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    level: Level
    message: str


@dataclass
class Report:
    """What the check found, and how long each adapter method took."""

    findings: list[Finding] = field(default_factory=list)
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    users: int = 0
    pupils: int = 0
    records: int = 0

    def error(self, message: str) -> None:
        self.findings.append(Finding(Level.ERROR, message))

    def warn(self, message: str) -> None:
        self.findings.append(Finding(Level.WARNING, message))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.WARNING]

    def lines(self) -> list[str]:
        """The report as the command prints it."""
        out = [
            f"Checked {self.users} user(s), {self.pupils} pupil(s) and {self.records} record(s)."
        ]
        out += [f"ERROR    {f.message}" for f in self.errors]
        out += [f"WARNING  {f.message}" for f in self.warnings]
        for method, seconds in sorted(self.timings.items()):
            out.append(
                f"timing   {method}: {len(seconds)} call(s), slowest {max(seconds):.3f} s, "
                f"total {sum(seconds):.3f} s"
            )
        if not self.findings:
            out.append("All clear: nothing found that would stop a request.")
        else:
            out.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s).")
        return out


class AdapterCheck:
    """One run of the check over ``mis``."""

    def __init__(self, mis: MISAdapter, *, slow_seconds: float = SLOW_SECONDS) -> None:
        self.mis = mis
        self.slow = slow_seconds
        self.report = Report()
        #: Roster ids used by people of different kinds, over every roster read.
        self.shared_ids: set[str] = set()

    def call(self, method: str, what: str, fn: Callable[[], T]) -> T | None:
        """Call one adapter method, timing it; an exception becomes an error in plain words."""
        start = time.perf_counter()
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - the point is to report whatever it raises
            self.report.error(f"{method}({what}) raised {type(exc).__name__}: {exc}")
            return None
        finally:
            took = time.perf_counter() - start
            self.report.timings[method].append(took)
            if took > self.slow:
                self.report.warn(
                    f"{method}({what}) took {took:.2f} s (over {self.slow:.1f} s): slow calls "
                    "make the tab slow or a pack build long"
                )

    def run(self, user_ids: Iterable[str] = (), pupil_ids: Iterable[str] = ()) -> Report:
        if not isinstance(self.mis, PersonSearch):
            self.report.warn(
                "the adapter has no find_people: the DPO cannot search for the people behind a "
                "request received by post, phone, email or in person (they type them in)"
            )
        users = self._users(list(user_ids))
        pupil_set: dict[str, None] = dict.fromkeys(pupil_ids)
        for user in users:
            for link in self._links(user):
                pupil_set[link.pupil_id] = None
            if user.pupil_id:
                pupil_set[user.pupil_id] = None
        self._clashing_ids(users)
        for pupil_id in pupil_set:
            self._pupil(pupil_id)
        if self.shared_ids:
            shown = ", ".join(repr(i) for i in sorted(self.shared_ids)[:5])
            self.report.warn(
                f"the roster has ids shared by people of different kinds ({shown}"
                + (", ..." if len(self.shared_ids) > 5 else "")
                + "): pupil-privacy matches people by role and id, so this is safe, but say "
                "which you mean when you quote an id"
            )
        self.report.users, self.report.pupils = len(users), len(pupil_set)
        if not users and not pupil_set:
            self.report.error(
                "nothing to check: give --user and --pupil ids (or add find_people to the "
                "adapter so a sample can be found)"
            )
        return self.report

    # -- users and links ------------------------------------------------------------------------

    def _users(self, user_ids: list[str]) -> list[MISUser]:
        if not user_ids:
            user_ids = self._sample()
        users = []
        for user_id in user_ids:
            user = self.call("user", repr(user_id), partial(self.mis.user, user_id))
            if user is None:
                self.report.error(f"user({user_id!r}) found nobody")
                continue
            users.append(user)
            if user.has_role(UserRole.PUPIL) and not user.pupil_id:
                self.report.error(
                    f"user {user.id!r} ({user.name}) is a pupil with no pupil_id: the tab "
                    "cannot tell which pupil they are"
                )
        return users

    def _sample(self) -> list[str]:
        search = self.mis
        if not isinstance(search, PersonSearch):
            return []
        found: dict[str, None] = {}
        for term in SAMPLE_TERMS:
            people = self.call("find_people", repr(term), partial(search.find_people, term))
            found.update(dict.fromkeys(u.id for u in people or ()))
        return list(found)

    def _links(self, user: MISUser) -> list[PupilLink]:
        links = self.call("pupils_for", repr(user.id), lambda: list(self.mis.pupils_for(user.id)))
        for link in links or ():
            if link.relationship == "self":
                continue
            if link.parental_responsibility is None:
                self.report.warn(
                    f"the link from {user.name} (user {user.id!r}) to pupil {link.pupil_id!r} "
                    "does not say whether they have parental responsibility: every request "
                    "they make waits for the DPO to check it"
                )
        return links or []

    def _clashing_ids(self, users: list[MISUser]) -> None:
        """The same id used for people of different kinds: handled (people are matched by
        role and id), but anyone reading ids in the register or a log can mix them up."""
        kinds: dict[str, set[str]] = defaultdict(set)
        for user in users:
            if user.pupil_id == user.id:
                continue  # a pupil's login carrying the pupil's own id: one person
            kinds[user.id].add(f"user ({user.role.value})")
        for user in users:
            if user.pupil_id:
                kinds[user.pupil_id].add("pupil")
        for ident, seen in sorted(kinds.items()):
            if len(seen) > 1 and not all(s.startswith("user") for s in seen):
                self.report.warn(
                    f"id {ident!r} is used by more than one kind of person "
                    f"({', '.join(sorted(seen))}): "
                    "pupil-privacy tells them apart by role, but say which you mean when you "
                    "quote an id"
                )

    # -- pupils, roster, records ----------------------------------------------------------------

    def _pupil(self, pupil_id: str) -> None:
        pupil = self.call("pupil", repr(pupil_id), lambda: self.mis.pupil(pupil_id))
        if pupil is None:
            self.report.error(
                f"pupil({pupil_id!r}) found nobody, but a user is linked to them: their "
                "requests would fail"
            )
            return
        if pupil.date_of_birth is None:
            self.report.warn(
                f"pupil {pupil.name} ({pupil_id!r}) has no date of birth: a parent's request "
                "waits until the DPO records the pupil's age or capacity (rules 7 and 9)"
            )
        roster = self.call("roster", repr(pupil_id), lambda: list(self.mis.roster(pupil_id)))
        if roster is not None:
            self._roster(pupil_id, pupil.name, roster)
        records = self.call("records", repr(pupil_id), lambda: list(self.mis.records(pupil_id)))
        for record in records or ():
            self.report.records += 1
            if record.is_file:
                self._content(pupil_id, record.id, record.title)

    def _roster(self, pupil_id: str, name: str, roster: list[Any]) -> None:
        if not any(p.role.value == "pupil" and p.id == pupil_id for p in roster):
            self.report.error(
                f"the roster for {name} ({pupil_id!r}) does not list them as a pupil with that "
                "id: their name in other pupils' records, and other pupils' in theirs, are "
                "not told apart reliably"
            )
        clashes: dict[str, set[str]] = defaultdict(set)
        for person in roster:
            if person.id:
                clashes[person.id].add(person.role.value)
        self.shared_ids.update(i for i, roles in clashes.items() if len(roles) > 1)

    def _content(self, pupil_id: str, record_id: str, title: str) -> None:
        data = self.call(
            "record_content",
            f"{pupil_id!r}, {record_id!r}",
            lambda: self.mis.record_content(pupil_id, record_id),
        )
        if data is not None and not data:
            self.report.error(f"record {record_id!r} ({title}) of pupil {pupil_id!r} is empty")


def check_adapter(
    mis: MISAdapter,
    *,
    user_ids: Iterable[str] = (),
    pupil_ids: Iterable[str] = (),
    slow_seconds: float = SLOW_SECONDS,
) -> Report:
    """Run every adapter method over a sample and report what would go wrong."""
    return AdapterCheck(mis, slow_seconds=slow_seconds).run(user_ids, pupil_ids)
