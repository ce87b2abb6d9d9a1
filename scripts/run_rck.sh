#!/usr/bin/env bash
# Runs Apache Iceberg's REST Compatibility Kit (RCK) against a pangolin_api process.
#
# Usage: scripts/run_rck.sh [catalog] [view] [-- LAUNCHER_OPTIONS...]
#
#   catalog   RESTCompatibilityKitCatalogTests (tables and namespaces, from CatalogTests)
#   view      RESTCompatibilityKitViewCatalogTests (views, from ViewCatalogTests)
#             Both run when neither is named.
#   LAUNCHER_OPTIONS are passed to the JUnit console launcher of every class run, e.g.
#             -- --include-methodname '.*testRename.*'
#
# Environment:
#   PANGOLIN_BIN   server binary (default build/src/pangolin_api; build it first)
#   RCK_JAVA_OPTS  extra JVM options, e.g. "-Drck.supports-serverside-retry=false"
#   RCK_SOCKET_TIMEOUT_MS  how long the client waits for a response (default 10000)
#   RCK_KEEP=1     keep the run directory (server log, database, client log) even on success
#
# The test jars come from Maven Central (tests/conformance/rck/pom.xml) and are copied into
# tests/conformance/rck/lib/ once; later runs work offline from there. JUnit XML reports are
# written to tests/conformance/rck/reports/<class>/, the launcher's full output beside them.
# Exit status: 0 when every selected test passed or was skipped, 1 otherwise.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root=$PWD
rck_dir=$repo_root/tests/conformance/rck
lib_dir=$rck_dir/lib
reports_dir=$rck_dir/reports
server_bin=${PANGOLIN_BIN:-$repo_root/build/src/pangolin_api}
rck_java_opts=${RCK_JAVA_OPTS:-}
socket_timeout_ms=${RCK_SOCKET_TIMEOUT_MS:-10000}

log() { echo "run_rck.sh: $*"; }
die() { echo "run_rck.sh: error: $*" >&2; exit 1; }

# --- arguments -------------------------------------------------------------------------------
classes=()
launcher_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    catalog) classes+=(catalog) ;;
    view) classes+=(view) ;;
    --) shift; launcher_args=("$@"); break ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
