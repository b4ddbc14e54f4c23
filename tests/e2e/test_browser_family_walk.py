"""A parent's walk through the Privacy tab in Debian's Chromium, in the order of issue 12's
"Done when", as one parent (the demo's "parent": Tobi, 14, and Seun, 9): she reads the notice
and acknowledges it, withdraws a photo consent for her 9-year-old (rule 21), limits youth
support sharing for her 14-year-old (rule 9: the parent decides at 13 to 15), asks for erasure
of her 14-year-old's data (the pupil is asked about erasure, in those words, and their "no" goes
to the DPO: rule 7 is about copies of the pupil's data), and downloads her younger child's pack
in one click from the request page; withdrawing a request asks first. The database agrees.

A second walk: the pupil reads their own notice and decides their own photo consent at 14, and
the DPO sees who has not read the pupils' notice, what changed in it, and the pupil's consents.

Every page is checked at 1280 px and at 390 px (:func:`support.browser.check_page`): a
screenshot saved as an artefact (``PP_ARTEFACTS``, else the test's tmp folder, printed),
nothing wider than the phone, and axe-core finds no violation of any impact.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect, sync_playwright
from support.browser import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, browser_login, check_page
from support.demo_host import dsl_releases_everything, run_worker

from pupil_privacy.demo.school import DEMO_PASSWORD, School
from pupil_privacy.demo.seed import build_school

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true", reason=NO_CHROMIUM),
]

#: The pages the parent's walk checks, each at two widths.
PARENT_PAGES = (
    "notice",
    "privacy-tab",
    "consents-before",
    "consents-after",
    "request-form",
    "erasure-request",
    "pupil-asked",
    "pack-ready",
    "withdraw-confirm",
)


def test_parent_walk_in_chromium(served: str, demo_app: Flask, artefacts: Path) -> None:
    assert CHROMIUM is not None, NO_CHROMIUM
    school = build_school(seed=demo_app.config["DEMO_SEED"])
    teen, young = _children_of_the_parent(school)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            parent = browser.new_page(viewport={"width": 1280, "height": 900})
            browser_login(parent, served, "parent", DEMO_PASSWORD)
            _read_and_acknowledge_the_notice(parent, served, artefacts)
            _withdraw_photos_and_limit_youth_support(parent, served, artefacts, young, teen)
            _ask_for_erasure(parent, served, artefacts, teen)
            _pupil_is_asked_about_erasure(browser, served, artefacts)
            parent.reload()
            expect(parent.locator("body")).to_contain_text("in progress")  # with the DPO
            expect(parent.locator("body")).not_to_contain_text("court")
            _download_in_one_step(parent, served, artefacts, demo_app, young)
            _withdrawing_asks_first(parent, served, artefacts)
        finally:
            browser.close()
    shots = sorted(p.name for p in artefacts.glob("*.png"))
    assert shots == sorted(f"{page}-{w}.png" for page in PARENT_PAGES for w in (1280, 390))
    _consents_recorded(demo_app, young.id, teen.id)
    _erasure_with_the_dpo(demo_app, teen.id)


def _children_of_the_parent(school: School) -> tuple[Any, Any]:
    """The demo's signed-in mother (username "parent"): her 14-year-old (who signs in as
    "pupil") and her child under 12, both with her parental responsibility."""
    pupil = next(p for p in school.pupils if p.username == "pupil")
    family = [p for p in school.pupils if p.family_id == pupil.family_id]
    young = next(p for p in family if p.age_on(school.today) < 12)
    assert 13 <= pupil.age_on(school.today) < 16  # the parent decides youth support (rule 9)
    mother = next(g for g in school.guardians if g.username == "parent")
    responsible = {
        link.pupil_id
        for link in school.links_for_guardian(mother.id)
        if link.parental_responsibility
    }
    assert {pupil.id, young.id} <= responsible
    return pupil, young


def _read_and_acknowledge_the_notice(parent: Page, served: str, artefacts: Path) -> None:
    """The notice from the tab's first page; the keyboard reaches every control with a ring."""
    parent.goto(f"{served}/privacy/")
    parent.get_by_role("link", name="Read the privacy notice").click()
    check_page(parent, artefacts, "notice")
    parent.goto(f"{served}/privacy/")
    check_page(parent, artefacts, "privacy-tab")
    _check_keyboard(parent)
    parent.get_by_role("button", name=re.compile(r"^I have read")).click()
    expect(parent.locator("body")).to_contain_text("You have read this version")


