"""What the browser tests share: Debian's Chromium, its launch flags, and a live server."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
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
