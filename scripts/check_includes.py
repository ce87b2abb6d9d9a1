#!/usr/bin/env python3
"""Enforces Pangolin's module boundaries (docs/architecture.md, "Module boundaries") on #include lines.

Every file under src/ belongs to the module named by its directory. A project include
("x/y.h") may only name a module in the includer's allowed set, and a few third-party headers
are confined to the one module that wraps them. Prints each violation as file:line and exits 1;
prints a one-line summary and exits 0 when the tree is clean. `--self-test` checks the checker.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

# Module -> modules it may include (itself included). Listed in full, not derived, so that the
# table reads like the dependency graph it enforces; it mirrors the DEPS lists in cmake/.
ALLOWED: dict[str, set[str]] = {
    "common": {"common"},
    "avro": {"avro", "common"},
    "iceberg": {"iceberg", "avro", "common"},
    "catalog": {"catalog", "iceberg", "common"},
    "serde": {"serde", "catalog", "iceberg", "common"},
    "store": {"store", "catalog", "iceberg", "common"},
    "store/memory": {"store/memory", "store", "catalog", "iceberg", "common"},
    "store/sql": {"store/sql", "store", "serde", "catalog", "iceberg", "common"},
    "store/sqlite": {"store/sqlite", "store/sql", "store", "serde", "catalog", "iceberg", "common"},
    "store/postgres": {"store/postgres", "store/sql", "store", "serde", "catalog", "iceberg",
                       "common"},
    "store/mongo": {"store/mongo", "store", "serde", "catalog", "iceberg", "common"},
    "net": {"net", "common"},
    "storage": {"storage", "net", "common"},
    "storage/local": {"storage/local", "storage", "common"},
    "storage/s3": {"storage/s3", "storage", "net", "common"},
    "storage/azure": {"storage/azure", "storage", "net", "common"},
    "storage/gcs": {"storage/gcs", "storage", "net", "serde", "catalog", "iceberg", "common"},
    "storage/vending": {"storage/vending", "storage/local", "storage/s3", "storage/azure",
                        "storage/gcs", "storage", "net", "common"},
    "auth": {"auth", "serde", "catalog", "iceberg", "common"},
    "service": {"service", "auth", "net", "store", "storage", "serde", "catalog", "iceberg",
                "common"},
    "http": {"http", "common"},
    "api": {"api", "service", "serde", "http", "store", "storage", "catalog", "iceberg", "common"},
    "app": set(),  # filled below: everything
}
ALLOWED["app"] = set(ALLOWED)

# Modules whose subdirectories belong to the module itself (src/api/iceberg is module "api").
RECURSIVE = {"api", "app"}

# Extra edges for unit tests (*_test.cc), matching TEST_DEPS in cmake/modules.cmake. Tests may
# also include the shared test support under tests/ ("testing/...").
TEST_EXTRA: dict[str, set[str]] = {
    "service": {"store/memory", "storage/local", "storage/vending"},
    "api": {"store/memory", "storage/local", "storage/vending"},
    # Google's V4 signing vectors check the SigV4 code with the RSA signer of service accounts.
    "storage/gcs": {"storage/s3"},
}
TEST_SUPPORT_DIRS = {"testing", "contract"}

# Third-party headers confined to one module: (header prefix, exception, owning modules).
CONFINED: list[tuple[str, str | None, set[str]]] = [
    ("boost/json", "boost/json/fwd.hpp", {"serde"}),
    ("boost/beast", None, {"http"}),
    ("boost/asio", None, {"http"}),
    ("sqlite3.h", None, {"store/sqlite"}),
    ("libpq-fe.h", None, {"store/postgres"}),
    ("mongoc", None, {"store/mongo"}),
    ("bson", None, {"store/mongo"}),
    ("sodium", None, {"auth"}),
    ("curl/", None, {"net"}),
]

# Pure modules: no I/O, no clock, no threads, no third-party heavyweights.
PURE_MODULES = {"iceberg", "catalog", "avro"}
PURE_FORBIDDEN = ["boost/", "sqlite3.h", "curl/", "fstream", "filesystem", "chrono", "thread"]

TOP_LEVEL_DIRS = {m.split("/")[0] for m in ALLOWED}
SOURCE_SUFFIXES = {".h", ".hh", ".hpp", ".cc", ".cpp", ".cxx", ".ipp", ".inc"}
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def module_of_dir(rel_dir: str) -> str | None:
    """Maps a directory relative to src/ ("store/memory", "api/iceberg") to its module."""
    if rel_dir in ALLOWED:
        return rel_dir
    for mod in RECURSIVE:
        if rel_dir.startswith(mod + "/"):
            return mod
    return None


def header_matches(header: str, prefix: str) -> bool:
    """True when header is prefix itself or lies under it ("boost/json" matches
    "boost/json.hpp" and "boost/json/value.hpp"; "boost/" matches every Boost header)."""
    if prefix.endswith("/"):
        return header.startswith(prefix)
    return header == prefix or header.startswith((prefix + "/", prefix + "."))


def check_file(src: Path, path: Path, errors: list[str]) -> int:
    """Checks one file; appends violations to errors and returns the number of includes seen."""
    rel = path.relative_to(src)
    rel_dir = rel.parent.as_posix()
    where = f"src/{rel.as_posix()}"
    module = module_of_dir(rel_dir)
    if module is None:
        errors.append(f"{where}: directory src/{rel_dir} is not a known module "
                      f"(add it to ALLOWED in scripts/check_includes.py)")
        return 0
    is_test = rel.name.endswith("_test.cc")
    allowed = ALLOWED[module] | (TEST_EXTRA.get(module, set()) if is_test else set())

    count = 0
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for lineno, line in enumerate(lines, start=1):
        m = INCLUDE_RE.match(line)
        if not m:
            continue
        count += 1
        quote, header = m.group(1), m.group(2).strip()
        loc = f"{where}:{lineno}"
        first = header.split("/", 1)[0]

        # Project headers: "dir/file.h" whose directory is a module, or a same-directory "file.h".
        target_dir = None
        if "/" in header and first in TOP_LEVEL_DIRS:
            target_dir = Path(header).parent.as_posix()
        elif "/" not in header and quote == '"' and not header.endswith(".hpp"):
            target_dir = rel_dir
        if target_dir is not None:
            target = module_of_dir(target_dir)
            if target is None:
                errors.append(f"{loc}: {header!r} is in src/{target_dir}, not a known module")
            elif target not in allowed:
                errors.append(f"{loc}: forbidden edge {module} -> {target} (#include \"{header}\")")
            continue
        if is_test and first in TEST_SUPPORT_DIRS:
            continue

        # Third-party and standard headers.
        for prefix, exception, owners in CONFINED:
            if header_matches(header, prefix) and header != exception and module not in owners:
                errors.append(f"{loc}: <{header}> may only be included in "
                              f"{', '.join('src/' + o for o in sorted(owners))}")
        if module in PURE_MODULES:
            for banned in PURE_FORBIDDEN:
                if header_matches(header, banned):
                    errors.append(f"{loc}: pure module {module} may not include <{header}>")
    return count


def run(src: Path) -> tuple[int, int, list[str]]:
    errors: list[str] = []
    files = sorted(p for p in src.rglob("*") if p.is_file() and p.suffix in SOURCE_SUFFIXES)
    includes = sum(check_file(src, p, errors) for p in files)
    return len(files), includes, errors


def self_test() -> int:
    cases = {
        # path: (content, expected number of errors)
        "common/a.h": ('#include <string>\n#include "common/b.h"\n', 0),
        "common/b.h": ("", 0),
        "common/bad.cc": ('#include "iceberg/x.h"\n', 1),
        "iceberg/x.h": ('#include "common/b.h"\n#include <vector>\n', 0),
        "iceberg/io.cc": ("#include <fstream>\n#include <chrono>\n#include <boost/json/fwd.hpp>\n",
                          3),
        "catalog/c.cc": ('#include "iceberg/x.h"\n#include "serde/s.h"\n', 1),
        "serde/s.h": ("#include <boost/json/fwd.hpp>\n", 0),
        "serde/s.cc": ('#include <boost/json.hpp>\n#include "s.h"\n', 0),
        "store/st.h": ('#include "catalog/c.h"\n#include <boost/json/value.hpp>\n'
                       '#include <boost/json.hpp>\n#include <boost/beast.hpp>\n', 3),
        # <thread> and <curl/curl.h> are forbidden in a pure module; curl is confined to net too.
        "catalog/chronology.h": ("#include <thread>\n#include <curl/curl.h>\n#include <string_view>\n",
                                 3),
        "catalog/c.h": ("", 0),
        "store/sqlite/q.cc": ('#include "serde/s.h"\n#include <sqlite3.h>\n#include "store/st.h"\n',
                              0),
        "store/memory/m.cc": ('#include "serde/s.h"\n#include <sqlite3.h>\n', 2),
        "service/svc_test.cc": ('#include "store/memory/m.h"\n#include "testing/matchers.h"\n', 0),
        "service/svc.cc": ('#include "store/memory/m.h"\n#include "http/h.h"\n', 2),
        "store/memory/m.h": ("", 0),
        "http/h.h": ("#include <boost/beast/http.hpp>\n#include <boost/asio.hpp>\n", 0),
        "api/iceberg/handlers.cc": ('#include "http/h.h"\n#include "service/svc.h"\n'
                                    '#include <boost/asio/io_context.hpp>\n', 1),
        "service/svc.h": ("", 0),
        "app/main.cc": ('#include "api/iceberg/handlers.h"\n#include "store/memory/m.h"\n', 0),
        "api/iceberg/handlers.h": ('#include "api/common.h"\n', 0),
        "api/common.h": ("", 0),
        "mystery/z.cc": ("", 1),
        "common/ghost.cc": ('#include "store/nope.h"\n#include "store/postgres/p.h"\n', 2),
        "common/same_dir.cc": ('#include "a.h"\n#include "gtest/gtest.h"\n#include <fmt/format.h>\n',
                               0),
    }
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        for rel, (content, _) in cases.items():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            (src / rel).write_text(content)
        failures = 0
        for rel, (_, expected) in cases.items():
            errors: list[str] = []
            check_file(src, src / rel, errors)
            if len(errors) != expected:
                failures += 1
                print(f"self-test: {rel}: expected {expected} error(s), got {len(errors)}: {errors}")
    print(f"check_includes self-test: {len(cases) - failures}/{len(cases)} cases passed")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=Path(__file__).resolve().parent.parent / "src")
    parser.add_argument("--self-test", action="store_true", help="check the checker and exit")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    files, includes, errors = run(args.src)
    for e in errors:
        print(e)
    if errors:
        print(f"check_includes: {len(errors)} violation(s) in {files} files", file=sys.stderr)
        return 1
    print(f"check_includes: OK ({files} files, {includes} includes, module boundaries respected)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
