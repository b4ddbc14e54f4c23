"""The parent's walk through the Privacy tab, consents steps (issue 12), in Debian's Chromium:
a parent withdraws a photo consent for her 9-year-old (rule 21) and limits youth support
sharing for her 14-year-old (rule 9). axe-core finds no violation of any impact on these
pages; screenshots at 1280 px and 390 px are kept as artefacts (``E2E_ARTEFACTS_DIR``, else
the test's tmp dir). The families helper's walk (notice, erasure, download) is its own file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    NO_CHROMIUM,
    axe_violations,
    browser_login,
)

from pupil_privacy.demo.school import DEMO_PASSWORD, School
from pupil_privacy.demo.seed import build_school

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTHS = (1280, 390)


@pytest.fixture
def artefacts(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("E2E_ARTEFACTS_DIR") or tmp_path) / "parent-consents"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _family(school: School) -> tuple[str, str, str]:
    """A parent (with a login) of a child under 12 and a child of 13 to 15, with parental
    responsibility for both: (username, the younger child's name, the older child's name)."""
    for guardian in school.guardians:
        links = [
            link for link in school.links_for_guardian(guardian.id) if link.parental_responsibility
        ]
        kids = [school.pupil(link.pupil_id) for link in links]
        young = [k for k in kids if k.age_on(school.today) < 12]
        teen = [k for k in kids if 13 <= k.age_on(school.today) < 16]
        if guardian.username and young and teen:
            return guardian.username, young[0].name, teen[0].name
    raise AssertionError("the demo school has no parent of a child under 12 and one of 13-15")


@pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true", reason=NO_CHROMIUM)
def test_parent_withdraws_a_photo_consent_and_limits_youth_support_in_chromium(
    served: str, demo_app: Flask, artefacts: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    school = build_school(seed=demo_app.config["DEMO_SEED"], today=dt.date.today())
    username, young, teen = _family(school)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            browser_login(page, served, username, DEMO_PASSWORD)
            page.goto(f"{served}/privacy/")
            page.get_by_role("link", name="Consents").first.click()
            expect(page.locator("h1")).to_have_text("Consents")
            _check_page(page, artefacts, "consents-before")

            photos = f"photographs in publicity, {young}"
            page.get_by_role("button", name=f"Give consent for {photos}").click()
            expect(
                page.get_by_role("button", name=f"Withdraw consent for {photos}")
            ).to_be_visible()
            page.get_by_role("button", name=f"Withdraw consent for {photos}").click()
            section = page.locator("section", has=page.get_by_role("heading", name=young))
            expect(section).to_contain_text("said no")
            expect(page.get_by_role("button", name=f"Give consent for {photos}")).to_be_visible()

            page.get_by_role(
                "button", name=f"Only share the basic details of {teen} with youth support services"
            ).click()
            teen_section = page.locator("section", has=page.get_by_role("heading", name=teen))
            expect(teen_section).to_contain_text("Limited.")
            expect(page.locator("body")).to_contain_text("Saved: only")
            # The parent sees what was decided, by whom and when.
            section.get_by_text("History of these choices").click()
            expect(section).to_contain_text("Withdrew consent: Photographs in publicity")
            _check_page(page, artefacts, "consents-after")
        finally:
            browser.close()
    _assert_recorded(demo_app, young, teen)


def _check_page(page: Any, artefacts: Path, name: str) -> None:
    """At each width: no axe violation of any impact, nothing wider than the screen, and a
    full-page screenshot."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        _no_violations(page, f"{name} at {width} px")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            "w => [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > w + 1)"
            ".map(e => e.tagName + '.' + e.className).slice(0, 8)",
            width,
        )
        assert overflow <= width, f"{name}: {overflow} px wide on a {width} px screen: {wide}"
        shot = artefacts / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 5_000
    page.set_viewport_size({"width": 1280, "height": 900})


def _no_violations(page: Any, where: str) -> None:
    found = axe_violations(page)
    assert not found, f"{where}: " + "; ".join(found)


