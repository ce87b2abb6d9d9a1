// IcebergService over the real in-memory store and the real local FileIO.
#include "service/iceberg_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "serde/table_requests.h"
#include "storage/local/local_file_io.h"
#include "store/memory/memory_store.h"
#include "testing/fixed_warehouse_storage.h"
#include "testing/matchers.h"
#include "testing/temp_dir.h"

namespace pangolin::service {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using ::pangolin::testing::IsOk;

// The real local FileIO with one injected fault: writes of locations containing `fail_marker`
// fail as a full disk would.
class FaultInjectingFileIO final : public storage::FileIO {
 public:
  explicit FaultInjectingFileIO(std::unique_ptr<storage::FileIO> real) : real_(std::move(real)) {}
  Result<std::string> Read(std::string_view location) override { return real_->Read(location); }
  Result<bool> Exists(std::string_view location) override { return real_->Exists(location); }
  Status WriteNew(std::string_view location, std::string_view data) override {
    if (!fail_marker.empty() && location.find(fail_marker) != std::string_view::npos) {
      return Err(ErrorCode::kIo, "injected write failure: {}", location);
    }
    return real_->WriteNew(location, data);
  }
  Status Delete(std::string_view location) override { return real_->Delete(location); }
  Result<std::vector<storage::FileInfo>> List(std::string_view prefix) override {
    return real_->List(prefix);
  }
  Status DeletePrefix(std::string_view prefix) override { return real_->DeletePrefix(prefix); }
  bool Handles(std::string_view location) const override { return real_->Handles(location); }

  std::string fail_marker;

 private:
  std::unique_ptr<storage::FileIO> real_;
};

constexpr char kSchema[] =
    R"({"type":"struct","schema-id":0,"fields":[{"id":1,"name":"id","required":false,"type":"long"}]})";

class IcebergServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*store::MakeMemoryStore());
    file_io_ = std::make_unique<FaultInjectingFileIO>(std::move(*storage::MakeLocalFileIO()));
    files_ = std::make_unique<TableFiles>();
    warehouse_storage_ = std::make_unique<testing::FixedWarehouseStorage>(*file_io_);
    catalog_storage_ = std::make_unique<CatalogStorage>(
        [this](const TenantId& tenant, std::string_view name) {
          return store_->GetWarehouse(tenant, name);
        },
        *warehouse_storage_);
    service_ = std::make_unique<IcebergService>(*store_, *files_, *catalog_storage_, clock_);
    catalog::Warehouse warehouse{WarehouseId{"w1"},
                                 "wh",
                                 kDefaultTenant,
                                 false,
                                 {{"type", "local"}, {"root", dir_.path().string()}},
                                 ""};
    ASSERT_THAT(store_->CreateWarehouse(warehouse), IsOk());
    catalog::Catalog cat{
        CatalogId{"c1"}, "lake", kDefaultTenant, catalog::CatalogType::kLocal, "wh",
        std::nullopt,    {}};
    ASSERT_THAT(store_->CreateCatalog(cat), IsOk());
    handle_ = *service_->ResolveCatalog(ctx_, "lake");
  }

  LoadedTable CreateTable(const Namespace& ns, const std::string& name,
                          const std::string& properties = "{}") {
    auto request = serde::ParseCreateTableRequest(
        fmt::format(R"({{"name":"{}","schema":{},"properties":{}}})", name, kSchema, properties));
    EXPECT_THAT(request, IsOk());
    auto table = service_->CreateTable(ctx_, handle_, ns, *request);
    EXPECT_THAT(table, IsOk());
    return *table;
  }

  Result<LoadedTable> SetProperty(const TableIdentifier& id, const std::string& key) {
    auto request = serde::ParseCommitTableRequest(fmt::format(
        R"({{"requirements":[],"updates":[{{"action":"set-properties","updates":{{"{}":"v"}}}}]}})",
        key));
    if (!request) return tl::unexpected(request.error());
    return service_->CommitTable(ctx_, handle_, id, *request);
  }

  // A commitTransaction body setting `key` on each table; `uuid` (if given) is required of the
  // last.
  std::vector<serde::CommitTableRequest> SetPropertyOn(const std::vector<std::string>& tables,
                                                       const std::string& key,
                                                       const std::string& last_uuid = "") {
    std::vector<serde::CommitTableRequest> changes;
    for (const auto& name : tables) {
      std::string requirements =
          name == tables.back() && !last_uuid.empty()
              ? fmt::format(R"([{{"type":"assert-table-uuid","uuid":"{}"}}])", last_uuid)
              : "[]";
      auto change = serde::ParseCommitTableRequest(
          fmt::format(R"({{"identifier":{{"namespace":["n"],"name":"{}"}},"requirements":{},)"
                      R"("updates":[{{"action":"set-properties","updates":{{"{}":"v"}}}}]}})",
                      name, requirements, key));
      EXPECT_THAT(change, IsOk());
      changes.push_back(*change);
    }
    return changes;
  }

  Properties TableProperties(const std::string& name) {
    auto loaded = service_->LoadTable(ctx_, handle_, {{"n"}, name}, SnapshotMode::kAll);
    EXPECT_THAT(loaded, IsOk());
    return loaded ? loaded->metadata->metadata.properties : Properties{};
  }

  size_t MetadataFiles(const std::string& table_dir) {
    size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(table_dir + "/metadata")) {
      count += entry.path().string().ends_with(".metadata.json");
    }
    return count;
  }

  testing::TempDir dir_;
  ManualClock clock_{1700000000000};
  Context ctx_;
  std::unique_ptr<store::MetadataStore> store_;
  std::unique_ptr<FaultInjectingFileIO> file_io_;
  std::unique_ptr<TableFiles> files_;
  std::unique_ptr<testing::FixedWarehouseStorage> warehouse_storage_;
  std::unique_ptr<CatalogStorage> catalog_storage_;
  std::unique_ptr<IcebergService> service_;
  CatalogHandle handle_;
};

