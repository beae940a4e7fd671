"""`make up`'s compose file (docker-compose.yml), built and run on the private engine from .env.example's values."""

import sys
from collections.abc import Iterator

import pytest

from devstack.processes import free_port
from tests.compose import journey
from tests.compose.engine import PrivateEngine
from tests.compose.project import ComposeProject
from tests.compose.site import Site
from tests.compose.stack_env import ClerkForTests, development_env

DB_USER = "postgres"


@pytest.fixture(scope="module")
def development(
    engine: PrivateEngine, clerk: ClerkForTests, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ComposeProject]:
    port = free_port()
    project = ComposeProject(
        engine,
        name="devtest",
        compose_file="docker-compose.yml",
        env=development_env(clerk, port=port),
        workdir=tmp_path_factory.mktemp("development"),
    )
    try:
        print("base images: " + "; ".join(project.build()), file=sys.stderr)
        project.up()
        yield project
    finally:
        project.down(volumes=True)


@pytest.fixture(scope="module")
def site(development: ComposeProject, clerk: ClerkForTests) -> Site:
    port = int(development.env["APP_PORT"])
    return Site(base_url=f"http://127.0.0.1:{port}", authorized_party=f"http://localhost:{port}", clerk=clerk)


def test_the_landing_page_is_served_by_nextjs_through_nginx(site: Site) -> None:
    journey.landing_page_is_served_by_nextjs(site)


def test_health_and_readiness_answer_through_nginx(site: Site) -> None:
    journey.health_and_readiness_answer(site)


def test_the_admin_login_is_served_with_its_css(site: Site) -> None:
    journey.admin_login_is_served_with_its_css(site)


def test_the_dashboard_signed_out_redirects_to_sign_in(site: Site) -> None:
    journey.dashboard_signed_out_redirects_to_sign_in(site)


def test_a_signed_webhook_through_nginx_is_stored_and_shown_on_the_signed_in_dashboard(
    site: Site, development: ComposeProject
) -> None:
    journey.webhook_through_nginx_seeds_the_signed_in_dashboard(site, development, db_user=DB_USER)


def test_published_ports_bind_this_machine_only(development: ComposeProject) -> None:
    (nginx,) = development.containers("nginx")
    bindings = [binding for port in nginx["HostConfig"]["PortBindings"].values() for binding in port]
    assert bindings
    assert {binding["HostIp"] for binding in bindings} == {"127.0.0.1"}


def test_the_backend_server_is_pid_1_and_runs_with_reload(development: ComposeProject) -> None:
    command = development.exec("backend", "cat", "/proc/1/cmdline").stdout.replace("\0", " ")
    assert "uvicorn config.asgi:application" in command
    assert "--reload" in command


def test_data_survives_down_and_up_and_down_v_removes_it(site: Site, development: ComposeProject) -> None:
    email = journey.webhook_through_nginx_seeds_the_signed_in_dashboard(site, development, db_user=DB_USER)
    journey.data_survives_down_and_up_and_down_v_removes_it(development, email=email, db_user=DB_USER)
