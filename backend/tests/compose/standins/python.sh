# python:3.11-slim: Debian bookworm's Python 3.11 with pip and venv; `python`, `python3` and
# `pip` on PATH as in the official image, and pip allowed to install outside a venv.
source "$(dirname "$0")/common.sh"
bootstrap bookworm python3.11,python3-pip,python3-venv,ca-certificates
for name in python python3; do ln -sf /usr/bin/python3.11 "$ROOTFS/usr/local/bin/$name"; done
ln -sf /usr/bin/pip3 "$ROOTFS/usr/local/bin/pip"
rm -f "$ROOTFS"/usr/lib/python3.11/EXTERNALLY-MANAGED
finish
