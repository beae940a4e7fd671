# node:20-bookworm-slim: Node.js 20 from Debian trixie (bookworm's is 18) and npm 10 from the
# npm registry (trixie's npm package fails to configure under debootstrap); user `node` (uid
# 1000) as in the official image.
source "$(dirname "$0")/common.sh"
bootstrap trixie nodejs,ca-certificates
npm_dir=$(mktemp -d)
(cd "$npm_dir" && npm pack --silent npm@10 >/dev/null && tar -xzf npm-*.tgz)
mkdir -p "$ROOTFS/usr/local/lib/node_modules"
mv "$npm_dir/package" "$ROOTFS/usr/local/lib/node_modules/npm"
rm -rf "$npm_dir"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
in_root useradd --uid 1000 --create-home --shell /bin/bash node
in_root node --version >/dev/null
in_root npm --version >/dev/null
finish