def _withdraw_photos_and_limit_youth_support(
    parent: Page, served: str, artefacts: Path, young: Any, teen: Any
) -> None:
    """Consent to photographs given then withdrawn for the 9-year-old; the 14-year-old's youth
    support sharing limited to the basic details; the history shows who decided and when."""
    parent.goto(f"{served}/privacy/")
    parent.get_by_role("link", name="Consents").first.click()
    expect(parent.locator("h1")).to_have_text("Consents")
    check_page(parent, artefacts, "consents-before")

    photos = f"photographs in publicity, {young.name}"
    parent.get_by_role("button", name=f"Give consent for {photos}").click()
    withdraw = parent.get_by_role("button", name=f"Withdraw consent for {photos}")
    expect(withdraw).to_be_visible()
    withdraw.click()
    section = parent.locator("section", has=parent.get_by_role("heading", name=young.name))
    expect(section).to_contain_text("said no")
    expect(parent.get_by_role("button", name=f"Give consent for {photos}")).to_be_visible()

    parent.get_by_role(
        "button",
        name=f"Only share the basic details of {teen.name} with youth support services",
    ).click()
    teen_section = parent.locator("section", has=parent.get_by_role("heading", name=teen.name))
    expect(teen_section).to_contain_text("Limited.")
    expect(parent.locator("body")).to_contain_text("Saved: only")
    section.get_by_text("History of these choices").click()
    expect(section).to_contain_text("Withdrew consent: Photographs in publicity")
    _no_internal_codes(parent)
    check_page(parent, artefacts, "consents-after")


def _ask_for_erasure(parent: Page, served: str, artefacts: Path, teen: Any) -> None:
    """The form offers only what applies, with help, and says the pupil will be asked."""
    parent.goto(f"{served}/privacy/")
    parent.get_by_role("link", name="Make a request").first.click()
    parent.select_option("select[name=pupil_id]", teen.id)
    parent.select_option("select[name=right]", "erasure")
    help_box = parent.locator('[data-right="erasure"]')
    expect(help_box).to_be_visible()
    expect(help_box).to_contain_text("What happens next")
    expect(parent.locator('[data-right="access"]')).to_be_hidden()
    rights = parent.locator("select[name=right] option").all_inner_texts()
    assert "See the educational record (parents)" not in rights  # an academy (rule 4)
    assert not any("damage or distress" in r for r in rights)
    expect(parent.locator("body")).to_contain_text(f"That applies to {teen.name}")
    check_page(parent, artefacts, "request-form")
    parent.fill("textarea[name=details]", "Delete the old photos of the school trip.")
    parent.get_by_role("button", name="Send request").click()
    expect(parent.locator("h1")).to_contain_text(f"Have data deleted: {teen.name}")
    expect(parent.locator("body")).to_contain_text("Delete the old photos")
    expect(parent.locator("body")).to_contain_text("we have asked them what they think")
    _no_internal_codes(parent)
    check_page(parent, artefacts, "erasure-request")


def _pupil_is_asked_about_erasure(browser: Browser, served: str, artefacts: Path) -> None:
    """The pupil is asked about erasure, not about "their data" being sent; their "no" goes
    to the DPO and stays in sight."""
    pupil = browser.new_page(viewport={"width": 1280, "height": 900})
    browser_login(pupil, served, "pupil", DEMO_PASSWORD)
    pupil.goto(f"{served}/privacy/")
    pupil.get_by_role("link", name=re.compile("^Answer .*'s request")).click()
    expect(pupil.locator("h1")).to_contain_text(
        "has asked the school to delete some of your information"
    )
    check_page(pupil, artefacts, "pupil-asked")
    pupil.get_by_label("No, I do not agree").check()
    pupil.get_by_role("button", name="Send my answer").click()
    body = pupil.locator("body")
    expect(body).to_contain_text("The data protection officer will read your answer")
    expect(body).not_to_contain_text("will not send")
    expect(body).to_contain_text("you did not agree")
    pupil.close()


