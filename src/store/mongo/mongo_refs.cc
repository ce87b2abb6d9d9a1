// Branches, tags and reference resolution of the MongoDB store. Branch and tag names share the
// refs collection's unique (catalog_id, name) index; a deleted branch is renamed out of the way
// (its commits stay readable through tags and branches forked from it).
#include "common/ids.h"
#include "common/strings.h"
#include "store/mongo/mongo_versions_internal.h"

namespace pangolin::store::mongo_internal {
namespace {

constexpr char kBranchKind[] = "branch";
constexpr char kTagKind[] = "tag";

BranchDoc ReadBranchDoc(const bson_t* doc) {
  View v(doc);
  BranchDoc b;
  b.id = v.Str("_id");
  b.no = v.Int("no");
  b.name = v.Str("name");
  b.parent_no = v.OptInt("parent_no");
  b.fork_seq = v.Int("fork_seq");
  b.fork_commit_id = v.OptStr("fork_commit_id");
  b.type = v.Int("branch_type") == 0 ? BranchType::kIngest : BranchType::kExperimental;
  b.assets = v.StrArray("assets");
  b.created_ms = v.Int("created_ms");
  return b;
}

Doc LiveRef(const std::string& catalog_id, std::string_view name, const char* kind) {
  Doc doc;
  doc.Str("catalog_id", catalog_id).Str("name", name).Str("kind", kind);
  return doc;
}

// Inserts a ref with the next `no` of the catalog. Errors: kAlreadyExists (name taken).
Status InsertRef(Client& client, const std::string& catalog_id, std::string_view name,
                 const std::function<Doc(int64_t no)>& make) {
  Doc sort = Sort("no", -1);
  for (int attempt = 0; attempt < 100; ++attempt) {
    ASSIGN_OR_RETURN(auto taken,
                     client.FindOne(kRefs, Doc().Str("catalog_id", catalog_id).Str("name", name)));
    if (taken) return Err(ErrorCode::kAlreadyExists, "Reference already exists: {}", name);
    ASSIGN_OR_RETURN(auto last,
                     client.FindOne(kRefs, Doc().Str("catalog_id", catalog_id), {sort.get()}));
    int64_t no = last ? View(last->get()).Int("no") + 1 : 1;
    auto inserted = client.Insert(kRefs, make(no));
    if (inserted) return {};
    if (inserted.error().code != ErrorCode::kAlreadyExists) return inserted;
  }
  return Err(ErrorCode::kUnavailable, "too many concurrent reference changes");
}

struct CommitPoint {
  std::string id;
  int64_t branch_no = 0;
  int64_t seq = 0;
};

// The commit a tag names, or the commit with id `ref`. Errors: kNotFound.
Result<CommitPoint> TaggedOrNamedCommit(Client& client, const std::string& catalog_id,
                                        std::string_view ref) {
  std::string id(ref);
  ASSIGN_OR_RETURN(auto tag, client.FindOne(kRefs, LiveRef(catalog_id, ref, kTagKind)));
  if (tag) id = View(tag->get()).Str("commit_id");
  ASSIGN_OR_RETURN(auto commit,
                   client.FindOne(kCommits, Doc().Str("_id", id).Str("catalog_id", catalog_id)));
  if (!commit) return Err(ErrorCode::kNotFound, "Reference not found: {}", ref);
  View v(commit->get());
  return CommitPoint{id, v.Int("branch_no"), v.Int("seq")};
}

Result<BranchDoc> BranchByNo(Client& client, const std::string& catalog_id, int64_t no) {
  ASSIGN_OR_RETURN(auto doc,
                   client.FindOne(kRefs, Doc().Str("catalog_id", catalog_id).Int("no", no)));
  if (!doc) return Err(ErrorCode::kInternal, "branch {} of catalog {} is missing", no, catalog_id);
  return ReadBranchDoc(doc->get());
}

Result<std::optional<std::string>> DecodeName(const std::string& token) {
  if (token.empty()) return std::optional<std::string>();
  auto decoded = Base64UrlDecode(token);
  if (!decoded) return Err(ErrorCode::kBadRequest, "Invalid page token: {}", token);
  return std::optional<std::string>(std::move(*decoded));
}

// One page of the catalog's live refs of `kind`, by name.
Result<std::vector<BsonPtr>> RefPage(Client& client, const std::string& catalog_id,
                                     const char* kind, const PageRequest& page,
                                     std::optional<std::string>* next) {
  ASSIGN_OR_RETURN(auto after, DecodeName(page.token));
  Doc filter;
  filter.Str("catalog_id", catalog_id).Str("kind", kind);
  if (after) filter.Op("name", "$gt", *after);
  Doc sort = Sort("name", 1);
  ASSIGN_OR_RETURN(auto docs,
                   client.Find(kRefs, filter, {sort.get(), nullptr, PageLimit(page.limit)}));
  if (page.limit != 0 && docs.size() > page.limit) {
    docs.resize(page.limit);
    *next = Base64UrlEncode(View(docs.back().get()).Str("name"));
  }
  return docs;
}

}  // namespace

Result<BranchDoc> FindBranch(Client& client, const std::string& catalog_id, std::string_view name) {
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kRefs, LiveRef(catalog_id, name, kBranchKind)));
  if (!doc) return Err(ErrorCode::kNotFound, "Branch not found: {}", name);
  return ReadBranchDoc(doc->get());
}

