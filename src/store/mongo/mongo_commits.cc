// Commits and history of the MongoDB store. A commit checks its preconditions against the
// branch as of its head, writes its versions (tagged with the commit's id and seq), then inserts
// the commit document. That insert is the whole commit's linearization point: the unique
// (catalog_id, seq) and (catalog_id, branch_no, parent_seq) indexes let it land only on the head
// it was checked against. A lost race deletes the attempt's versions and tries again from the
// new head (preconditions included); a crash before the insert leaves versions no reader counts.
#include <limits>

#include "common/ids.h"
#include "common/strings.h"
#include "store/merge_rules.h"
#include "store/mongo/mongo_versions_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

constexpr int kCommitAttempts = 200;

CommitRecord ReadCommit(const bson_t* doc) {
  View v(doc);
  CommitRecord r;
  r.id = v.Str("_id");
  r.parent_id = v.OptStr("parent_id");
  r.merge_parent_id = v.OptStr("merge_parent_id");
  r.sequence = v.Int("seq");
  r.branch = v.Str("branch_name");
  r.author = v.Str("author");
  r.message = v.Str("message");
  r.time_ms = v.Int("time_ms");
  return r;
}

Result<std::vector<Operation>> OperationsOf(Client& client, const CommitRecord& record) {
  Doc sort = Sort("ordinal", 1);
  ASSIGN_OR_RETURN(
      auto docs,
      client.Find(kVersions, Doc().Str("commit_id", record.id).Int("seq", record.sequence),
                  {sort.get()}));
  std::vector<Operation> ops;
  for (const auto& doc : docs) {
    View v(doc.get());
    Operation op;
    op.kind = v.Int("op") == 1 ? Operation::Kind::kDelete : Operation::Kind::kPut;
    op.key =
        ContentKey{v.Int("space") == 1 ? ContentKey::Space::kObject : ContentKey::Space::kNamespace,
                   DecodeParent(v.Str("parent")), v.Str("name")};
    if (op.kind == Operation::Kind::kPut) {
      ASSIGN_OR_RETURN(op.content, ReadContent(doc.get()));
    }
    ops.push_back(std::move(op));
  }
  return ops;
}

struct Attempt {
  std::string id;
  int64_t seq = 0;
};

Status WriteVersions(Client& client, const TenantId& tenant, const std::string& catalog_id,
                     const BranchDoc& branch, const Attempt& attempt,
                     const CommitRequest& request) {
  for (size_t i = 0; i < request.operations.size(); ++i) {
    const Operation& op = request.operations[i];
    Doc doc;
    doc.Str("catalog_id", catalog_id)
        .Str("tenant_id", tenant.value)
        .Int("branch_no", branch.no)
        .Int("space", SpaceCode(op.key.space))
        .Str("parent", EncodeParent(op.key.parent))
        .Str("name", op.key.name)
        .Int("seq", attempt.seq)
        .Int("ordinal", static_cast<int64_t>(i))
        .Str("commit_id", attempt.id)
        .Int("op", op.kind == Operation::Kind::kDelete ? 1 : 0);
    if (op.kind == Operation::Kind::kPut) doc.Concat(ContentFields(*op.content));
    RETURN_IF_ERROR(client.Insert(kVersions, doc));
  }
  return {};
}

// One try at committing onto the branch's current head. Returns false when another commit took
// the head or the seq first.
Result<bool> TryCommit(Client& client, const TenantId& tenant, const std::string& catalog_id,
                       const BranchDoc& branch, const CommitRequest& request,
                       const std::string& id) {
  ASSIGN_OR_RETURN(HeadCommit head, HeadOf(client, catalog_id, branch));
  std::vector<Layer> layers{Layer{branch.no, head.seq}};
  ASSIGN_OR_RETURN(auto below, ParentLayers(client, catalog_id, branch));
  layers.insert(layers.end(), below.begin(), below.end());
  MongoLayers source(client, catalog_id);
  RETURN_IF_ERROR(
      versioning::CheckPreconditions(source, layers, request.preconditions, request.operations));
  Doc sort = Sort("seq", -1);
  ASSIGN_OR_RETURN(auto last,
                   client.FindOne(kCommits, Doc().Str("catalog_id", catalog_id), {sort.get()}));
  Attempt attempt{id, last ? View(last->get()).Int("seq") + 1 : 1};
  Doc own_versions;
  own_versions.Str("commit_id", id).Int("seq", attempt.seq);
  Status written = WriteVersions(client, tenant, catalog_id, branch, attempt, request);
  if (written) {
    Doc commit;
    commit.Str("_id", id)
        .Str("catalog_id", catalog_id)
        .Int("branch_no", branch.no)
        .Str("branch_name", request.branch)
        .Int("seq", attempt.seq)
        .Int("parent_seq", head.seq)
        .OptStr("parent_id", head.id)
        .OptStr("merge_parent_id", request.merge_parent_id)
        .Str("author", request.author)
        .Str("message", request.message)
        .Int("time_ms", request.time_ms);
    written = client.Insert(kCommits, commit);
    if (written) return true;
  }
  RETURN_IF_ERROR(client.DeleteMany(kVersions, own_versions));  // the attempt's leftovers
  if (written.error().code == ErrorCode::kAlreadyExists) return false;
  return tl::unexpected(written.error());
}

