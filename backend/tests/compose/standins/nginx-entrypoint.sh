#!/bin/sh
# Entrypoint of the nginx stand-in, doing what the official image's does for our files:
# /etc/nginx/templates/*.template rendered with envsubst into /etc/nginx/conf.d/, substituting
# only variables that are defined (nginx's own $variables stay), then the command.
set -eu
if [ "${1:-}" = nginx ] && [ -d /etc/nginx/templates ]; then
    defined=$(awk 'END { for (name in ENVIRON) printf "${%s} ", name }' </dev/null)
    for template in /etc/nginx/templates/*.template; do
        [ -f "$template" ] || continue
        output="/etc/nginx/conf.d/$(basename "$template" .template)"
        envsubst "$defined" <"$template" >"$output"
        echo "$0: rendered $template to $output"
    done
fi
exec "$@"
