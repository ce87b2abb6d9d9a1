// Contract: metrics reports are kept losslessly per catalog, filtered by namespace, table and
// type, listed newest first in stable pages, purged by age and deleted with their catalog.
#include "contract/store_contract.h"

namespace pangolin::store::contract {
namespace {

MetricsReport Report(const CatalogId& catalog, catalog::TableIdentifier table, std::string type,
                     int64_t received_ms) {
  MetricsReport report;
  report.id = NewUuid();
  report.catalog_id = catalog;
  report.table = std::move(table);
  report.report_type = std::move(type);
  report.snapshot_id = received_ms % 2 ? std::optional<int64_t>(received_ms) : std::nullopt;
  report.received_ms = received_ms;
  report.body = R"({"report-type":")" + report.report_type + R"(","x":[1,2]})";
  return report;
}

template <typename T>
class MetricsContract : public StoreContract<T> {
 protected:
  std::vector<int64_t> Times(const Result<Page<MetricsReport>>& page) {
    std::vector<int64_t> out;
    if (page) {
      for (const auto& r : page->items) out.push_back(r.received_ms);
    }
    return out;
  }
};
TYPED_TEST_SUITE(MetricsContract, StoreFactories, FactoryNames);

TYPED_TEST(MetricsContract, ReportsAreFilteredAndListedNewestFirst) {
  auto& store = *this->store_;
  CatalogId cat = this->NewCatalog();
  MetricsReport first = Report(cat, {{"a", "b"}, "t"}, "scan-report", 1);
  ASSERT_THAT(store.AddMetricsReport(kTenantA, first), IsOk());
  ASSERT_THAT(store.AddMetricsReport(kTenantA, Report(cat, {{"a", "b"}, "t"}, "commit-report", 3)),
              IsOk());
  ASSERT_THAT(store.AddMetricsReport(kTenantA, Report(cat, {{"a"}, "t"}, "scan-report", 2)),
              IsOk());
  ASSERT_THAT(store.AddMetricsReport(kTenantA, Report(cat, {{"a", "b"}, "u"}, "scan-report", 3)),
              IsOk());
  EXPECT_THAT(store.AddMetricsReport(kTenantA, first), IsError(ErrorCode::kAlreadyExists));

  auto all = store.ListMetricsReports(kTenantA, cat, {}, {});
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(this->Times(all), (std::vector<int64_t>{3, 3, 2, 1}));
  EXPECT_EQ(all->items.back(), first);       // lossless
  EXPECT_EQ(all->items[0].table.name, "u");  // equal times: the last added first

  MetricsReportFilter table{catalog::Namespace{"a", "b"}, "t", std::nullopt};
  EXPECT_EQ(this->Times(store.ListMetricsReports(kTenantA, cat, table, {})),
            (std::vector<int64_t>{3, 1}));
  MetricsReportFilter scans{std::nullopt, std::nullopt, "scan-report"};
  EXPECT_EQ(this->Times(store.ListMetricsReports(kTenantA, cat, scans, {})),
            (std::vector<int64_t>{3, 2, 1}));
  MetricsReportFilter ns{catalog::Namespace{"a"}, std::nullopt, std::nullopt};
  EXPECT_EQ(this->Times(store.ListMetricsReports(kTenantA, cat, ns, {})),
            (std::vector<int64_t>{2}));

  std::vector<std::string> paged;
  PageRequest page{"", 3};
  for (int i = 0; i < 3; ++i) {
    auto got = store.ListMetricsReports(kTenantA, cat, {}, page);
    ASSERT_THAT(got, IsOk());
    for (const auto& r : got->items) paged.push_back(r.id);
    if (!got->next_token) break;
    page.token = *got->next_token;
  }
  ASSERT_EQ(paged.size(), 4u);
  EXPECT_EQ(paged.back(), first.id);
  EXPECT_THAT(store.ListMetricsReports(kTenantA, cat, {}, {"garbage", 1}),
              IsError(ErrorCode::kBadRequest));
}

TYPED_TEST(MetricsContract, ReportsBelongToOneTenantsCatalogAndAgeOut) {
  auto& store = *this->store_;
  CatalogId cat = this->NewCatalog();
  CatalogId other = this->NewCatalog(kTenantB, "other");
  EXPECT_THAT(store.AddMetricsReport(kTenantB, Report(cat, {{"a"}, "t"}, "scan-report", 1)),
              IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store.ListMetricsReports(kTenantB, cat, {}, {}), IsError(ErrorCode::kNotFound));
  ASSERT_THAT(store.AddMetricsReport(kTenantA, Report(cat, {{"a"}, "t"}, "scan-report", 10)),
              IsOk());
  ASSERT_THAT(store.AddMetricsReport(kTenantA, Report(cat, {{"a"}, "t"}, "scan-report", 20)),
              IsOk());
  ASSERT_THAT(store.AddMetricsReport(kTenantB, Report(other, {{"a"}, "t"}, "scan-report", 5)),
              IsOk());
  EXPECT_THAT(store.PurgeMetricsReports(11), ::testing::Optional(size_t{2}));
  EXPECT_EQ(this->Times(store.ListMetricsReports(kTenantA, cat, {}, {})),
            (std::vector<int64_t>{20}));
  EXPECT_TRUE(this->Times(store.ListMetricsReports(kTenantB, other, {}, {})).empty());
  ASSERT_THAT(store.DeleteCatalog(kTenantA, "cat"), IsOk());
  Catalog again = MakeCatalog(kTenantA, "cat");
  again.id = cat;
  ASSERT_THAT(store.CreateCatalog(again), IsOk());
  EXPECT_TRUE(this->Times(store.ListMetricsReports(kTenantA, cat, {}, {})).empty());
}

}  // namespace
}  // namespace pangolin::store::contract