def _assert_recorded(app: Flask, young: str, teen: str) -> None:
    """The database agrees with the screen: the photo consent no longer holds for the younger
    child, and the teenager's youth support sharing is limited by the parent."""
    from pupil_privacy.demo.adapter import DemoMIS
    from pupil_privacy.demo.models import Pupil, db
    from pupil_privacy.plugin import runtime_for
    from pupil_privacy.worker.consents import consent_holds, decisions_for
    from pupil_privacy.worker.youth_support import history

    with app.app_context():
        ids = {p.name: p.id for p in db.session.query(Pupil).all()}
        young_pupil = DemoMIS().pupil(ids[young])
        assert young_pupil is not None
        runtime = runtime_for(app)
        purposes = runtime.settings.consent_purposes
        assert not consent_holds(runtime.session, purposes, young_pupil, "photos_publicity")
        choices = [d.choice for d in decisions_for(runtime.session, young_pupil.id)]
        assert choices == ["given", "withdrawn"]
        [limit] = history(runtime.session, ids[teen])
        assert limit.limited and limit.decided_role == "parent"


@pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true", reason=NO_CHROMIUM)
def test_pupil_reads_their_own_notice_and_the_dpo_sees_coverage_in_chromium(
    served: str, demo_app: Flask, artefacts: Path
) -> None:
    """The pupil reads and acknowledges the pupils' notice (not the parents'), and decides
    their own photo consent at 14; the DPO sees who has not read the current pupils' notice,
    what changed in it, and the pupil's consents. axe-clean at both widths."""
    from playwright.sync_api import expect, sync_playwright

    _publish_pupils_version_2(demo_app)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pupil = browser.new_page(viewport={"width": 1280, "height": 900})
            browser_login(pupil, served, "pupil", DEMO_PASSWORD)
            pupil.goto(f"{served}/privacy/notice")
            expect(pupil.locator("h1")).to_have_text("Privacy notice for pupils")
            expect(pupil.locator("article")).to_contain_text("This notice is for you.")
            _check_page(pupil, artefacts, "pupil-notice")
            pupil.get_by_role("button", name="I have read version 2 of the privacy notice").click()
            pupil.goto(f"{served}/privacy/consents")
            pupil.get_by_role("button", name="Give consent for photographs in publicity").click()
            expect(pupil.locator("body")).to_contain_text("Tobi agreed.")
            _check_page(pupil, artefacts, "pupil-consents")

            dpo = browser.new_page(viewport={"width": 1280, "height": 900})
            browser_login(dpo, served, "dpo", DEMO_PASSWORD)
            dpo.goto(f"{served}/privacy/dpo/notice/coverage")
            pupils = dpo.locator(
                "section", has=dpo.get_by_role("heading", name="Notice for pupils")
            )
            expect(pupils).to_contain_text("1 of ")
            pupils.get_by_text("not read yet").click()
            expect(pupils.locator("li", has_text="Tobi Adeyemi")).to_have_count(0)
            _check_page(dpo, artefacts, "dpo-notice-coverage")
            pupils.get_by_role("link", name="What changed in version 2").click()
            expect(dpo.locator("ins", has_text="We wrote it in short words")).to_have_count(1)
            _check_page(dpo, artefacts, "dpo-notice-changes")
            dpo.goto(f"{served}/privacy/dpo/consents?pupil=pupil-f1-1")
            expect(dpo.locator("body")).to_contain_text("Tobi agreed.")
            _check_page(dpo, artefacts, "dpo-consents")
        finally:
            browser.close()


def _publish_pupils_version_2(app: Flask) -> None:
    """The DPO's second pupils' notice: one added sentence, so there is a change to show."""
    from pupil_privacy.plugin import notice_store, runtime_for
    from pupil_privacy.worker.notice.audience import Audience

    with app.app_context():
        session = runtime_for(app).session
        first = notice_store.current_for(session, Audience.PUPILS)
        assert first is not None and first.version == 1
        body = first.body.replace(
            "This notice is for you.",
            "This notice is for you.\n\nWe wrote it in short words. Ask us if a word is hard.",
        )
        notice_store.publish_notice(
            session,
            body=body,
            title=first.title,
            published_by="dpo",
            change_summary="Easier words",
            audience=Audience.PUPILS,
        )
        session.commit()
