// Catalog versioning's model: the operations a commit applies, commits, branches, tags and what
// a reference name resolves to (ARCHITECTURE §3.4). Plain values; stores persist them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/model.h"

namespace pangolin::catalog {

// One change a commit applies to a catalog's content.
struct Operation {
  enum class Kind { kPut, kDelete };
  Kind kind = Kind::kPut;
  ContentKey key;
  std::optional<Content> content;  // kPut only
};

struct CommitRecord {
  std::string id;                              // UUID
  std::optional<std::string> parent_id;        // previous commit on the branch, or the fork commit
  std::optional<std::string> merge_parent_id;  // merge commits: the source head merged in
  int64_t sequence = 0;  // increases with every commit of the database: orders the commit graph
  std::string branch;    // the branch it was made on
  std::string author;
  std::string message;
  int64_t time_ms = 0;
  std::vector<Operation> operations;  // as committed
};

enum class BranchType { kIngest, kExperimental };

struct Branch {
  std::string name;
  std::optional<std::string> head_commit_id;  // none on a catalog's fresh main
  BranchType type = BranchType::kExperimental;
  std::vector<std::string> assets;  // "ns.table" names the branch was made for (informational)
  std::optional<std::string> fork_commit_id;  // where it forked; none for main
  int64_t created_ms = 0;
};

struct Tag {
  std::string name;
  std::string commit_id;
  int64_t created_ms = 0;
};

// What a reference name resolves to. Branches are writable; tags and commits are read-only.
struct RefInfo {
  enum class Kind { kBranch, kTag, kCommit };
  Kind kind = Kind::kBranch;
  std::string name;
  std::optional<std::string> commit_id;  // the head, the tagged or the named commit
};

}  // namespace pangolin::catalog
