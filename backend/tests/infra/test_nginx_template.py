"""The one nginx template: rendered like the nginx image does, accepted by a real nginx, routing as documented."""

import subprocess
from pathlib import Path

from devstack.nginx import nginx_binary, render_template

VALUES = {
    "NGINX_PORT": "127.0.0.1:18080",
    "BACKEND_UPSTREAM": "127.0.0.1:18000",
    "FRONTEND_UPSTREAM": "127.0.0.1:13000",
}


def test_only_our_variables_are_substituted_and_nginx_variables_survive() -> None:
    rendered = render_template(VALUES)
    assert "${" not in rendered
    for value in VALUES.values():
        assert value in rendered
    for nginx_variable in ("$http_upgrade", "$http_host", "$proxy_add_x_forwarded_for", "$scheme"):
        assert nginx_variable in rendered


def test_proxy_headers_that_clerk_and_django_need_are_set() -> None:
    rendered = render_template(VALUES)
    for header in ("X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-For", "Upgrade", "Connection"):
        assert f"proxy_set_header {header} " in rendered
    assert "client_max_body_size" in rendered


def test_a_real_nginx_accepts_the_rendered_configuration(tmp_path: Path) -> None:
    (tmp_path / "default.conf").write_text(render_template(VALUES))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log stderr; events {{}}\n"
        f"http {{ include /etc/nginx/mime.types; include {tmp_path}/default.conf; }}\n"
    )
    result = subprocess.run(
        [nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