def _download_in_one_step(
    parent: Page, served: str, artefacts: Path, app: Flask, young: Any
) -> None:
    """A copy of the younger child's data, built and released off screen, then downloaded
    with one click from the request page, which the ready pack's row leads to."""
    parent.goto(f"{served}/privacy/requests/new?right=access")
    parent.select_option("select[name=pupil_id]", young.id)
    parent.get_by_role("button", name="Send request").click()
    expect(parent.locator("h1")).to_contain_text(young.name)
    request_id = int(parent.url.rstrip("/").rsplit("/", 1)[1])
    _build_and_approve(app, request_id)
    parent.goto(f"{served}/privacy/")
    ready = parent.locator("tr.pp-ready")
    expect(ready).to_contain_text(young.name)  # the child named, the ready pack marked
    ready.get_by_role("link", name=re.compile(r"^SAR-")).click()
    expect(parent.locator("#pp-ready")).to_contain_text("Your answer is ready")
    check_page(parent, artefacts, "pack-ready")
    with parent.expect_download() as download:
        parent.get_by_role("link", name="Download your copy (PDF)").click()
    saved = artefacts / "pack.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")


def _withdrawing_asks_first(parent: Page, served: str, artefacts: Path) -> None:
    """Withdrawing the erasure request asks first, and works without scripts."""
    parent.goto(f"{served}/privacy/")
    parent.locator("tr", has_text="Have data deleted").get_by_role("link").click()
    parent.get_by_role("link", name="Withdraw this request…").click()
    expect(parent.locator("h1")).to_have_text("Withdraw this request?")
    check_page(parent, artefacts, "withdraw-confirm")
    parent.get_by_role("link", name="No, keep my request").click()
    expect(parent.locator("body")).to_contain_text("in progress")


def _check_keyboard(page: Page) -> None:
    """The first Tab reaches a skip link that moves the focus to the content; every control
    the keyboard reaches after it shows a ring of at least 2 px."""
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.textContent.trim()")
    assert first == "Skip to main content", first
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    rings = []
    for _ in range(30):
        page.keyboard.press("Tab")
        ring = page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
            return [e.tagName + ' ' + e.textContent.trim().slice(0, 30),
                    parseFloat(s.outlineWidth) || 0, s.outlineStyle]; }"""
        )
        if ring[0].startswith("BODY"):  # past the last control
            break
        rings.append(ring)
    assert len(rings) >= 5, rings  # the tab's navigation, the notice link, the button...
    thin = [r for r in rings if r[1] < 2 or r[2] == "none"]
    assert not thin, thin


#: Codes that must never reach a family's screen (issue 12).
INTERNAL = re.compile(r"rule \d|rule-\d|\(rule|pupil-f\d|via electronic|request\(s\)|_review|->|→")


def _no_internal_codes(page: Page) -> None:
    text = page.locator("main").inner_text()
    assert not INTERNAL.search(text), INTERNAL.search(text)


def _build_and_approve(app: Flask, request_id: int) -> None:
    """The school's side, off screen: the worker builds the pack, the DSL releases the
    safeguarding records, the DPO approves (their own browser tests walk these screens)."""
    from pupil_privacy.worker import lifecycle
    from pupil_privacy.worker.models import RightsRequest
    from pupil_privacy.worker.runtime import get_runtime

    run_worker(app)
    dsl_releases_everything(app, request_id)
    with app.app_context():
        session = get_runtime().session
        req = session.get(RightsRequest, request_id)
        assert req is not None and req.status == "ready_for_review", req and req.status
        lifecycle.approve(session, req, actor_id="dpo", today=req.received_on)
        session.commit()


def _consents_recorded(app: Flask, young_id: str, teen_id: str) -> None:
    """The database agrees with the screen: the photo consent no longer holds for the younger
    child (given, then withdrawn), and the teenager's youth support sharing is limited by the
    parent."""
    from pupil_privacy.demo.adapter import DemoMIS
    from pupil_privacy.plugin import runtime_for
    from pupil_privacy.worker.consents import consent_holds, decisions_for
    from pupil_privacy.worker.youth_support import history

    with app.app_context():
        young_pupil = DemoMIS().pupil(young_id)
        assert young_pupil is not None
        runtime = runtime_for(app)
        purposes = runtime.settings.consent_purposes
        assert not consent_holds(runtime.session, purposes, young_pupil, "photos_publicity")
        choices = [d.choice for d in decisions_for(runtime.session, young_pupil.id)]
        assert choices == ["given", "withdrawn"]
        [limit] = history(runtime.session, teen_id)
        assert limit.limited and limit.decided_role == "parent"


def _erasure_with_the_dpo(app: Flask, teen_id: str) -> None:
    """The pupil's "no" did not close the erasure request: it is still open, for the DPO."""
    from pupil_privacy.worker.models import RightsRequest
    from pupil_privacy.worker.runtime import get_runtime
    from pupil_privacy.worker.states import Status

    with app.app_context():
        [erasure] = get_runtime().session.query(RightsRequest).filter_by(pupil_id=teen_id).all()
        assert erasure.right == "erasure", erasure.right
        assert Status(erasure.status).is_open, erasure.status


