#!/usr/bin/env bash
# Starts the local OpenID Connect provider used by Pangolin's tests
# (scripts/services/oidc-provider/server.mjs; its header documents the arguments).
#
# Usage: scripts/services/oidc-provider.sh PORT [--client-id ID] [--client-secret SECRET]
#                                           [--redirect-uri URI]... [--accounts JSON]
#   e.g. scripts/services/oidc-provider.sh 0 --client-id pangolin --client-secret s3cret \
#          --redirect-uri http://127.0.0.1:8080/oauth/callback
#
# Installs the pinned npm dependencies (npm ci from the committed package-lock.json) when
# node_modules is missing or was installed from another package.json, package-lock.json or
# Node.js version; later runs start at once. Needs Node.js (20.19 or newer) and npm. Install
# output goes to stderr: stdout carries only the provider's {"issuer": ...} line.
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/oidc-provider" && pwd)"
die() { echo "oidc-provider.sh: error: $*" >&2; exit 1; }

command -v node >/dev/null || die "node not found (Node.js 20.19 or newer is needed)"
command -v npm >/dev/null || die "npm not found"
node -e '
  const [major, minor] = process.versions.node.split(".").map(Number);
  process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1);
' || die "Node.js $(node --version) is too old (20.19 or newer is needed)"

# What node_modules must have been installed from.
wanted() {
  { node --version; cat "$dir/package.json" "$dir/package-lock.json"; } | sha256sum | cut -d' ' -f1
}
stamp=$dir/node_modules/.pangolin-install-stamp
installed() { [[ -f $stamp && $(cat "$stamp") == "$(wanted)" ]]; }

if ! installed; then
  # One installer at a time (several test processes may start providers together).
  exec 9>"$dir/.install.lock"
  flock 9
  if ! installed; then
    echo "oidc-provider.sh: installing npm dependencies in $dir (npm ci)" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=warn) >&2 ||
      die "npm ci failed in $dir"
    wanted >"$stamp"
  fi
  flock -u 9
  exec 9>&-
fi

cd "$dir"
exec node server.mjs "$@"
