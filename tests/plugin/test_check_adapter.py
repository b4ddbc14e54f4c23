"""``check-adapter`` on the shared fake school, made wrong one way at a time (issue 10)."""

from __future__ import annotations

from support.school import school

from pupil_privacy.plugin.check import check_adapter
from pupil_privacy.worker.mis import MISUser, PupilLink, UserRole


def test_the_fake_school_checks_clean_apart_from_what_it_holds_on_purpose() -> None:
    report = check_adapter(school(), user_ids=["u-mum", "u-ben"])
    assert report.errors == [], report.lines()
    assert report.pupils == 3 and report.records > 0


def test_a_slow_record_is_reported_with_its_timing() -> None:
    mis = school(slow={"amy-scan": 0.3})
    report = check_adapter(mis, user_ids=["u-mum"], slow_seconds=0.2)
    slow = [f.message for f in report.warnings if "took" in f.message]
    assert slow and "record_content('p-amy', 'amy-scan') took 0.3" in slow[0]
    assert max(report.timings["record_content"]) >= 0.3


def test_broken_links_and_logins_are_errors() -> None:
    mis = school()
    mis.users["u-lost"] = MISUser("u-lost", "Lost Pupil", UserRole.PUPIL)  # no pupil_id
    mis.links["u-mum"].append(PupilLink("p-gone", "mother", parental_responsibility=True))
    report = check_adapter(mis, user_ids=["u-mum", "u-lost", "u-nobody"])
    text = "\n".join(report.lines())
    assert "user 'u-lost' (Lost Pupil) is a pupil with no pupil_id" in text
    assert "pupil('p-gone') found nobody" in text
    assert "user('u-nobody') found nobody" in text
    assert len(report.errors) == 3


def test_a_roster_missing_the_pupil_is_an_error() -> None:
    mis = school()
    mis.people = [p for p in mis.people if p.id != "p-amy"]
    report = check_adapter(mis, pupil_ids=["p-amy"])
    assert any("does not list them as a pupil" in f.message for f in report.errors)


def test_nothing_to_check_is_an_error_not_a_clean_report() -> None:
    class NoSearch:
        def __getattr__(self, name: str) -> object:
            if name == "find_people":
                raise AttributeError(name)
            return getattr(school(), name)

    report = check_adapter(NoSearch())  # type: ignore[arg-type]
    assert report.errors and "nothing to check" in report.errors[-1].message
