"""A parent's walk through the Privacy tab in Debian's Chromium (issue 12): they read the notice
and acknowledge it, ask for erasure of their 14-year-old's data (the pupil is asked about
erasure, in those words, and their "no" goes to the DPO: rule 7 is about copies of the pupil's
data), and download their younger child's pack in one click from the request page.

Every page is checked at 1280 px and at 390 px: screenshots saved as artefacts (the folder is
printed), nothing wider than the phone, and axe-core finds no violation of any impact.

The walk is its own file so that later steps (photo consent, the youth-support opt-out) can be
added where the comment in :func:`test_parent_walk_in_chromium` says.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
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
    live_server,
)
from support.demo_host import dsl_releases_everything, run_worker

from pupil_privacy.demo.school import DEMO_PASSWORD, School
from pupil_privacy.demo.seed import build_school

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTHS = (1280, 390)


@pytest.fixture
def served(demo_app: Flask) -> Iterator[str]:
    with live_server(demo_app) as url:
        yield url


@pytest.fixture
def artefacts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Where the screenshots go: ``PP_ARTEFACTS`` (CI uploads it) or the test's tmp folder."""
    folder = Path(os.environ.get("PP_ARTEFACTS", tmp_path)) / "family-walk"
    folder.mkdir(parents=True, exist_ok=True)
    with capsys.disabled():
        print(f"\nfamily walk screenshots: {folder}")
    return folder


@pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true", reason=NO_CHROMIUM)
def test_parent_walk_in_chromium(served: str, demo_app: Flask, artefacts: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert CHROMIUM is not None, NO_CHROMIUM
    school = build_school(seed=demo_app.config["DEMO_SEED"])
    teen, young = _children_of_the_parent(school)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            parent = browser.new_page(viewport={"width": 1280, "height": 900})
            browser_login(parent, served, "parent", DEMO_PASSWORD)

            # 1. The notice: read it, then acknowledge it from the tab's first page.
            parent.goto(f"{served}/privacy/")
            parent.get_by_role("link", name="Read the privacy notice").click()
            _check_page(parent, artefacts, "notice")
            parent.goto(f"{served}/privacy/")
            _check_page(parent, artefacts, "privacy-tab")
            _check_keyboard(parent)
            parent.get_by_role("button", name=re.compile(r"^I have read")).click()
            expect(parent.locator("body")).to_contain_text("You have read this version")

            # (Later steps go here: withdrawing a photo consent, the youth-support opt-out.)

            # 2. Erasure of the teenager's data: the form offers what applies, with help.
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
            _check_page(parent, artefacts, "request-form")
            parent.fill("textarea[name=details]", "Delete the old photos of the school trip.")
            parent.get_by_role("button", name="Send request").click()
            expect(parent.locator("h1")).to_contain_text(f"Have data deleted: {teen.name}")
            expect(parent.locator("body")).to_contain_text("Delete the old photos")
            expect(parent.locator("body")).to_contain_text("we have asked them what they think")
            _no_internal_codes(parent)
            _check_page(parent, artefacts, "erasure-request")

            # The pupil is asked about erasure, not about "their data" being sent.
            pupil = browser.new_page(viewport={"width": 1280, "height": 900})
            browser_login(pupil, served, "pupil", DEMO_PASSWORD)
            pupil.goto(f"{served}/privacy/")
            pupil.get_by_role("link", name=re.compile("^Answer .*'s request")).click()
            expect(pupil.locator("h1")).to_contain_text(
                "has asked the school to delete some of your information"
            )
            _check_page(pupil, artefacts, "pupil-asked")
            pupil.get_by_label("No, I do not agree").check()
            pupil.get_by_role("button", name="Send my answer").click()
            body = pupil.locator("body")
            expect(body).to_contain_text("The data protection officer will read your answer")
            expect(body).not_to_contain_text("will not send")
            expect(body).to_contain_text("you did not agree")  # what they answered stays in sight
            pupil.close()
            parent.reload()
            expect(parent.locator("body")).to_contain_text("in progress")  # with the DPO
            expect(parent.locator("body")).not_to_contain_text("court")

            # 3. A copy of the younger child's data, built, released, downloaded in one click.
            parent.goto(f"{served}/privacy/requests/new?right=access")
            parent.select_option("select[name=pupil_id]", young.id)
            parent.get_by_role("button", name="Send request").click()
            expect(parent.locator("h1")).to_contain_text(young.name)
            request_id = int(parent.url.rstrip("/").rsplit("/", 1)[1])
            _build_and_approve(demo_app, request_id)
            parent.goto(f"{served}/privacy/")
            ready = parent.locator("tr.pp-ready")
            expect(ready).to_contain_text(young.name)  # the child named, the ready pack marked
            ready.get_by_role("link", name=re.compile(r"^SAR-")).click()
            expect(parent.locator("#pp-ready")).to_contain_text("Your answer is ready")
            _check_page(parent, artefacts, "pack-ready")
            with parent.expect_download() as download:
                parent.get_by_role("link", name="Download your copy (PDF)").click()
            saved = artefacts / "pack.pdf"
            download.value.save_as(saved)
            assert saved.read_bytes().startswith(b"%PDF")

            # 4. Withdrawing asks first, and works without scripts.
            parent.goto(f"{served}/privacy/")
            parent.locator("tr", has_text="Have data deleted").get_by_role("link").click()
            parent.get_by_role("link", name="Withdraw this request…").click()
            expect(parent.locator("h1")).to_have_text("Withdraw this request?")
            _check_page(parent, artefacts, "withdraw-confirm")
            parent.get_by_role("link", name="No, keep my request").click()
            expect(parent.locator("body")).to_contain_text("in progress")
        finally:
            browser.close()
    shots = sorted(p.name for p in artefacts.glob("*.png"))
    assert len(shots) == 2 * 7, shots


def _children_of_the_parent(school: School) -> tuple[Any, Any]:
    """The demo's signed-in mother (username "parent"): her 14-year-old (who signs in as
    "pupil") and her child under 12."""
    pupil = next(p for p in school.pupils if p.username == "pupil")
    family = [p for p in school.pupils if p.family_id == pupil.family_id]
    young = next(p for p in family if p.age_on(school.today) < 12)
    assert pupil.age_on(school.today) >= 12
    return pupil, young


def _check_page(page: Any, folder: Path, name: str) -> None:
    """At each width: a full-page screenshot, nothing wider than the window, no axe violation
    of any impact."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} is {scroll_width} px wide at {width} px"
        _no_violations(page, f"{name} at {width} px")
    page.set_viewport_size({"width": 1280, "height": 900})


def _check_keyboard(page: Any) -> None:
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


def _no_violations(page: Any, where: str) -> None:
    found = axe_violations(page)
    assert not found, f"{where}: " + "; ".join(found)


#: Codes that must never reach a family's screen (issue 12).
INTERNAL = re.compile(r"rule \d|rule-\d|\(rule|pupil-f\d|via electronic|request\(s\)|_review|->|→")


def _no_internal_codes(page: Any) -> None:
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