TEST_F(IcebergServiceTest, NamespacesNeedTheirParentAndMustBeEmptyToDrop) {
  EXPECT_THAT(service_->CreateNamespace(ctx_, handle_, {"a", "b"}, {}),
              IsError(ErrorCode::kNoSuchNamespace));
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"a"}, {{"k", "v"}}), IsOk());
  EXPECT_THAT(service_->CreateNamespace(ctx_, handle_, {"a"}, {}),
              IsError(ErrorCode::kAlreadyExists));
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"a", "b"}, {}), IsOk());
  EXPECT_THAT(service_->DropNamespace(ctx_, handle_, {"a"}),
              IsError(ErrorCode::kNamespaceNotEmpty));
  auto children = service_->ListNamespaces(ctx_, handle_, {"a"}, {});
  ASSERT_THAT(children, IsOk());
  EXPECT_EQ(children->items, std::vector<Namespace>{Namespace({"a", "b"})});
  EXPECT_THAT(service_->DropNamespace(ctx_, handle_, {"a", "b"}), IsOk());
  EXPECT_THAT(service_->DropNamespace(ctx_, handle_, {"a"}), IsOk());
}

TEST_F(IcebergServiceTest, PropertyUpdatesReportUpdatedRemovedAndMissing) {
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"n"}, {{"a", "1"}, {"b", "2"}}), IsOk());
  EXPECT_THAT(service_->UpdateNamespaceProperties(ctx_, handle_, {"n"}, {"a"}, {{"a", "x"}}),
              IsError(ErrorCode::kUnprocessable));
  auto result =
      service_->UpdateNamespaceProperties(ctx_, handle_, {"n"}, {"a", "zz"}, {{"c", "3"}});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->removed, std::vector<std::string>{"a"});
  EXPECT_EQ(result->missing, std::vector<std::string>{"zz"});
  EXPECT_EQ(result->updated, std::vector<std::string>{"c"});
  EXPECT_EQ(*service_->LoadNamespace(ctx_, handle_, {"n"}), (Properties{{"b", "2"}, {"c", "3"}}));
}

