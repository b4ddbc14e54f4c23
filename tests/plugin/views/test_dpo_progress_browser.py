"""The DPO's live progress bar in a real browser (Debian's Chromium through Playwright): the
tiny script polls the JSON endpoint, moves the bar, and reloads the page when the build ends."""

from __future__ import annotations

import os
import re

import pytest
from flask import Flask
from support.browser import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM
from support.host import stored_request

from pupil_privacy.plugin import runtime_for
from pupil_privacy.worker import lifecycle
from pupil_privacy.worker.models import RightsRequest
from pupil_privacy.worker.states import Status

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None and os.environ.get("CI") != "true", reason=NO_CHROMIUM),
]


def _progress(app: Flask, request_id: int, done: int, total: int, status: Status | None) -> None:
    with app.app_context():
        session = runtime_for(app).session
        req = session.get(RightsRequest, request_id)
        assert req is not None
        lifecycle.set_progress(req, stage="redacting", docs_done=done, docs_total=total)
        if status is not None:
            lifecycle.transition(session, req, status, detail="built (test)")
        session.commit()


def test_progress_bar_follows_the_build(app: Flask, served: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    request_id = stored_request(app)
    _progress(app, request_id, 1, 4, None)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{served}/test-login/u-dpo")
            page.goto(f"{served}/privacy/dpo/requests/{request_id}")
            bar = page.locator(".pp-progress-bar")
            expect(bar).to_have_attribute("style", re.compile(r"width: 25%"))
            _progress(app, request_id, 3, 4, None)
            expect(bar).to_have_attribute("style", re.compile(r"width: 75%"), timeout=8000)
            expect(page.locator('[data-field="docs_done"]')).to_have_text("3")
            _progress(app, request_id, 4, 4, Status.READY_FOR_REVIEW)
            # The build ended: the page reloads and offers approval.
            expect(page.locator("body")).to_contain_text("ready for review", timeout=8000)
        finally:
            browser.close()