Status CommitOnce(Client& client, const TenantId& tenant, const CatalogId& catalog,
                  const CommitRequest& request, const std::string& id);

}  // namespace

Result<std::string> MongoStore::Commit(const TenantId& tenant, const CatalogId& catalog,
                                       const CommitRequest& request) {
  std::string id = NewUuidV7(request.time_ms);
  {
    Client client = Acquire();  // given back before AppendAudit takes one
    RETURN_IF_ERROR(CommitOnce(client, tenant, catalog, request, id));
  }
  if (request.audit) RETURN_IF_ERROR(AppendAudit(*request.audit));
  return id;
}

namespace {

// Commit without its audit entry: checks, the merge claim, the attempts.
Status CommitOnce(Client& client, const TenantId& tenant, const CatalogId& catalog,
                  const CommitRequest& request, const std::string& id) {
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  RETURN_IF_ERROR(versioning::ValidateOperations(request));
  ASSIGN_OR_RETURN(BranchDoc branch, FindBranch(client, catalog.value, request.branch));
  if (request.merge_parent_id) {
    ASSIGN_OR_RETURN(
        auto known,
        client.FindOne(
            kCommits, Doc().Str("_id", *request.merge_parent_id).Str("catalog_id", catalog.value)));
    if (!known) {
      return Err(ErrorCode::kInvalidArgument, "Unknown merge parent: {}", *request.merge_parent_id);
    }
  }
  if (request.audit) {
    ASSIGN_OR_RETURN(auto taken, client.FindOne(kAudit, Doc().Str("_id", request.audit->id)));
    if (taken) {
      return Err(ErrorCode::kAlreadyExists, "Audit entry already exists: {}", request.audit->id);
    }
  }
  // The merge operation's next version is claimed first (a unique insert), so a concurrent
  // update of the operation fails the commit before anything lands; it is withdrawn if the
  // commit then fails.
  std::optional<MergeOperation> completed;
  if (request.completes_merge) {
    ASSIGN_OR_RETURN(MergeOperation stored,
                     LoadMergeOperation(client, tenant, request.completes_merge->id));
    ASSIGN_OR_RETURN(completed, merges::ForCompletion(stored, *request.completes_merge, catalog));
    completed->result_commit_id = id;
    RETURN_IF_ERROR(InsertMergeVersion(client, *completed));
  }
  Result<bool> landed = false;
  for (int attempt = 0; attempt < kCommitAttempts && landed && !*landed; ++attempt) {
    landed = TryCommit(client, tenant, catalog.value, branch, request, id);
  }
  if (!landed || !*landed) {
    if (completed) {
      RETURN_IF_ERROR(client.DeleteOne(
          kMergeVersions, Doc().Str("op_id", completed->id).Int("version", completed->version)));
    }
    if (!landed) return tl::unexpected(landed.error());
    return Err(ErrorCode::kUnavailable, "branch {} is too contended", request.branch);
  }
  if (completed) RETURN_IF_ERROR(DropOlderMergeVersions(client, *completed));
  return {};
}

}  // namespace

Result<Page<CommitRecord>> MongoStore::ListCommits(const TenantId& tenant, const CatalogId& catalog,
                                                   std::string_view ref, const PageRequest& page) {
  std::optional<int64_t> before;
  if (!page.token.empty()) {
    auto decoded = Base64UrlDecode(page.token);
    auto seq = decoded ? ParseInt(*decoded) : std::nullopt;
    if (!seq) return Err(ErrorCode::kBadRequest, "Invalid page token: {}", page.token);
    before = *seq;
  }
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  ASSIGN_OR_RETURN(auto layers, LayersFor(client, catalog.value, ref));
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Page<CommitRecord> result;
  Doc sort = Sort("seq", -1);
  for (const auto& layer : layers) {
    int64_t below = before.value_or(kMax);
    if (!result.items.empty()) below = result.items.back().sequence;
    int64_t bound = std::min(layer.bound.value_or(kMax), below - 1);
    Doc filter;
    filter.Str("catalog_id", catalog.value).Int("branch_no", layer.branch).Op("seq", "$lte", bound);
    int64_t want = page.limit == 0 ? 0 : static_cast<int64_t>(page.limit - result.items.size()) + 1;
    ASSIGN_OR_RETURN(auto docs, client.Find(kCommits, filter, {sort.get(), nullptr, want}));
    for (const auto& doc : docs) {
      if (page.limit != 0 && result.items.size() == page.limit) {
        result.next_token = Base64UrlEncode(std::to_string(result.items.back().sequence));
        break;
      }
      result.items.push_back(ReadCommit(doc.get()));
    }
    if (result.next_token) break;
  }
  for (auto& record : result.items) {
    ASSIGN_OR_RETURN(record.operations, OperationsOf(client, record));
  }
  return result;
}

Result<CommitRecord> MongoStore::GetCommit(const TenantId& tenant, const CatalogId& catalog,
                                           std::string_view commit_id) {
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  ASSIGN_OR_RETURN(
      auto doc,
      client.FindOne(kCommits, Doc().Str("_id", commit_id).Str("catalog_id", catalog.value)));
  if (!doc) return Err(ErrorCode::kNotFound, "Commit not found: {}", commit_id);
  CommitRecord record = ReadCommit(doc->get());
  ASSIGN_OR_RETURN(record.operations, OperationsOf(client, record));
  return record;
}

}  // namespace pangolin::store::mongo_internal
