"""The Privacy tab in a real browser (Debian's Chromium driven by Playwright): a parent
finds the tab in the demo MIS, makes a subject access request; after the worker runs, the DPO
sees it in the register with its due date and approves the pack."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from support.browser import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, browser_login
from support.demo_host import dsl_releases_everything, run_worker, subject_and_others

from pupil_privacy.demo.school import DEMO_PASSWORD
from pupil_privacy.demo.seed import build_school

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true", reason=NO_CHROMIUM)
def test_parent_request_and_dpo_approval_in_chromium(
    served: str, demo_app: Flask, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    school = build_school(seed=demo_app.config["DEMO_SEED"])
    child_id, _, _, _ = subject_and_others(school)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            parent = browser.new_page()
            browser_login(parent, served, "separated", DEMO_PASSWORD)
            parent.get_by_role("link", name="Privacy").first.click()
            expect(parent).to_have_url(f"{served}/privacy/")
            parent.goto(f"{served}/privacy/requests/new?right=access")
            parent.select_option("select[name=pupil_id]", child_id)
            parent.fill("textarea[name=details]", "A copy of everything you hold, please.")
            parent.get_by_role("button", name="Send request").click()
            expect(parent.locator("body")).to_contain_text("SAR-")
            parent.screenshot(path=str(tmp_path / "parent-request.png"), full_page=True)
            reference = parent.locator("body").inner_text().split("SAR-")[1][:9]

            run_worker(demo_app)
            dsl_releases_everything(demo_app, _request_id(demo_app, f"SAR-{reference}"))

            dpo = browser.new_page()
            browser_login(dpo, served, "dpo", DEMO_PASSWORD)
            dpo.goto(f"{served}/privacy/dpo")
            expect(dpo.locator("body")).to_contain_text(f"SAR-{reference}")
            dpo.get_by_role("link", name=f"SAR-{reference}").first.click()
            expect(dpo.locator("body")).to_contain_text("ready for review")
            dpo.get_by_role("button", name="Approve").first.click()
            expect(dpo.locator("body")).to_contain_text("approved")
            dpo.screenshot(path=str(tmp_path / "dpo-approved.png"), full_page=True)
            _fits(dpo, f"{served}/privacy/dpo/requests/{_request_id(demo_app, f'SAR-{reference}')}")
            _fits(dpo, f"{served}/privacy/dpo?status=all")
        finally:
            browser.close()
    assert (tmp_path / "dpo-approved.png").stat().st_size > 10_000


def _fits(page: Any, url: str) -> None:
    """The DPO's page is no wider than a 390 px phone (wide tables scroll inside their own
    region), and at 1280 px the redaction schedule stays inside its card (issue 12)."""
    page.goto(url)
    for details in page.locator("details").all():
        details.locator("summary").click()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= width, f"{url} is {wide} px wide at {width} px"
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('.pp-card')]
                .filter(c => c.scrollWidth > c.clientWidth + 1).length"""
        )
        assert overflow == 0, f"{overflow} card(s) overflow at {width} px on {url}"


def _request_id(app: Flask, reference: str) -> int:
    from pupil_privacy.worker.models import RightsRequest
    from pupil_privacy.worker.runtime import get_runtime

    with app.app_context():
        return get_runtime().session.query(RightsRequest).filter_by(reference=reference).one().id
