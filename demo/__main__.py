"""``make demo``: the demo MIS with the Privacy tab, on a machine with no services at all.

Creates ``var/demo/``, starts an embedded Redis (unless ``REDIS_URL`` is set), uses SQLite
at ``var/demo/mis.sqlite`` (unless ``DATABASE_URL`` is set), builds the schema, seeds the
school once, starts one RQ worker, serves http://127.0.0.1:5000 (``PORT`` to change) and
prints the logins. Ctrl-C stops the server, the worker and the embedded Redis.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import ExitStack, suppress
from pathlib import Path
from types import FrameType

from .app import create_app, database_url, var_dir
from .cli import accounts_text, prepare_database
from .seed import build_people
from .services import embedded_redis, subprocess_with_prefix

APP = "pupil_privacy.demo.app"


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # unwinds through the ExitStack exactly as Ctrl-C does


def _worker_argv() -> list[str]:
    flask = Path(sys.executable).with_name("flask")
    return [str(flask), "--app", APP, "pupil-privacy", "worker"]


def _environment(stack: ExitStack, directory: Path) -> tuple[dict[str, str], bool]:
    """The settings the web app and the worker share; starts Redis when none is given."""
    redis_url = os.environ.get("REDIS_URL")
    embedded = not redis_url
    if not redis_url:
        redis_url = stack.enter_context(embedded_redis(directory / "redis.rdb"))
        print(f"Embedded Redis on {redis_url}")
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url(os.environ.get("DATABASE_URL"), directory),
        "DEMO_VAR_DIR": str(directory),
    }
    return env, embedded


def _serve(directory: Path, port: int) -> None:
    with ExitStack() as stack:
        env, embedded = _environment(stack, directory)
        os.environ.update(env)  # create_app reads the same settings as the worker
        app = create_app()
        with app.app_context():
            school = prepare_database()
        print("Seeded the demo school." if school else "Database ready (already seeded).")
        stack.enter_context(subprocess_with_prefix(_worker_argv(), env, "[worker] "))

        print(f"\nRiverside Academy demo MIS: http://127.0.0.1:{port}")
        print(accounts_text(build_people(seed=int(app.config["DEMO_SEED"]))))
        stops = "the server, the worker" + (" and the embedded Redis" if embedded else "")
        print(f"Ctrl-C stops {stops}.\n", flush=True)
        try:
            app.run(host="127.0.0.1", port=port, use_reloader=False, threaded=True)
        finally:
            print("\nStopping...", flush=True)


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    # Started in the background, a process inherits SIGINT ignored; Ctrl-C must always work.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    directory = var_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with suppress(KeyboardInterrupt):  # Ctrl-C at any point: everything started is stopped
        _serve(directory, int(os.environ.get("PORT", "5000")))
    print("Stopped.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
