// FileIO over the local filesystem, for `file:` locations and plain absolute paths (the default
// warehouse of a development deployment and of tests).
#pragma once

#include <memory>

#include "common/result.h"
#include "storage/file_io.h"

namespace pangolin::storage {

// Handles `file:///abs/path`, `file://localhost/abs/path`, `file:/abs/path` and `/abs/path`.
// Locations returned by List keep the form of the prefix they were listed under.
// Relative paths, other hosts, NUL bytes and `..` segments are refused with kInvalidArgument.
// WriteNew writes a temporary file in the target directory, fsyncs it, links it into place
// without replacing anything (kAlreadyExists when the target exists) and fsyncs the directory;
// missing parent directories are created. List skips in-flight temporary files. DeletePrefix
// treats the prefix as a directory ("…/t" removes the tree "…/t/", never "…/t2") and refuses the
// filesystem root.
Result<std::unique_ptr<FileIO>> MakeLocalFileIO();

}  // namespace pangolin::storage