def test_pupil_reads_their_own_notice_and_the_dpo_sees_coverage_in_chromium(
    served: str, demo_app: Flask, artefacts: Path
) -> None:
    """The pupil reads and acknowledges the pupils' notice (not the parents'), and decides
    their own photo consent at 14; the DPO sees who has not read the current pupils' notice,
    what changed in it, and the pupil's consents."""
    assert CHROMIUM is not None, NO_CHROMIUM
    _publish_pupils_version_2(demo_app)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pupil = browser.new_page(viewport={"width": 1280, "height": 900})
            browser_login(pupil, served, "pupil", DEMO_PASSWORD)
            pupil.goto(f"{served}/privacy/notice")
            expect(pupil.locator("h1")).to_have_text("Privacy notice for pupils")
            expect(pupil.locator("article")).to_contain_text("This notice is for you.")
            check_page(pupil, artefacts, "pupil-notice")
            pupil.get_by_role("button", name="I have read version 2 of the privacy notice").click()
            pupil.goto(f"{served}/privacy/consents")
            pupil.get_by_role("button", name="Give consent for photographs in publicity").click()
            expect(pupil.locator("body")).to_contain_text("Tobi agreed.")
            check_page(pupil, artefacts, "pupil-consents")

            dpo = browser.new_page(viewport={"width": 1280, "height": 900})
            browser_login(dpo, served, "dpo", DEMO_PASSWORD)
            dpo.goto(f"{served}/privacy/dpo/notice/coverage")
            pupils = dpo.locator(
                "section", has=dpo.get_by_role("heading", name="Notice for pupils")
            )
            expect(pupils).to_contain_text("1 of ")
            pupils.get_by_text("not read yet").click()
            expect(pupils.locator("li", has_text="Tobi Adeyemi")).to_have_count(0)
            check_page(dpo, artefacts, "dpo-notice-coverage")
            pupils.get_by_role("link", name="What changed in version 2").click()
            expect(dpo.locator("ins", has_text="We wrote it in short words")).to_have_count(1)
            check_page(dpo, artefacts, "dpo-notice-changes")
            dpo.goto(f"{served}/privacy/dpo/consents?pupil=pupil-f1-1")
            expect(dpo.locator("body")).to_contain_text("Tobi agreed.")
            check_page(dpo, artefacts, "dpo-consents")
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