Result<HeadCommit> HeadOf(Client& client, const std::string& catalog_id, const BranchDoc& branch) {
  Doc sort = Sort("seq", -1);
  ASSIGN_OR_RETURN(
      auto last,
      client.FindOne(kCommits, Doc().Str("catalog_id", catalog_id).Int("branch_no", branch.no),
                     {sort.get()}));
  if (!last) return HeadCommit{branch.fork_commit_id, 0};
  return HeadCommit{View(last->get()).Str("_id"), View(last->get()).Int("seq")};
}

Result<std::vector<Layer>> ParentLayers(Client& client, const std::string& catalog_id,
                                        const BranchDoc& branch) {
  std::vector<Layer> layers;
  std::optional<int64_t> parent = branch.parent_no;
  int64_t fork_seq = branch.fork_seq;
  while (parent && layers.size() < 10000) {
    layers.push_back(Layer{*parent, fork_seq});
    ASSIGN_OR_RETURN(BranchDoc up, BranchByNo(client, catalog_id, *parent));
    parent = up.parent_no;
    fork_seq = up.fork_seq;
  }
  return layers;
}

Result<std::vector<Layer>> LayersFor(Client& client, const std::string& catalog_id,
                                     std::string_view ref) {
  BranchDoc top;
  std::vector<Layer> layers;
  auto branch = FindBranch(client, catalog_id, ref);
  if (branch) {
    ASSIGN_OR_RETURN(HeadCommit head, HeadOf(client, catalog_id, *branch));
    top = *branch;
    layers.push_back(Layer{top.no, head.seq});
  } else {
    ASSIGN_OR_RETURN(CommitPoint commit, TaggedOrNamedCommit(client, catalog_id, ref));
    ASSIGN_OR_RETURN(top, BranchByNo(client, catalog_id, commit.branch_no));
    layers.push_back(Layer{commit.branch_no, commit.seq});
  }
  ASSIGN_OR_RETURN(auto below, ParentLayers(client, catalog_id, top));
  layers.insert(layers.end(), below.begin(), below.end());
  return layers;
}

Status CreateMainBranch(Client& client, const Catalog& catalog, const std::string& catalog_id) {
  return InsertRef(client, catalog_id, catalog::kMainBranch, [&](int64_t no) {
    Doc doc;
    doc.Str("_id", NewUuid())
        .Concat(LiveRef(catalog_id, catalog::kMainBranch, kBranchKind))
        .Int("no", no)
        .Null("parent_no")
        .Int("fork_seq", 0)
        .Null("fork_commit_id")
        .Int("branch_type", 0)
        .StrArray("assets", {})
        .Int("created_ms", 0);
    return doc;
  });
}

Result<RefInfo> MongoStore::ResolveRef(const TenantId& tenant, const CatalogId& catalog,
                                       std::string_view ref) {
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  auto branch = FindBranch(client, catalog.value, ref);
  if (branch) {
    ASSIGN_OR_RETURN(HeadCommit head, HeadOf(client, catalog.value, *branch));
    return RefInfo{RefInfo::Kind::kBranch, std::string(ref), head.id};
  }
  ASSIGN_OR_RETURN(auto tag, client.FindOne(kRefs, LiveRef(catalog.value, ref, kTagKind)));
  if (tag) return RefInfo{RefInfo::Kind::kTag, std::string(ref), View(tag->get()).Str("commit_id")};
  ASSIGN_OR_RETURN(CommitPoint commit, TaggedOrNamedCommit(client, catalog.value, ref));
  return RefInfo{RefInfo::Kind::kCommit, commit.id, commit.id};
}

Result<Branch> MongoStore::CreateBranch(const TenantId& tenant, const CatalogId& catalog,
                                        const NewBranch& spec) {
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  std::optional<int64_t> parent_no;
  int64_t fork_seq = 0;
  std::optional<std::string> fork_commit;
  auto source = FindBranch(client, catalog.value, spec.from);
  if (source) {
    ASSIGN_OR_RETURN(HeadCommit head, HeadOf(client, catalog.value, *source));
    parent_no = source->no;
    fork_commit = head.id;
    if (head.id) {
      ASSIGN_OR_RETURN(CommitPoint point, TaggedOrNamedCommit(client, catalog.value, *head.id));
      fork_seq = point.seq;
    }
  } else {
    ASSIGN_OR_RETURN(CommitPoint point, TaggedOrNamedCommit(client, catalog.value, spec.from));
    parent_no = point.branch_no;
    fork_seq = point.seq;
    fork_commit = point.id;
  }
  RETURN_IF_ERROR(InsertRef(client, catalog.value, spec.name, [&](int64_t no) {
    Doc doc;
    doc.Str("_id", NewUuid())
        .Concat(LiveRef(catalog.value, spec.name, kBranchKind))
        .Int("no", no)
        .OptInt("parent_no", parent_no)
        .Int("fork_seq", fork_seq)
        .OptStr("fork_commit_id", fork_commit)
        .Int("branch_type", spec.type == BranchType::kIngest ? 0 : 1)
        .StrArray("assets", spec.assets)
        .Int("created_ms", spec.time_ms);
    return doc;
  }));
  return Branch{spec.name, fork_commit, spec.type, spec.assets, fork_commit, spec.time_ms};
}