TEST_F(IcebergServiceTest, TablesAreCreatedUnderTheCatalogLocationOnly) {
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"n"}, {}), IsOk());
  LoadedTable table = CreateTable({"n"}, "t");
  EXPECT_EQ(table.metadata->metadata.location, "file://" + dir_.path().string() + "/lake/n/t");
  EXPECT_TRUE(table.metadata_location->ends_with(".metadata.json"));
  EXPECT_TRUE(std::filesystem::exists(table.metadata_location->substr(7)));
  auto outside = serde::ParseCreateTableRequest(
      fmt::format(R"({{"name":"u","schema":{},"location":"file:///tmp/elsewhere"}})", kSchema));
  EXPECT_THAT(service_->CreateTable(ctx_, handle_, {"n"}, *outside),
              IsError(ErrorCode::kForbidden));
  EXPECT_THAT(service_->LoadTable(ctx_, handle_, {{"missing"}, "t"}, SnapshotMode::kAll),
              IsErrorWithMessage(ErrorCode::kNoSuchTable, "Table does not exist: missing.t"));
}

TEST_F(IcebergServiceTest, MetadataLogIsTrimmedAndDroppedFilesDeleted) {
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"n"}, {}), IsOk());
  LoadedTable table = CreateTable({"n"}, "t",
                                  R"({"write.metadata.previous-versions-max":"2",)"
                                  R"("write.metadata.delete-after-commit.enabled":"true"})");
  for (int i = 0; i < 5; ++i)
    ASSERT_THAT(SetProperty({{"n"}, "t"}, "k" + std::to_string(i)), IsOk());
  auto loaded = service_->LoadTable(ctx_, handle_, {{"n"}, "t"}, SnapshotMode::kAll);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->metadata->metadata.metadata_log.size(), 2u);
  EXPECT_EQ(MetadataFiles(dir_.path().string() + "/lake/n/t"), 3u);
  EXPECT_TRUE(loaded->metadata_location->find("/00005-") != std::string::npos);
}

TEST_F(IcebergServiceTest, ConcurrentCommitsToOneTableLoseNoUpdate) {
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"n"}, {}), IsOk());
  CreateTable({"n"}, "hot");
  constexpr int kThreads = 8, kCommits = 10;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommits; ++i) {
        if (!SetProperty({{"n"}, "hot"}, fmt::format("t{}-{}", t, i))) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  auto loaded = service_->LoadTable(ctx_, handle_, {{"n"}, "hot"}, SnapshotMode::kAll);
  ASSERT_THAT(loaded, IsOk());
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kCommits; ++i) {
      EXPECT_TRUE(loaded->metadata->metadata.properties.count(fmt::format("t{}-{}", t, i)));
    }
  }
}

