// IcebergService over the real in-memory store and the real local FileIO.
#include "service/iceberg_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "serde/table_requests.h"
#include "storage/local/local_file_io.h"
#include "store/memory/memory_store.h"
#include "testing/matchers.h"
#include "testing/temp_dir.h"

namespace pangolin::service {
namespace {

using ::pangolin::testing::IsError;
using ::pangolin::testing::IsErrorWithMessage;
using ::pangolin::testing::IsOk;

constexpr char kSchema[] =
    R"({"type":"struct","schema-id":0,"fields":[{"id":1,"name":"id","required":false,"type":"long"}]})";

class IcebergServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(*store::MakeMemoryStore());
    file_io_ = std::move(*storage::MakeLocalFileIO());
    files_ = std::make_unique<TableFiles>(*file_io_);
    service_ = std::make_unique<IcebergService>(*store_, *files_, clock_);
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
  std::unique_ptr<storage::FileIO> file_io_;
  std::unique_ptr<TableFiles> files_;
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
  ASSERT_TRUE(std::filesystem::exists(dir));
  ASSERT_THAT(service_->DropTable(ctx_, handle_, {{"b"}, "t2"}, /*purge=*/true), IsOk());
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_THAT(service_->DropTable(ctx_, handle_, {{"b"}, "t2"}, false),
              IsError(ErrorCode::kNoSuchTable));
}

}  // namespace
}  // namespace pangolin::service