[[ ${#classes[@]} -gt 0 ]] || classes=(catalog view)

# --- tools -----------------------------------------------------------------------------------
command -v java >/dev/null || die "java not found (scripts/deps.sh installs openjdk-17-jdk-headless)"
command -v mvn >/dev/null || die "mvn not found (scripts/deps.sh installs maven)"
command -v python3 >/dev/null || die "python3 not found"
java_major=$(java -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
[[ ${java_major:-0} -ge 17 ]] || die "Iceberg 1.11 needs Java 17 or newer (found ${java_major:-none})"
[[ -x $server_bin ]] || die "server binary $server_bin not found; run: ninja -C build pangolin_api"

# Two runs at once would share lib/, reports/ and the fixed /tmp table paths (see below):
# take turns.
exec 9>/tmp/pangolin-rck.lock
if ! flock -n 9; then
  log "waiting for another RCK run on this machine to finish"
  flock 9
fi

# --- dependencies ----------------------------------------------------------------------------
# Copied again only when pom.xml changed since the last copy. Maven's output is shown only when
# it fails (even with -q it prints stray ANSI reset sequences, stripped here).
pom_sum=$(sha256sum "$rck_dir/pom.xml" | cut -d' ' -f1)
if [[ ! -f $lib_dir/.pom.sha256 || $(cat "$lib_dir/.pom.sha256") != "$pom_sum" ]]; then
  log "copying the RCK jars into $lib_dir (Maven Central on the first run)"
  rm -rf "$lib_dir"
  mvn_log=$(mktemp)
  if ! mvn -q -B -f "$rck_dir/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$lib_dir" >"$mvn_log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$mvn_log" >&2
    rm -f "$mvn_log"
    die "mvn dependency:copy-dependencies failed"
  fi
  rm -f "$mvn_log"
  echo "$pom_sum" >"$lib_dir/.pom.sha256"
fi
launcher_jar=$(ls "$lib_dir"/junit-platform-console-standalone-*.jar 2>/dev/null | head -n1)
[[ -n $launcher_jar ]] || die "no junit-platform-console-standalone jar in $lib_dir"
class_path=$(ls "$lib_dir"/*.jar | grep -v /junit-platform-console-standalone- | paste -sd:)

# --- locations -------------------------------------------------------------------------------
# The server refuses (403) any client-supplied table or view location outside the catalog's
# base location, and the RCK supplies two kinds of explicit locations:
#   - CatalogTests: file:/tmp/<namespace>/<table> (BASE_TABLE_LOCATION is hard-coded to
#     file:/tmp), e.g. file:/tmp/ns/tbl and file:/tmp/newdb/newtable;
#   - ViewCatalogTests (and CatalogTests' missing-metadata test): JUnit @TempDir directories
#     under java.io.tmpdir.
# So the warehouse root and the catalogs' storage_location are /tmp itself, and the client
# JVM's java.io.tmpdir is a directory of this run, itself under /tmp. The server and the client
# share the host and therefore the file: paths (the client writes manifests, the server
# metadata JSON). Tables created without a location land in /tmp/<namespace>/<table>; the
# namespace directories this run created there are removed at the end.
location_root=/tmp
run_dir=$(mktemp -d "$location_root/pangolin-rck.XXXXXX")
java_tmp=$run_dir/java-tmp
mkdir -p "$java_tmp"
server_log=$run_dir/server.log
# Namespaces CatalogTests and ViewCatalogTests (1.11.0) create, i.e. the default table
# directories that can appear under /tmp.
rck_namespaces=(ns ns1 ns2 ns_1 ns_2 newdb newdb_1 newdb_2 new.db other_ns parent)
preexisting=()
for ns in "${rck_namespaces[@]}"; do
  [[ -e $location_root/$ns ]] && preexisting+=("$ns")
done
[[ ${#preexisting[@]} -eq 0 ]] ||
  log "note: $location_root/{$(IFS=,; echo "${preexisting[*]}")} existed before this run and stay"

server_pid=
keep_run_dir=${RCK_KEEP:-0}
stop_server() {
  [[ -n $server_pid ]] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      log "server did not stop within 10 s of SIGTERM; killing it"
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}
cleanup() {
  stop_server
  for ns in "${rck_namespaces[@]}"; do
    [[ " ${preexisting[*]} " == *" $ns "* ]] || rm -rf -- "${location_root:?}/$ns"
  done
  if [[ $keep_run_dir == 1 ]]; then
    log "kept $run_dir (server log: $server_log)"
  else
    rm -rf -- "$run_dir"
  fi
}
trap cleanup EXIT
trap 'keep_run_dir=1; exit 130' INT TERM

# --- server ----------------------------------------------------------------------------------
# Started as tests/pangolin_harness.py starts it; variables that would override flags are unset.
(
  unset DATABASE_URL PORT PANGOLIN_BIND_ADDRESS PANGOLIN_NO_AUTH PANGOLIN_STORAGE_TYPE
  cd "$run_dir"
  exec "$server_bin" --bind 127.0.0.1 --port 0 --port-file "$run_dir/port" \
    --database-url "sqlite://$run_dir/pangolin.db" --no-auth
) </dev/null >"$server_log" 2>&1 9>&- &
server_pid=$!

# Sends one management-API request; prints the body, fails unless the status is $3.
api() {
  python3 - "$1" "$2" "$3" "${4:-}" <<'PY'
import sys, urllib.error, urllib.request
method, url, expected, body = sys.argv[1:]
req = urllib.request.Request(url, method=method, data=body.encode() if body else None,
                             headers={"Content-Type": "application/json"})
try:
    with urllib.request.urlopen(req, timeout=10) as r:
        status, text = r.status, r.read().decode()
except urllib.error.HTTPError as e:
    status, text = e.code, e.read().decode()
except OSError as e:
    status, text = 0, str(e)
print(text)
sys.exit(0 if str(status) == expected else f"{method} {url}: expected {expected}, got {status}: {text}")
PY
}

port=
for _ in $(seq 200); do
  kill -0 "$server_pid" 2>/dev/null ||
    { keep_run_dir=1; cat "$server_log" >&2; die "pangolin_api exited during startup"; }
  port=$(cat "$run_dir/port" 2>/dev/null || true)
  [[ $port =~ ^[1-9][0-9]*$ ]] && break
  port=
  sleep 0.1
done
[[ -n $port ]] || { keep_run_dir=1; die "pangolin_api wrote no port within 20 s (log: $server_log)"; }
base_url=http://127.0.0.1:$port
ready=0
for _ in $(seq 100); do
  if api GET "$base_url/health/ready" 200 >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.1
done
[[ $ready == 1 ]] || { keep_run_dir=1; die "GET /health/ready was not 200 (log: $server_log)"; }
log "pangolin_api listening on $base_url (run directory $run_dir)"

api POST "$base_url/api/v1/warehouses" 201 \
  "{\"name\": \"rck\", \"storage_config\": {\"type\": \"local\", \"root\": \"$location_root\"}}" \
  >/dev/null

# --- tests -----------------------------------------------------------------------------------
# One JVM and one fresh catalog per test class: each class's @BeforeAll asserts that the catalog
# holds none of its test namespaces, and the other class's last test may leave one behind.
# The client's GET /v1/config?warehouse=<catalog> returns the catalog name as overrides.prefix.
# rck.* flags keep their prefix; uri and warehouse are plain client properties (only the Gradle
# build strips the rck. prefix).
# The socket timeout bounds the wait for a response that never comes: the client's own
# default waits until the server drops the idle connection (60 s) and then silently retries
# idempotent requests, which turns a broken response into a slow pass instead of a failure.
rm -rf "$reports_dir"
mkdir -p "$reports_dir"
declare -A total=()
keys=(found successful failed skipped aborted)
for key in "${keys[@]}"; do total[$key]=0; done
status=0
for class in "${classes[@]}"; do
  case $class in
    catalog) test_class=org.apache.iceberg.rest.RESTCompatibilityKitCatalogTests ;;
    view) test_class=org.apache.iceberg.rest.RESTCompatibilityKitViewCatalogTests ;;
  esac
  catalog_name=rck_$class
  api POST "$base_url/api/v1/catalogs" 201 \
    "{\"name\": \"$catalog_name\", \"warehouse_name\": \"rck\", \"storage_location\": \"file://$location_root\"}" \
    >/dev/null
  class_reports=$reports_dir/$class
  mkdir -p "$class_reports"
  output=$class_reports/launcher.txt
  log "running ${test_class##*.} against catalog $catalog_name (output: $output)"
  started=$SECONDS
  # shellcheck disable=SC2086 # RCK_JAVA_OPTS is a list of options
  java -Djava.io.tmpdir="$java_tmp" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.logFile=System.out \
    -Drck.local=false \
    -Duri="$base_url/" \
    -Dwarehouse="$catalog_name" \
    -Drck.requires-namespace-create=true \
    -Drck.supports-names-with-dot=true \
    -Drest.client.socket-timeout-ms="$socket_timeout_ms" \
    $rck_java_opts \
    -jar "$launcher_jar" execute \
    --disable-banner --disable-ansi-colors --details=tree --details-theme=ascii \
    --class-path "$class_path" \
    --select-class "$test_class" \
    --reports-dir "$class_reports" \
    "${launcher_args[@]}" >"$output" 2>&1 9>&- || status=1
  # "[       104 tests found           ]" and its siblings, from the launcher's summary.
  line="  ${class}: $((SECONDS - started)) s;"
  for key in "${keys[@]}"; do
    n=$(sed -n "s/^\[ *\([0-9]*\) tests $key *\]\$/\1/p" "$output" | tail -n1)
    [[ -n $n ]] || { n=0; [[ $key == found ]] && status=1; }
    total[$key]=$((total[$key] + n))
    line+=" $key $n"
  done
  echo "$line"
done

echo "RCK totals: tests found ${total[found]}, successful ${total[successful]}," \
  "failed ${total[failed]}, skipped ${total[skipped]}, aborted (assumption not met)" \
  "${total[aborted]}"
if [[ ${total[failed]} -gt 0 ]]; then
  echo "Failed tests:"
  python3 - "$reports_dir" <<'PY'
import pathlib, sys, xml.etree.ElementTree as ET
for report in sorted(pathlib.Path(sys.argv[1]).glob("*/TEST-*.xml")):
    for case in ET.parse(report).getroot().iter("testcase"):
        for problem in list(case.findall("failure")) + list(case.findall("error")):
            cls = case.get("classname", "").rsplit(".", 1)[-1]
            message = " ".join((problem.get("message") or problem.get("type") or "").split())
            print(f"  {cls}.{case.get('name')}: {message[:240]}")
PY
fi
if [[ $status -ne 0 ]]; then
  keep_run_dir=1
  echo "RCK failed. JUnit reports: $reports_dir; server log: $server_log"
  exit 1
fi
echo "RCK passed."
