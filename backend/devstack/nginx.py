"""Rendering the project's nginx template and running nginx natively in a scratch directory."""

import re
import shutil
from collections.abc import Mapping
from pathlib import Path

from devstack.paths import NGINX_TEMPLATE
from devstack.processes import ManagedProcess

_VARIABLE = re.compile(r"\$\{([A-Z_]+)\}")
# The template's NGINX_TRUSTED_PROXY when nothing sits in front of nginx: an address no client
# has, so no forwarded header is believed.
NO_TRUSTED_PROXY = "0.0.0.0/32"


def render_template(values: Mapping[str, str], template: Path = NGINX_TEMPLATE) -> str:
    """Substitute ${NAME} like the nginx image's envsubst step: only the names given, nginx's own $vars untouched."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return _VARIABLE.sub(substitute, template.read_text())


def template_values(*, port: int, backend: str, frontend: str, trusted_proxy: str = NO_TRUSTED_PROXY) -> dict[str, str]:
    """The template's variables for nginx on 127.0.0.1:`port` (compose sets the same ones)."""
    return {
        "NGINX_PORT": f"127.0.0.1:{port}",
        "BACKEND_UPSTREAM": backend,
        "FRONTEND_UPSTREAM": frontend,
        "NGINX_TRUSTED_PROXY": trusted_proxy,
    }


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise FileNotFoundError("nginx is not installed (apt-get install -y nginx; make test does it)")
    return found


def nginx_process(
    *,
    workdir: Path,
    port: int,
    backend: str,
    frontend: str,
    workers: int = 1,
    trusted_proxy: str = NO_TRUSTED_PROXY,
) -> ManagedProcess:
    """An nginx serving the rendered template on 127.0.0.1:`port`, with all its files under `workdir`."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "temp").mkdir(exist_ok=True)
    server = render_template(
        template_values(port=port, backend=backend, frontend=frontend, trusted_proxy=trusted_proxy)
    )
    (workdir / "default.conf").write_text(server)
    temp = workdir / "temp"
    (workdir / "nginx.conf").write_text(
        f"""daemon off;
worker_processes {workers};
pid {workdir}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {workdir}/default.conf;
}}
"""
    )
    return ManagedProcess(
        "nginx",
        [nginx_binary(), "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-e", "stderr"],
        cwd=workdir,
        env={"PATH": "/usr/sbin:/usr/bin:/bin"},
        log_path=workdir / "nginx.log",
    )
