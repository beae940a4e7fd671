"""What a person checks after `up`, the same for the development and the production compose."""

import re
from urllib.parse import urlsplit

from tests.compose.project import ComposeProject
from tests.compose.site import Site, new_user


def landing_page_is_served_by_nextjs(site: Site) -> None:
    page = site.get("/")
    assert page.status_code == 200, page.text[:500]
    assert "text/html" in page.headers["content-type"]
    asset = re.search(r'"(/_next/static/[^"]+\.js)"', page.text)
    assert asset is not None, "no Next.js script on the landing page"
    assert site.get(asset.group(1)).status_code == 200


def health_and_readiness_answer(site: Site) -> None:
    assert site.get("/api/v1/health").json() == {"status": "ok"}
    # Readiness is the healthcheck's (inside the backend's container), not routed by nginx.
    assert site.get("/api/v1/ready").status_code == 404


def admin_login_is_served_with_its_css(site: Site) -> None:
    page = site.get("/admin/login/")
    assert page.status_code == 200, page.text[:500]
    assert "csrfmiddlewaretoken" in page.text
    stylesheets = re.findall(r'href="(/static/admin/css/[^"]+\.css)"', page.text)
    assert stylesheets, "the admin login page links no stylesheet"
    for href in stylesheets:
        css = site.get(href)
        assert css.status_code == 200, href
        assert css.headers["content-type"].startswith("text/css")


def dashboard_signed_out_redirects_to_sign_in(site: Site) -> None:
    response = site.get("/dashboard")
    assert response.status_code in (302, 303, 307, 308)
    assert urlsplit(response.headers["location"]).path == "/sign-in"


def webhook_through_nginx_seeds_the_signed_in_dashboard(site: Site, project: ComposeProject, *, db_user: str) -> str:
    """A signed user.created delivered through nginx, its row read back inside the db container,
    then shown on the dashboard of that user signed in with Clerk's cookies; returns the email."""
    user_id, email = new_user()
    delivery = site.deliver(site.clerk.user_created(user_id=user_id, email=email))
    assert delivery.status_code == 200, delivery.text
    stored = project.psql("SELECT email FROM users_user WHERE clerk_id = :'id'", user=db_user, id=user_id)
    assert stored == email
    dashboard = site.signed_in_get("/dashboard", user_id)
    assert dashboard.status_code == 200, dashboard.text[:1000]
    assert email in dashboard.text
    return email


def data_survives_down_and_up_and_down_v_removes_it(project: ComposeProject, *, email: str, db_user: str) -> None:
    project.down()
    project.up()
    count = "SELECT count(*) FROM users_user WHERE email = :'email'"
    assert project.psql(count, user=db_user, email=email) == "1"
    assert project.volumes()
    project.down(volumes=True)
    assert project.volumes() == []