Result<Branch> MongoStore::GetBranch(const TenantId& tenant, const CatalogId& catalog,
                                     std::string_view name) {
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  ASSIGN_OR_RETURN(BranchDoc b, FindBranch(client, catalog.value, name));
  ASSIGN_OR_RETURN(HeadCommit head, HeadOf(client, catalog.value, b));
  return Branch{b.name, head.id, b.type, b.assets, b.fork_commit_id, b.created_ms};
}

Result<Page<Branch>> MongoStore::ListBranches(const TenantId& tenant, const CatalogId& catalog,
                                              const PageRequest& page) {
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  Page<Branch> result;
  ASSIGN_OR_RETURN(auto docs,
                   RefPage(client, catalog.value, kBranchKind, page, &result.next_token));
  for (const auto& doc : docs) {
    BranchDoc b = ReadBranchDoc(doc.get());
    ASSIGN_OR_RETURN(HeadCommit head, HeadOf(client, catalog.value, b));
    result.items.push_back(
        Branch{b.name, head.id, b.type, b.assets, b.fork_commit_id, b.created_ms});
  }
  return result;
}

Status MongoStore::DeleteBranch(const TenantId& tenant, const CatalogId& catalog,
                                std::string_view name) {
  if (name == catalog::kMainBranch) {
    return Err(ErrorCode::kInvalidArgument, "The main branch cannot be deleted");
  }
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  ASSIGN_OR_RETURN(BranchDoc b, FindBranch(client, catalog.value, name));
  Doc update;
  update.Sub("$set", Doc().Str("name", b.name + '\x1f' + b.id).Str("kind", "deleted-branch"));
  RETURN_IF_ERROR(client.UpdateOne(kRefs, Doc().Str("_id", b.id), update));
  return {};
}

Result<Tag> MongoStore::CreateTag(const TenantId& tenant, const CatalogId& catalog,
                                  std::string_view name, std::string_view target, int64_t time_ms) {
  ASSIGN_OR_RETURN(RefInfo ref, ResolveRef(tenant, catalog, target));
  if (!ref.commit_id) {
    return Err(ErrorCode::kInvalidArgument, "Branch {} has no commit to tag", target);
  }
  Client client = Acquire();
  RETURN_IF_ERROR(InsertRef(client, catalog.value, name, [&](int64_t no) {
    Doc doc;
    doc.Str("_id", NewUuid())
        .Concat(LiveRef(catalog.value, name, kTagKind))
        .Int("no", no)
        .Str("commit_id", *ref.commit_id)
        .Int("created_ms", time_ms);
    return doc;
  }));
  return Tag{std::string(name), *ref.commit_id, time_ms};
}

Result<Tag> MongoStore::GetTag(const TenantId& tenant, const CatalogId& catalog,
                               std::string_view name) {
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  ASSIGN_OR_RETURN(auto doc, client.FindOne(kRefs, LiveRef(catalog.value, name, kTagKind)));
  if (!doc) return Err(ErrorCode::kNotFound, "Tag not found: {}", name);
  View v(doc->get());
  return Tag{v.Str("name"), v.Str("commit_id"), v.Int("created_ms")};
}

Result<Page<Tag>> MongoStore::ListTags(const TenantId& tenant, const CatalogId& catalog,
                                       const PageRequest& page) {
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  Page<Tag> result;
  ASSIGN_OR_RETURN(auto docs, RefPage(client, catalog.value, kTagKind, page, &result.next_token));
  for (const auto& doc : docs) {
    View v(doc.get());
    result.items.push_back(Tag{v.Str("name"), v.Str("commit_id"), v.Int("created_ms")});
  }
  return result;
}

Status MongoStore::DeleteTag(const TenantId& tenant, const CatalogId& catalog,
                             std::string_view name) {
  Client client = Acquire();
  RETURN_IF_ERROR(FindCatalogById(client, tenant, catalog));
  ASSIGN_OR_RETURN(int64_t deleted,
                   client.DeleteOne(kRefs, LiveRef(catalog.value, name, kTagKind)));
  if (deleted == 0) return Err(ErrorCode::kNotFound, "Tag not found: {}", name);
  return {};
}

}  // namespace pangolin::store::mongo_internal
