# Shared by every stand-in recipe (sourced): a minimal Debian root file system in $ROOTFS
# from the Debian mirror in $MIRROR, trusting the same CA bundle as the host (registries are
# reached through the host, which may re-sign TLS), with apt's downloads and lists removed.
set -euo pipefail

bootstrap() {
    local suite=$1 packages=$2
    debootstrap --variant=minbase --include="$packages" "$suite" "$ROOTFS" "$MIRROR" >"$ROOTFS.debootstrap.log" 2>&1 \
        || { tail -30 "$ROOTFS.debootstrap.log" >&2; exit 1; }
    rm -f "$ROOTFS.debootstrap.log"
    install -m 0644 /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
}

finish() {
    rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb \
        "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/*
}

in_root() {
    chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