TEST_F(IcebergServiceTest, RenameMovesTheTableAndPurgeDeletesItsFiles) {
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"a"}, {}), IsOk());
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"b"}, {}), IsOk());
  LoadedTable table = CreateTable({"a"}, "t");
  CreateTable({"b"}, "taken");
  EXPECT_THAT(service_->RenameTable(ctx_, handle_, {{"a"}, "t"}, {{"b"}, "taken"}),
              IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(service_->RenameTable(ctx_, handle_, {{"a"}, "t"}, {{"zz"}, "t"}),
              IsError(ErrorCode::kNoSuchNamespace));
  ASSERT_THAT(service_->RenameTable(ctx_, handle_, {{"a"}, "t"}, {{"b"}, "t2"}), IsOk());
  EXPECT_THAT(service_->TableExists(ctx_, handle_, {{"a"}, "t"}), IsError(ErrorCode::kNoSuchTable));
  EXPECT_THAT(service_->TableExists(ctx_, handle_, {{"b"}, "t2"}), IsOk());
  std::string dir = table.metadata->metadata.location.substr(7);
  ASSERT_EQ(MetadataFiles(dir), 1u);
  // A new table where the renamed one was created shares its directory: purging the renamed
  // table deletes its own files only.
  LoadedTable successor = CreateTable({"a"}, "t");
  ASSERT_EQ(successor.metadata->metadata.location, table.metadata->metadata.location);
  ASSERT_THAT(service_->DropTable(ctx_, handle_, {{"b"}, "t2"}, /*purge=*/true), IsOk());
  EXPECT_FALSE(std::filesystem::exists(table.metadata_location->substr(7)));
  EXPECT_EQ(MetadataFiles(dir), 1u);
  EXPECT_THAT(service_->LoadTable(ctx_, handle_, {{"a"}, "t"}, SnapshotMode::kAll), IsOk());
  EXPECT_THAT(service_->DropTable(ctx_, handle_, {{"b"}, "t2"}, false),
              IsError(ErrorCode::kNoSuchTable));
  // A table whose metadata file vanished can still be dropped, with or without purge.
  ASSERT_TRUE(std::filesystem::remove(successor.metadata_location->substr(7)));
  EXPECT_THAT(service_->DropTable(ctx_, handle_, {{"a"}, "t"}, /*purge=*/true), IsOk());
  EXPECT_THAT(service_->TableExists(ctx_, handle_, {{"a"}, "t"}), IsError(ErrorCode::kNoSuchTable));
}

// The entry a reading request's authorization read (ObjectId) is what the request's first read
// of it sees, as if both happened at once; later reads, reads of other entries and the reads of
// a request that changes things go to the store.
TEST_F(IcebergServiceTest, TheAuthorizationReadIsTheRequestsFirstRead) {
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"n"}, {}), IsOk());
  LoadedTable table = CreateTable({"n"}, "t");
  CreateTable({"n"}, "u");
  Context request;
  auto id = service_->ObjectId(request, handle_, {{"n"}, "t"}, /*for_reading=*/true);
  ASSERT_THAT(id, IsOk());
  EXPECT_EQ(*id, table.content_id);
  // Another request drops both tables after this one was authorized.
  ASSERT_THAT(service_->DropTable(ctx_, handle_, {{"n"}, "t"}, false), IsOk());
  ASSERT_THAT(service_->DropTable(ctx_, handle_, {{"n"}, "u"}, false), IsOk());
  EXPECT_THAT(service_->TableExists(request, handle_, {{"n"}, "u"}),
              IsError(ErrorCode::kNoSuchTable));
  EXPECT_THAT(service_->TableExists(request, handle_, {{"n"}, "t"}), IsOk());
  EXPECT_THAT(service_->TableExists(request, handle_, {{"n"}, "t"}),
              IsError(ErrorCode::kNoSuchTable));
  // A request that changes things reads the state afresh (under its table's lock).
  CreateTable({"n"}, "v");
  Context change;
  ASSERT_THAT(service_->ObjectId(change, handle_, {{"n"}, "v"}), IsOk());
  ASSERT_THAT(service_->DropTable(ctx_, handle_, {{"n"}, "v"}, false), IsOk());
  EXPECT_THAT(service_->TableExists(change, handle_, {{"n"}, "v"}),
              IsError(ErrorCode::kNoSuchTable));
}

