// Metadata file naming (§4.3).
#include "iceberg/metadata_files.h"

#include <gtest/gtest.h>

#include "iceberg/test_tables.h"

namespace pangolin::iceberg {
namespace {

TEST(MetadataFilesTest, FirstAndNextVersion) {
  TableMetadata md = testing::SimpleTable();
  EXPECT_EQ(NewMetadataFileLocation(md, std::nullopt, "u1"),
            testing::kLocation + "/metadata/00000-u1.metadata.json");
  EXPECT_EQ(
      NewMetadataFileLocation(md, testing::kLocation + "/metadata/00041-abc.metadata.json", "u2"),
      testing::kLocation + "/metadata/00042-u2.metadata.json");
  EXPECT_EQ(NewMetadataFileLocation(md, std::string("s3://x/v3.metadata.json"), "u3"),
            testing::kLocation + "/metadata/00000-u3.metadata.json");
  EXPECT_EQ(NewMetadataFileLocation(md, std::string("s3://x/123456-a.metadata.json"), "u"),
            testing::kLocation + "/metadata/123457-u.metadata.json");
}

TEST(MetadataFilesTest, GzipAndCustomPath) {
  TableMetadata md = testing::SimpleTable();
  md.properties["write.metadata.compression-codec"] = "GZIP";
  md.properties["write.metadata.path"] = "s3://other/meta/";
  EXPECT_EQ(
      NewMetadataFileLocation(md, std::string("s3://other/meta/00001-x.gz.metadata.json"), "u"),
      "s3://other/meta/00002-u.gz.metadata.json");
  md.properties["write.metadata.compression-codec"] = "none";
  EXPECT_EQ(NewMetadataFileLocation(md, std::nullopt, "u"),
            "s3://other/meta/00000-u.metadata.json");
}

TEST(MetadataFilesTest, ParseVersion) {
  EXPECT_EQ(ParseMetadataFileVersion("s3://a/b/00007-x-y.metadata.json"), 7);
  EXPECT_EQ(ParseMetadataFileVersion("s3://a/b/v7.metadata.json"), -1);
  EXPECT_EQ(ParseMetadataFileVersion("s3://a-b/c/xx-1.metadata.json"), -1);
}

}  // namespace
}  // namespace pangolin::iceberg
