"""docker-compose.prod.yml built and run as the README deploys it, behind a TLS-terminating load balancer.

The test plays the load balancer: it sends `Host: app.example.test`, `X-Forwarded-Proto:
https` and the browser's address in `X-Forwarded-For`, from an address inside
NGINX_TRUSTED_PROXY.
"""

import re
import socket
import threading
import time
from pathlib import Path
from typing import BinaryIO

import pytest

from clerk.samples import sample_event
from tests.compose import journey
from tests.compose.logs import by_request_id
from tests.compose.project import ComposeProject
from tests.compose.site import Site, new_user
from tests.compose.stack_env import BROWSER_ADDRESS, PRODUCTION_HOST, WEBHOOK_PATH, ClerkForTests

DB_USER = "app"


@pytest.fixture(scope="module")
def site(production: ComposeProject, clerk: ClerkForTests) -> Site:
    return production_site(production, clerk)


def production_site(production: ComposeProject, clerk: ClerkForTests) -> Site:
    return Site(
        base_url=f"http://127.0.0.1:{production.env['APP_PORT']}",
        authorized_party=f"https://{PRODUCTION_HOST}",
        clerk=clerk,
        headers={"Host": PRODUCTION_HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": BROWSER_ADDRESS},
    )


def test_the_landing_page_is_served_by_nextjs_through_nginx(site: Site) -> None:
    journey.landing_page_is_served_by_nextjs(site)


def test_health_and_readiness_answer_through_nginx(site: Site) -> None:
    journey.health_and_readiness_answer(site)


def test_the_admin_login_is_served_with_its_css(site: Site) -> None:
    journey.admin_login_is_served_with_its_css(site)


def test_the_dashboard_signed_out_redirects_to_sign_in(site: Site) -> None:
    journey.dashboard_signed_out_redirects_to_sign_in(site)


def test_a_signed_webhook_through_nginx_is_stored_and_shown_on_the_signed_in_dashboard(
    site: Site, production: ComposeProject
) -> None:
    journey.webhook_through_nginx_seeds_the_signed_in_dashboard(site, production, db_user=DB_USER)


def test_plain_http_is_redirected_to_https(site: Site) -> None:
    response = site.get("/admin/login/", headers={"X-Forwarded-Proto": "http"})
    assert response.status_code == 301
    assert response.headers["location"] == f"https://{PRODUCTION_HOST}/admin/login/"


def test_https_responses_carry_hsts_and_security_headers(site: Site) -> None:
    for path in ("/", "/admin/login/", "/api/v1/health"):
        response = site.get(path)
        assert response.status_code == 200, path
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000"), path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert "Referrer-Policy" in response.headers, path
        # Each header once: nginx fills in only what the application did not set.
        assert len(response.raw.headers.getlist("Strict-Transport-Security")) == 1, path
        assert len(response.raw.headers.getlist("X-Frame-Options")) == 1, path
    admin = site.get("/admin/login/")
    assert "secure" in admin.headers["Set-Cookie"].lower()


def test_nextjs_assets_are_compressed_and_cached_for_a_year(site: Site) -> None:
    script = re.search(r'"(/_next/static/[^"]+\.js)"', site.get("/").text)
    assert script is not None
    _assert_compressed_and_immutable(site, script.group(1))


def test_django_static_files_are_compressed_and_cached_for_a_year(site: Site) -> None:
    stylesheet = re.search(r'href="(/static/admin/css/base[^"]*\.css)"', site.get("/admin/login/").text)
    assert stylesheet is not None
    _assert_compressed_and_immutable(site, stylesheet.group(1))


def _assert_compressed_and_immutable(site: Site, path: str) -> None:
    response = site.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, path
    assert response.headers["Content-Encoding"] == "gzip", path
    cache_control = response.headers["Cache-Control"]
    assert re.search(r"max-age=3153600+\b", cache_control), cache_control  # a year, or ten
    assert "immutable" in cache_control, cache_control


def test_api_docs_are_off(site: Site) -> None:
    assert site.get("/api/v1/docs").status_code == 404
    assert site.get("/api/v1/openapi.json").status_code == 404


def test_each_request_has_one_id_that_nginx_and_the_backend_log_as_json(
    site: Site, production: ComposeProject, clerk: ClerkForTests
) -> None:
    user_id, email = new_user()
    assert site.deliver(clerk.user_created(user_id=user_id, email=email)).status_code == 200
    token = clerk.bearer(user_id, authorized_party=site.authorized_party)
    me = site.get("/api/v1/auth/me/", headers=token)
    assert me.status_code == 200, me.text
    page = site.get("/")
    request_ids = {me.headers["X-Request-ID"], page.headers["X-Request-ID"]}
    assert len(request_ids) == 2

    nginx = by_request_id(production, "nginx", request_ids)
    assert set(nginx) == request_ids
    assert nginx[me.headers["X-Request-ID"]]["client"] == BROWSER_ADDRESS  # what the load balancer reported

    backend = by_request_id(production, "backend", request_ids)
    line = backend[me.headers["X-Request-ID"]]
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/auth/me/"
    assert line["status"] == 200
    assert line["user_id"] == user_id
    assert line["host"]
    assert token["Authorization"].split()[1] not in production.logs()


def test_check_deploy_is_clean_under_the_production_environment(production: ComposeProject) -> None:
    result = production.exec("backend", "python", "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert "no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNING" not in result.stderr


def test_the_backend_image_runs_uvicorn_as_pid_1_unprivileged_with_web_concurrency_workers(
    production: ComposeProject,
) -> None:
    command = production.exec("backend", "cat", "/proc/1/cmdline").stdout.replace("\0", " ")
    assert command.startswith("/opt/venv/bin/python") or "uvicorn" in command.split()[0], command
    assert "uvicorn config.asgi:application" in command
    assert "--reload" not in command
    assert production.exec("backend", "id", "-u").stdout.strip() == "10001"
    # uvicorn starts its workers with multiprocessing's spawn: their command lines say so (the
    # marker is spelt in two halves so that this command's own line does not count).
    count_workers = (
        "import pathlib; marker = b'spawn' + b'_main'; "
        "print(sum(marker in p.read_bytes() for p in pathlib.Path('/proc').glob('[0-9]*/cmdline')))"
    )
    workers = production.exec("backend", "python", "-c", count_workers).stdout.strip()
    assert workers == production.env.get("WEB_CONCURRENCY", "2")


def test_the_backend_image_has_no_dev_dependencies_and_its_static_files_collected(production: ComposeProject) -> None:
    assert production.exec("backend", "python", "-c", "import pytest", check=False).returncode != 0
    assert production.exec("backend", "python", "-c", "import django, uvicorn").returncode == 0
    assert production.exec("backend", "test", "-f", "/app/staticfiles/admin/css/base.css").returncode == 0
    assert production.exec("backend", "test", "-w", "/app", check=False).returncode != 0  # code not writable


def test_the_backend_image_holds_no_tests_fakes_dev_stack_or_benchmarks(production: ComposeProject) -> None:
    (backend,) = production.containers("backend")
    listed = production.engine.docker("run", "--rm", "--entrypoint", "find", backend["Config"]["Image"], "/app")
    files = {Path(line).relative_to("/app") for line in listed.stdout.splitlines() if line != "/app"}
    top_level = {path.parts[0] for path in files}
    assert not top_level & {"tests", "testing", "devstack", "bench"}, sorted(top_level)
    assert Path("config/settings_test.py") not in files
    # What ships instead: the application, and the samples the trigger command sends.
    assert {Path("manage.py"), Path("clerk/samples.py"), Path("users/models.py")} <= files


def test_the_trigger_command_sends_a_signed_sample_from_the_production_image(production: ComposeProject) -> None:
    listed = production.exec("backend", "python", "manage.py", "clerk_webhook", "--list").stdout.split()
    assert {"user.created", "organizationMembership.deleted"} <= set(listed)
    url = f"http://127.0.0.1:8000{WEBHOOK_PATH}"  # the replica itself, signed with its own secret
    sent = production.exec("backend", "python", "manage.py", "clerk_webhook", "organization.created", "--url", url)
    assert "status: 200" in sent.stdout.splitlines(), sent.stdout + sent.stderr
    stored = production.psql("SELECT name FROM users_organization WHERE clerk_id = 'org_sample'", user=DB_USER)
    assert stored == sample_event("organization.created")["data"]["name"]


def test_the_frontend_image_runs_the_standalone_server_unprivileged(production: ComposeProject) -> None:
    # PID 1 is node itself (the Next.js server renames its process to next-server).
    assert production.exec("frontend", "readlink", "/proc/1/exe").stdout.strip().endswith("/node")
    assert production.exec("frontend", "cat", "/proc/1/cmdline").stdout.startswith("next-server")
    assert production.exec("frontend", "id", "-un").stdout.strip() == "node"


def test_migrations_ran_once_in_the_job_not_in_the_backend(production: ComposeProject) -> None:
    (migrate,) = production.containers("migrate")
    assert migrate["State"]["Status"] == "exited"
    assert migrate["State"]["ExitCode"] == 0
    assert "Applying users." in production.logs("migrate") or "No migrations to apply" in production.logs("migrate")
    assert "Applying" not in production.logs("backend")
    applied = production.psql("SELECT count(*) FROM django_migrations WHERE app = 'users'", user=DB_USER)
    assert int(applied) >= 1


def test_sigterm_lets_an_in_flight_request_finish(production: ComposeProject, clerk: ClerkForTests, site: Site) -> None:
    """A delivery whose body is still arriving when the replica is stopped is answered, then the replica exits 0."""
    (container,) = production.containers("backend")
    address = next(iter(container["NetworkSettings"]["Networks"].values()))["IPAddress"]
    user_id, email = new_user()
    body, headers = clerk.delivery(clerk.user_created(user_id=user_id, email=email))
    head = f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: {PRODUCTION_HOST}\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"

    with socket.create_connection((address, 8000), timeout=60) as connection:
        replies = connection.makefile("rb")
        # A first request on the connection: a worker holds it before the signal comes.
        connection.sendall(f"GET /api/v1/health HTTP/1.1\r\nHost: {PRODUCTION_HOST}\r\n\r\n".encode())
        assert _read_response(replies)[0] == 200
        connection.sendall(head.encode() + body[: len(body) // 2])
        stopping = threading.Thread(target=production.compose, args=("stop", "backend"), kwargs={"timeout": 120})
        stopping.start()
        _wait_for_log(production, "backend", "Waiting for connections to close")
        connection.sendall(body[len(body) // 2 :])
        status, answer = _read_response(replies)
        stopping.join()

    assert status == 200, answer
    (stopped,) = production.containers("backend")
    assert stopped["State"]["ExitCode"] == 0  # uvicorn exited by itself, not killed after the grace period
    assert production.psql("SELECT email FROM users_user WHERE clerk_id = :'id'", user=DB_USER, id=user_id) == email
    production.up()
    journey.health_and_readiness_answer(site)


def _read_response(replies: BinaryIO) -> tuple[int, bytes]:
    """Status and body of one HTTP/1.1 response with a Content-Length."""
    status = int(replies.readline().split()[1])
    length = 0
    while (line := replies.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, replies.read(length)


def _wait_for_log(project: ComposeProject, service: str, text: str, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in project.logs(service):
            return
        time.sleep(0.2)
    raise AssertionError(f"{service} never logged {text!r}:\n{project.logs(service)[-3000:]}")


def test_data_survives_down_and_up_and_down_v_removes_it(site: Site, production: ComposeProject) -> None:
    email = journey.webhook_through_nginx_seeds_the_signed_in_dashboard(site, production, db_user=DB_USER)
    journey.data_survives_down_and_up_and_down_v_removes_it(production, email=email, db_user=DB_USER)
