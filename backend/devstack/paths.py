from pathlib import Path

BACKEND_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = BACKEND_DIR.parent
FRONTEND_DIR = REPO_ROOT / "frontend"
NGINX_TEMPLATE = REPO_ROOT / "nginx" / "templates" / "default.conf.template"
