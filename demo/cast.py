"""Who appears in one pupil's records: the people a record writer needs at hand.

The records of a pupil mention their parents, teachers and friends from other families;
that is what makes a subject access request hard (rules 10-12), so the demo wires every
pupil to a friend, the friend's parent and the school's key staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pupil_privacy.worker.mis import UserRole

from .school import Guardian, GuardianLink, Professional, Pupil, School, StaffMember


@dataclass(frozen=True)
class Pronouns:
    subject: str  # she / he
    object: str  # her / him
    possessive: str  # her / his

    @classmethod
    def of(cls, sex: str) -> Pronouns:
        return cls("she", "her", "her") if sex == "F" else cls("he", "him", "his")


@dataclass(frozen=True)
class Cast:
    school: School
    pupil: Pupil
    main: Guardian  # the parent or carer the school deals with
    main_link: GuardianLink
    others: tuple[tuple[Guardian, GuardianLink], ...]  # every other adult linked to the pupil
    teacher: StaffMember
    friend: Pupil  # a pupil from another family
    friend_parent: Guardian
    classmate: Pupil  # a second pupil from another family
    classmate_parent: Guardian
    head: StaffMember
    dsl: StaffMember
    senco: StaffMember
    nurse: StaffMember
    office: StaffMember
    reception: StaffMember
    gp: Professional
    social_worker: Professional
    psychologist: Professional
    camhs: Professional

    @property
    def called(self) -> str:
        return self.pupil.called

    @property
    def they(self) -> Pronouns:
        return Pronouns.of(self.pupil.sex)

    @property
    def no_contact(self) -> Guardian | None:
        return next((g for g, link in self.others if link.no_contact), None)

    @property
    def today(self) -> dt.date:
        return self.school.today


def _main_guardian(school: School, pupil: Pupil) -> tuple[Guardian, GuardianLink]:
    links = school.links_for_pupil(pupil.id)
    link = next(k for k in links if k.parental_responsibility and not k.no_contact)
    return school.guardian(link.guardian_id), link


def _nearest_in_age(school: School, pupil: Pupil, skip: set[str]) -> Pupil:
    others = [p for p in school.pupils if p.family_id != pupil.family_id and p.id not in skip]
    return min(others, key=lambda p: (abs((p.date_of_birth - pupil.date_of_birth).days), p.id))


def cast_for(school: School, pupil: Pupil) -> Cast:
    main, main_link = _main_guardian(school, pupil)
    others = tuple(
        (school.guardian(link.guardian_id), link)
        for link in school.links_for_pupil(pupil.id)
        if link.guardian_id != main.id
    )
    friend = _nearest_in_age(school, pupil, set())
    classmate = _nearest_in_age(school, pupil, {friend.id})
    by_job = {p.job: p for p in school.professionals}
    return Cast(
        school=school,
        pupil=pupil,
        main=main,
        main_link=main_link,
        others=others,
        teacher=school.staff_member(school.school_class(pupil.class_id).teacher_id),
        friend=friend,
        friend_parent=_main_guardian(school, friend)[0],
        classmate=classmate,
        classmate_parent=_main_guardian(school, classmate)[0],
        head=school.staff_with_job("Head teacher"),
        dsl=school.staff_with_role(UserRole.DSL),
        senco=school.staff_with_job("SENCO"),
        nurse=school.staff_with_job("School nurse"),
        office=school.staff_with_role(UserRole.ADMIN),
        reception=school.staff_with_job("Receptionist"),
        gp=by_job["GP"],
        social_worker=by_job["Social worker"],
        psychologist=by_job["Educational psychologist"],
        camhs=by_job["Child and adolescent mental health practitioner"],
    )
