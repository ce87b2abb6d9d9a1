#!/usr/bin/env bash
# Generates Iceberg table-metadata JSON files with the Apache Iceberg Java
# library (see src/main/java/io/pangolin/conformance/WriteMetadata.java).
#
# Usage: generate.sh OUTDIR
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi

project_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$1"
out_dir="$(cd "$1" && pwd)"

# Compiles into target/ and writes target/runtime-classpath.txt (see pom.xml).
# Maven's output is kept only when the build fails: even with -q some Maven
# builds print stray ANSI reset sequences, which are stripped before showing.
build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
if ! mvn -q -B -f "$project_dir/pom.xml" process-classes >"$build_log" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$build_log" >&2
  echo "error: Maven build of $project_dir failed" >&2
  exit 1
fi

classpath="$project_dir/target/classes:$(cat "$project_dir/target/runtime-classpath.txt")"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classpath" \
  io.pangolin.conformance.WriteMetadata "$out_dir"
