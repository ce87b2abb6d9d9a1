#!/usr/bin/env bash
# Runs the Spark end-to-end suite (tests/conformance/spark) against a pangolin_api process:
# Spark SQL in local mode with Apache Iceberg's Spark runtime, talking to the server through
# the Iceberg REST protocol.
#
# Usage: scripts/run_spark.sh [PYTEST_ARGS...]    e.g. scripts/run_spark.sh -k views -x
#
# Environment:
#   PANGOLIN_BIN  server binary (default build/src/pangolin_api; build it first)
#   PYTHON        interpreter (default python3)
#
# Installs pyspark (pinned in tests/conformance/spark/requirements.txt) when the installed
# version differs, and copies the Iceberg Spark runtime jar from Maven Central into
# tests/conformance/spark/jars/ once; later runs work offline from there.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root=$PWD
suite_dir=$repo_root/tests/conformance/spark
jars_dir=$suite_dir/jars
requirements=$suite_dir/requirements.txt
PYTHON=${PYTHON:-python3}

# The runtime must match pyspark's Spark minor version (3.5) and Scala version (2.12).
ICEBERG_VERSION=1.11.0
RUNTIME_ARTIFACT=iceberg-spark-runtime-3.5_2.12
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

log() { echo "run_spark.sh: $*"; }
die() { echo "run_spark.sh: error: $*" >&2; exit 1; }

# --- tools -----------------------------------------------------------------------------------
command -v java >/dev/null || die "java not found (scripts/deps.sh installs openjdk-17-jdk-headless)"
command -v mvn >/dev/null || die "mvn not found (scripts/deps.sh installs maven)"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
java_major=$(java -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
[[ ${java_major:-0} -ge 17 ]] || die "Iceberg $ICEBERG_VERSION needs Java 17 or newer (found ${java_major:-none})"
server_bin=${PANGOLIN_BIN:-$repo_root/build/src/pangolin_api}
[[ -x $server_bin ]] || die "server binary $server_bin not found; run: ninja -C build pangolin_api"

# --- pyspark ---------------------------------------------------------------------------------
outdated=$("$PYTHON" - "$requirements" <<'PY'
import re
import sys
from importlib import metadata

for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    m = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line)
    try:
        if not m or metadata.version(m.group(1)) != m.group(2):
            print(line)
    except metadata.PackageNotFoundError:
        print(line)
PY
)
if [[ -n $outdated ]]; then
  log "pip install -r $requirements (outdated: $(echo "$outdated" | tr '\n' ' '))"
  # As in scripts/deps.sh: Debian's interpreter is externally managed (PEP 668).
  env PIP_BREAK_SYSTEM_PACKAGES=1 "$PYTHON" -m pip install -q --disable-pip-version-check \
    --root-user-action=ignore -r "$requirements"
fi

# --- Iceberg Spark runtime -------------------------------------------------------------------
runtime_jar=$jars_dir/$RUNTIME_ARTIFACT-$ICEBERG_VERSION.jar
if [[ ! -s $runtime_jar ]]; then
  log "copying $RUNTIME_ARTIFACT $ICEBERG_VERSION into $jars_dir (Maven Central on the first run)"
  mkdir -p "$jars_dir"
  mvn_log=$(mktemp)
  if ! mvn -q -B "$DEPENDENCY_PLUGIN:copy" \
      -Dartifact="org.apache.iceberg:$RUNTIME_ARTIFACT:$ICEBERG_VERSION" \
      -DoutputDirectory="$jars_dir" >"$mvn_log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$mvn_log" >&2
    rm -f "$mvn_log"
    die "mvn dependency:copy failed"
  fi
  rm -f "$mvn_log"
  [[ -s $runtime_jar ]] || die "$runtime_jar missing after mvn dependency:copy"
fi

# --- tests -----------------------------------------------------------------------------------
# Spark binds its driver to the loopback interface (no host name look-up, no other interface).
export PANGOLIN_BIN=$server_bin
export PANGOLIN_SPARK_JARS=$runtime_jar
export SPARK_LOCAL_IP=127.0.0.1
export PYSPARK_PYTHON=${PYSPARK_PYTHON:-$(command -v "$PYTHON")}
exec "$PYTHON" -m pytest "$suite_dir" "$@"
