"""What the browser tests share: Debian's Chromium, its launch flags, and a live server."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.serving import make_server

#: The two widths every family page is checked at: a laptop and a phone (issue 12).
WIDTHS = (1280, 390)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: axe-core 4.14.1, MPL-2.0 (LICENSE beside it).
AXE = Path(__file__).parents[1] / "e2e" / "axe" / "axe.min.js"
NO_CHROMIUM = (
    "Debian's chromium is not installed (make test installs it when run as root; "
    "see scripts/system-deps.sh)"
)


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def browser_login(page: Any, base: str, username: str, password: str) -> None:
    """Sign in to the demo MIS through its login form in a Playwright page."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form").get_by_role("button").first.click()
    page.wait_for_url(lambda url: "/login" not in url)


def axe_violations(page: Any, impacts: tuple[str, ...] | None = None) -> list[str]:
    """axe-core's violations on the page (of the given impacts, or all), one line each.

    Evaluated through DevTools, not added as a <script>: the page keeps its strict CSP
    (script-src 'self'), so it is checked as it really runs.
    """
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if impacts is None or v["impact"] in impacts
    ]


def check_page(page: Any, folder: Path, name: str) -> None:
    """At each of :data:`WIDTHS`: no axe-core violation of any impact, nothing wider than the
    window (the widest elements named when it fails), and a full-page screenshot
    ``NAME-WIDTH.png`` in ``folder``. The page is left at 1280 px."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found = axe_violations(page)
        assert not found, f"{name} at {width} px: " + "; ".join(found)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        wide = page.evaluate(
            "w => [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > w + 1)"
            ".map(e => e.tagName + '.' + e.className).slice(0, 8)",
            width,
        )
        assert scroll_width <= width, f"{name}: {scroll_width} px wide at {width} px: {wide}"
        shot = folder / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 5_000, f"{shot} is too small to show a page"
    page.set_viewport_size({"width": 1280, "height": 900})
