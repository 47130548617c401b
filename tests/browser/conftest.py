"""Browser tests: a served instance on a fresh database, driven by Playwright in Debian's chromium.

Screenshots go to test-artifacts/ at the repository root (kept out of git).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import need

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
RESPONDER = Path(sys.executable).with_name("responder")
PASSWORD = "Browser-pass-2026!"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(env, *args, stdin=None):
    result = subprocess.run([str(RESPONDER), *args], env=env, input=stdin, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr or result.stdout
    return result.stdout


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """`responder serve` on a migrated SQLite file with two units, a user per role and tokens."""
    need(CHROMIUM is not None, "chromium is not installed (apt-get install chromium)")
    folder = tmp_path_factory.mktemp("live")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'live.db'}", "SECRET_KEY": "browser-secret"}
    env.pop("REDIS_URL", None)
    _cli(env, "db", "upgrade")
    for unit in ("公共服务办公室", "财政所"):
        _cli(env, "unit", "create", unit)
    for name, role, unit in (("op", "operator", None), ("sup", "supervisor", None), ("ua", "unit", "公共服务办公室"),
                             ("ub", "unit", "财政所"), ("adm", "admin", None)):
        _cli(env, "user", "create", "--username", name, "--role", role, "--password-stdin",
             *(["--unit", unit] if unit else []), stdin=PASSWORD + "\n")
    token = _cli(env, "token", "create", "--name", "browser-ingest", "--role", "integration").strip().splitlines()[-1]
    port = _free_port()
    server = subprocess.Popen([str(RESPONDER), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                              env=env, stdout=(folder / "serve.log").open("w"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/api/v1/openapi.json", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield {"url": url, "token": token, "env": env}
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(10)


@pytest.fixture(scope="module")
def browser(live):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield instance
        instance.close()


@pytest.fixture
def page_for(browser, live):
    """page_for(username) -> a signed-in page in its own browser context."""
    contexts = []
    ARTIFACTS.mkdir(exist_ok=True)

    def open_as(username: str | None, password: str = PASSWORD):
        context = browser.new_context(base_url=live["url"], viewport={"width": 1280, "height": 900}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        if username:
            page.goto("/login")
            page.get_by_label("用户名").fill(username)
            page.get_by_label("密码").fill(password)
            page.get_by_role("button", name="登录").click()
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    """Keep a screenshot for the closing note and for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
