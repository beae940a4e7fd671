# nginx:1.27-alpine: Debian bookworm's nginx, configured like the official image (nginx.conf
# including conf.d/*.conf, logs to stdout/stderr) with its template entrypoint, and curl.
source "$(dirname "$0")/common.sh"
bootstrap bookworm nginx,gettext-base,curl,ca-certificates
rm -f "$ROOTFS"/etc/nginx/sites-enabled/* "$ROOTFS"/etc/nginx/conf.d/*
install -m 0644 "$(dirname "$0")/nginx.conf" "$ROOTFS/etc/nginx/nginx.conf"
ln -sf /dev/stdout "$ROOTFS/var/log/nginx/access.log"
ln -sf /dev/stderr "$ROOTFS/var/log/nginx/error.log"
install -m 0755 "$(dirname "$0")/nginx-entrypoint.sh" "$ROOTFS/docker-entrypoint.sh"
finish