TEST_F(IcebergServiceTest, TransactionChangesEveryTableInOneCommit) {
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"n"}, {}), IsOk());
  CreateTable({"n"}, "t1");
  CreateTable({"n"}, "t2");
  auto before = store_->ListCommits(kDefaultTenant, CatalogId{"c1"}, "main", {});
  ASSERT_THAT(before, IsOk());
  ASSERT_THAT(service_->CommitTransaction(ctx_, handle_, SetPropertyOn({"t1", "t2"}, "k")), IsOk());
  EXPECT_TRUE(TableProperties("t1").count("k"));
  EXPECT_TRUE(TableProperties("t2").count("k"));
  auto after = store_->ListCommits(kDefaultTenant, CatalogId{"c1"}, "main", {});
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->items.size(), before->items.size() + 1);
  EXPECT_THAT(service_->CommitTransaction(ctx_, handle_, SetPropertyOn({"t1", "t1"}, "k")),
              IsError(ErrorCode::kBadRequest));
}

TEST_F(IcebergServiceTest, TransactionFailingOnTheSecondTableChangesNothing) {
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"n"}, {}), IsOk());
  CreateTable({"n"}, "t1");
  CreateTable({"n"}, "t2");
  std::string t1_dir = dir_.path().string() + "/lake/n/t1";
  // A requirement of the second table fails.
  EXPECT_THAT(
      service_->CommitTransaction(ctx_, handle_, SetPropertyOn({"t1", "t2"}, "k", "not-the-uuid")),
      IsError(ErrorCode::kCommitFailed));
  // Writing the second table's metadata file fails.
  file_io_->fail_marker = "/n/t2/";
  EXPECT_THAT(service_->CommitTransaction(ctx_, handle_, SetPropertyOn({"t1", "t2"}, "k")),
              IsError(ErrorCode::kIo));
  file_io_->fail_marker.clear();
  EXPECT_FALSE(TableProperties("t1").count("k"));
  EXPECT_FALSE(TableProperties("t2").count("k"));
  EXPECT_EQ(MetadataFiles(t1_dir), 1u);  // the first table's new files were removed again
}

TEST_F(IcebergServiceTest, TableWhoseMetadataFileVanishedIsNotFound) {
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"n"}, {}), IsOk());
  LoadedTable table = CreateTable({"n"}, "t");
  ASSERT_TRUE(std::filesystem::remove(table.metadata_location->substr(7)));
  EXPECT_THAT(service_->LoadTable(ctx_, handle_, {{"n"}, "t"}, SnapshotMode::kAll),
              IsErrorWithMessage(ErrorCode::kNotFound, "Failed to open input stream for file: " +
                                                           *table.metadata_location));
}

TEST_F(IcebergServiceTest, RegisterAdoptsAnExistingMetadataFile) {
  ASSERT_THAT(service_->CreateNamespace(ctx_, handle_, {"n"}, {}), IsOk());
  LoadedTable table = CreateTable({"n"}, "t");
  ASSERT_THAT(service_->DropTable(ctx_, handle_, {{"n"}, "t"}, /*purge=*/false), IsOk());
  auto registered =
      service_->RegisterTable(ctx_, handle_, {{"n"}, "again"}, *table.metadata_location, false);
  ASSERT_THAT(registered, IsOk());
  EXPECT_EQ(registered->metadata->metadata.table_uuid, table.metadata->metadata.table_uuid);
  EXPECT_THAT(
      service_->RegisterTable(ctx_, handle_, {{"n"}, "again"}, *table.metadata_location, false),
      IsErrorWithMessage(ErrorCode::kAlreadyExists, "Table already exists: n.again"));
  EXPECT_THAT(
      service_->RegisterTable(ctx_, handle_, {{"n"}, "again"}, *table.metadata_location, true),
      IsOk());
  EXPECT_THAT(
      service_->RegisterTable(ctx_, handle_, {{"n"}, "x"},
                              "file://" + dir_.path().string() + "/lake/n/none.json", false),
      IsError(ErrorCode::kNotFound));
  EXPECT_THAT(service_->RegisterTable(ctx_, handle_, {{"n"}, "x"}, "file:///etc/hosts", false),
              IsError(ErrorCode::kForbidden));
}

}  // namespace
}  // namespace pangolin::service
