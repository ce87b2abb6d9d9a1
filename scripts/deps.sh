#!/usr/bin/env bash
# Installs every system package and Python test dependency Pangolin needs on Debian bookworm.
# Idempotent and quick when everything is present: apt-get runs (with one update) only when a
# package is missing, pip only when an installed version differs from tests/conformance/requirements.txt.
#
#   scripts/deps.sh            # build and test dependencies
#   scripts/deps.sh --bench    # also what `make bench` needs (nginx, the read baseline)
set -euo pipefail

BENCH=0
for arg in "$@"; do
  case $arg in
    --bench) BENCH=1 ;;
    *) echo "deps.sh: unknown argument $arg (expected --bench)" >&2; exit 2 ;;
  esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES=(
  # toolchain
  g++ make cmake ninja-build pkg-config git ccache lld clang-format clang-tidy
  # libraries (ARCHITECTURE.md §7)
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libexpected-dev
  libcurl4-openssl-dev libssl-dev libsqlite3-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev zlib1g-dev uuid-dev
  # argon2id password hashing (src/auth)
  libsodium-dev
  # Avro block codecs of Iceberg manifests besides deflate (src/avro)
  libzstd-dev libsnappy-dev
  # the PostgreSQL store (src/store/postgres: libpq) and the server its tests start
  # (scripts/services/postgres.sh: initdb, pg_ctl, pg_isready; psql for the Python suites)
  libpq-dev postgresql
  # the MongoDB store (src/store/mongo: libmongoc); its tests build FerretDB with the machine's Go
  # (scripts/services/ferretdb.sh)
  libmongoc-dev libbson-dev
  # XML answers of object stores and STS (src/storage/s3, src/storage/azure)
  libpugixml-dev
  # the server's allocator
  libjemalloc-dev
  # the Iceberg Java library's metadata writer (tests/conformance/java-metadata)
  openjdk-17-jdk-headless maven
  # HTTP load for the benchmarks (bench/perf_bench.py, bench/backends_bench.py)
  wrk
)
# The read baseline of bench/perf_bench.py: nginx serving the same bytes from a file. Only the
# binary is used (started unprivileged with its own configuration); the package's service is not.
if [[ $BENCH -eq 1 ]]; then
  APT_PACKAGES+=(nginx-light)
fi
PY_REQUIREMENTS=tests/conformance/requirements.txt
PYTHON=${PYTHON:-python3}

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)
  [[ -t 0 ]] && SUDO=(sudo)
else
  echo "deps.sh: not root and sudo is not available" >&2
  exit 1
fi

log() { echo "deps.sh: $*"; }

apt_updated=0
apt_install() {
  if [[ $apt_updated -eq 0 ]]; then
    log "apt-get update"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    apt_updated=1
  fi
  log "apt-get install $*"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

is_installed() {
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

# --- Debian packages -------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  missing+=(python3)
fi
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
  missing+=(python3-pip)
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  apt_install "${missing[@]}"
fi

# --- Python test dependencies ----------------------------------------------------------------
# Prints the requirement lines whose installed version differs from the pinned one.
outdated=$("$PYTHON" - "$PY_REQUIREMENTS" <<'PY'
import re
import sys
from importlib import metadata

for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    m = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?==([^\s;]+)", line)
    if not m:
        print(line)  # not a plain pin: let pip decide
        continue
    try:
        if metadata.version(m.group(1)) != m.group(3):
            print(line)
    except metadata.PackageNotFoundError:
        print(line)
PY
)
if [[ -n $outdated ]]; then
  log "pip install -r $PY_REQUIREMENTS (outdated: $(echo "$outdated" | tr '\n' ' '))"
  # Debian marks its interpreter as externally managed (PEP 668); the test tools go there anyway.
  pip_cmd=(env PIP_BREAK_SYSTEM_PACKAGES=1 "$(command -v "$PYTHON")" -m pip install -q
           --disable-pip-version-check --root-user-action=ignore -r "$PY_REQUIREMENTS")
  if [[ $(id -u) -ne 0 ]] && ! "$PYTHON" -c 'import os, sys, sysconfig
sys.exit(0 if os.access(sysconfig.get_paths()["purelib"], os.W_OK) else 1)'; then
    pip_cmd=("${SUDO[@]}" "${pip_cmd[@]}")
  fi
  "${pip_cmd[@]}"
fi

log "all dependencies present"
