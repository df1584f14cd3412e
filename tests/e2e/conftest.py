"""Browser journeys against the real server (gunicorn on loopback) in Debian's chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
PASSWORD = "e2e-demo-pass-2026"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A demo district served by gunicorn, as `make demo` serves it."""
    data = tmp_path_factory.mktemp("e2e-data")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "HAZARDLEDGER_DEMO": "1",
        "HAZARDLEDGER_DATA_DIR": str(data),
        "HAZARDLEDGER_DEMO_PASSWORD": PASSWORD,
    }
    _manage(env, "migrate", "--noinput")
    _manage(env, "collectstatic", "--noinput")
    _manage(env, "load_demo")
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "hazardledger.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("gunicorn did not start")
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


class Journey:
    """Steps of one journey, each leaving a numbered screenshot."""

    def __init__(self, page, base: str, name: str) -> None:
        self.page, self.base, self.name, self.step = page, base, name, 0
        self.folder = SCREENSHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.outside_requests: list[str] = []
        page.on("request", self._watch)

    def _watch(self, request) -> None:
        if not request.url.startswith((self.base, "data:", "blob:")):
            self.outside_requests.append(request.url)

    def shot(self, label: str) -> None:
        self.step += 1
        self.page.screenshot(path=str(self.folder / f"{self.step:02d}-{label}.png"), full_page=True)

    def login(self, username: str) -> None:
        self.page.goto(self.base + "/login/")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url(self.base + "/")


@pytest.fixture
def journey(page, server, request) -> Iterator[Journey]:
    j = Journey(page, server, request.node.name)
    yield j
    assert j.outside_requests == [], "pages loaded something from outside the server"


@pytest.fixture
def phone(browser, server, request) -> Iterator[Journey]:
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    j = Journey(context.new_page(), server, request.node.name)
    yield j
    context.close()
    assert j.outside_requests == [], "pages loaded something from outside the server"
