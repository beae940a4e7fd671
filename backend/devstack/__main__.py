"""`python -m devstack serve …` (a test stack for other tools) and `python -m devstack dev` (make dev)."""

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

from devstack.dev import run_dev
from devstack.stack import Stack, StackOptions


def serve(args: argparse.Namespace) -> int:
    """Start a stack, print its URLs as one JSON line, then obey commands on stdin until EOF.

    Commands: `stop backend`, `start backend`, `logs`. Each answers one JSON line.
    """
    env = dict(item.split("=", 1) for item in args.env)
    stack = Stack(
        StackOptions(
            env=env,
            database_server_url=args.database_url or os.environ.get("DATABASE_URL") or None,
            frontend=args.frontend,
            nginx=args.nginx,
            workdir=Path(args.workdir) if args.workdir else None,
            public_hosts=("127.0.0.1", "localhost", *args.public_host),
        )
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        stack.start()
        print(json.dumps({
            "url": stack.url,
            "backend": stack.backend_url,
            "frontend": stack.frontend_url,
            "database_url": stack.database_url,
            "workdir": str(stack.workdir),
        }), flush=True)  # fmt: skip
        for line in sys.stdin:
            command = line.strip()
            if command == "stop backend":
                stack.stop_backend()
            elif command == "start backend":
                stack.start_backend()
            elif command == "logs":
                print(json.dumps({"logs": stack.logs()}), flush=True)
                continue
            else:
                print(json.dumps({"error": f"unknown command {command!r}"}), flush=True)
                continue
            print(json.dumps({"ok": command}), flush=True)
    except Exception as error:
        print(json.dumps({"error": str(error), "logs": stack.logs()}), flush=True)
        return 1
    finally:
        stack.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="devstack")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="start uvicorn (+ Next.js, nginx) on free ports")
    serve_parser.add_argument("--frontend", action="store_true")
    serve_parser.add_argument("--nginx", action="store_true")
    serve_parser.add_argument("--database-url", help="PostgreSQL server URL; a fresh database is created there")
    serve_parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE")
    serve_parser.add_argument("--workdir")
    serve_parser.add_argument(
        "--public-host", action="append", default=[], help="another host name browsers use (an authorized party)"
    )
    dev_parser = commands.add_parser("dev", help="the whole stack with reload, for development (make dev)")
    dev_parser.add_argument("--port", type=int, default=None, help="nginx port (default DEV_PORT or 8080)")
    dev_parser.add_argument("--env-file", type=Path, default=None, help="the .env to read (default: the repository's)")
    args = parser.parse_args()
    if args.command == "serve":
        return serve(args)
    started = time.monotonic()
    if args.env_file is not None:
        return run_dev(port=args.port, started=started, env_file=args.env_file)
    return run_dev(port=args.port, started=started)


if __name__ == "__main__":
    sys.exit(main())
