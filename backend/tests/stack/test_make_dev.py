"""`make dev` as a new user runs it: a root .env with the keys, then the landing page, a signed-in
dashboard and the admin, through nginx, with `next dev` and `uvicorn --reload` behind it.

The .env is generated into a scratch directory and handed over with `ENV_FILE`, the Next.js
dev build goes to its own directory, and the database is an SQLite file of the test's, so
a developer's own .env, .next and db.sqlite3 are never touched. Tracked files must stay as
they are (`next dev` used to rewrite tsconfig.json).
"""

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from clerk import samples
from devstack.paths import FRONTEND_DIR, REPO_ROOT
from devstack.processes import free_port
from testing.svix import new_signing_secret, signed_delivery
from testing.tokens import SigningKey, make_publishable_key, mint, session_claims

pytestmark = pytest.mark.stack
DIST_DIR = ".next-dev-test"  # tsconfig.json lists its type directories, so next dev leaves it alone


@dataclass
class DevStack:
    url: str
    webhook_secret: str
    key: SigningKey
    log: Path


def _tracked_changes() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    if subprocess.run(["git", "rev-parse"], cwd=REPO_ROOT, capture_output=True).returncode != 0:
        pytest.skip("needs the git checkout, to check tracked files stay unchanged")
    workdir = tmp_path_factory.mktemp("make-dev")
    key = SigningKey.generate("ins_make_dev")
    secret = new_signing_secret()
    nginx, backend, frontend = free_port(), free_port(), free_port()
    url = f"http://127.0.0.1:{nginx}"
    pem = key.public_pem.strip().replace("\n", "\\n")
    env_file = workdir / ".env"
    env_file.write_text(
        "\n".join(
            [
                f"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY={make_publishable_key('clerk.example.test')}",
                "CLERK_SECRET_KEY=sk_test_offline",
                f'CLERK_JWT_KEY="{pem}"',
                f"CLERK_AUTHORIZED_PARTIES={url}",
                f"CLERK_WEBHOOK_SIGNING_SECRET={secret}",
                "CLERK_API_URL=http://127.0.0.1:9/v1",
                "NEXT_PUBLIC_CLERK_SIGN_IN_URL=/sign-in",
                "NEXT_PUBLIC_CLERK_SIGN_UP_URL=/sign-up",
                "DJANGO_DEBUG=1",
                "DJANGO_SECRET_KEY=make-dev-test-not-secret",
                f"DATABASE_URL=sqlite:///{workdir / 'dev.sqlite3'}",
                f"DEV_PORT={nginx}",
                f"BACKEND_PORT={backend}",
                f"FRONTEND_PORT={frontend}",
                "",
            ]
        )
    )
    before = _tracked_changes()
    # The shell of a new user: none of this test run's own settings.
    shell = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CLERK_", "NEXT_PUBLIC_", "DJANGO_", "DATABASE_", "BACKEND_", "FRONTEND_", "DEV_PORT"))
    }
    log = workdir / "make-dev.log"
    with log.open("wb") as output:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "dev", f"ENV_FILE={env_file}"],
            cwd=REPO_ROOT,
            env={**shell, "NEXT_DIST_DIR": DIST_DIR},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        while "Ready in" not in log.read_text(errors="replace"):
            assert make.poll() is None, f"make dev exited:\n{log.read_text(errors='replace')[-4000:]}"
            assert time.monotonic() < deadline, f"make dev was not ready:\n{log.read_text(errors='replace')[-4000:]}"
            time.sleep(0.5)
        yield DevStack(url=url, webhook_secret=secret, key=key, log=log)
    finally:
        os.killpg(make.pid, signal.SIGINT)  # Ctrl-C, as a developer stops it
        try:
            make.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
    assert _tracked_changes() == before, "make dev changed tracked files"


def _logs(dev: DevStack) -> str:
    dev_logs = REPO_ROOT / ".run" / "dev"
    parts = [dev.log.read_text(errors="replace")[-3000:]]
    for name in ("backend.log", "frontend.log"):
        path = dev_logs / name
        if path.exists():
            parts.append(f"--- {name} ---\n" + path.read_text(errors="replace")[-3000:])
    return "\n".join(parts)


def test_the_landing_page_is_served_by_next_dev_through_nginx(dev: DevStack) -> None:
    response = requests.get(f"{dev.url}/", timeout=180)  # next dev compiles the page on first request
    assert response.status_code == 200, _logs(dev)
    assert "Clerk keys are missing" not in response.text
    assert "/sign-in" in response.text


def test_a_signed_in_user_gets_the_dashboard_with_what_the_backend_holds(dev: DevStack) -> None:
    user = samples.user_data(user_id="user_make_dev", email="dev@example.com", first_name="Devon")
    body, headers = signed_delivery(dev.webhook_secret, samples.event("user.created", user))
    assert requests.post(f"{dev.url}/api/v1/auth/clerk_webhook/", data=body, headers=headers, timeout=30).ok
    issued = int(time.time()) - 5
    claims = session_claims(sub="user_make_dev", azp=dev.url, iat=issued, nbf=issued, exp=issued + 3600)
    cookies = {"__session": mint(dev.key, claims), "__client_uat": str(issued)}
    response = requests.get(f"{dev.url}/dashboard", cookies=cookies, allow_redirects=False, timeout=180)
    assert response.status_code == 200, _logs(dev)
    assert "Devon" in response.text
    assert "dev@example.com" in response.text


def test_the_admin_answers_with_its_css(dev: DevStack) -> None:
    page = requests.get(f"{dev.url}/admin/login/", timeout=30)
    assert page.status_code == 200
    stylesheet = re.search(r'href="(/static/admin/css/[^"]+\.css)"', page.text)
    assert stylesheet is not None
    assert requests.get(f"{dev.url}{stylesheet.group(1)}", timeout=30).status_code == 200


def test_the_dev_build_stayed_in_its_own_directory(dev: DevStack) -> None:
    assert (FRONTEND_DIR / DIST_DIR).is_dir()
