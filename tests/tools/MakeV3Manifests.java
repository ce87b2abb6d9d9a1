// Writes a format-v3 manifest list and its manifests with the Apache Iceberg Java library, for the
// C++ manifest reader tests (row lineage: first_row_id; deletion vectors: referenced_data_file,
// content_offset, content_size_in_bytes). The table lives in an InMemoryCatalog; the files are
// copied out of its in-memory FileIO, with a description of what Java reads back from them.
//
// Usage (the classpath of tests/conformance/java-metadata, built by its generate.sh):
//   java -cp "$(cat tests/conformance/java-metadata/target/runtime-classpath.txt)" \
//       tests/tools/MakeV3Manifests.java src/iceberg/testdata/manifests/java_v3

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

public class MakeV3Manifests {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "category", Types.StringType.get()),
          Types.NestedField.optional(3, "ts", Types.TimestampNanoType.withZone()));

  static Map<Integer, ByteBuffer> bounds(long id, String category) {
    Map<Integer, ByteBuffer> out = new TreeMap<>();
    out.put(1, Conversions.toByteBuffer(Types.LongType.get(), id));
    out.put(2, Conversions.toByteBuffer(Types.StringType.get(), category));
    return out;
  }

  // `partition` holds the partition values as strings (null for a null value), in spec order.
  static DataFile dataFile(PartitionSpec spec, String name, List<String> partition, long rows,
      long id, String category) {
    Map<Integer, Long> counts = Map.of(1, rows, 2, rows, 3, rows);
    return DataFiles.builder(spec)
        .withPath("s3://fixtures/warehouse/db/events_v3/data/" + name)
        .withFormat(FileFormat.PARQUET)
        .withPartitionValues(partition)
        .withFileSizeInBytes(1000 + rows)
        .withRecordCount(rows)
        .withSplitOffsets(List.of(4L))
        .withMetrics(new Metrics(rows, Map.of(1, 11L, 2, 22L, 3, 33L), counts,
            Map.of(1, 0L, 2, 0L, 3, 1L), null, bounds(id, category), bounds(id + rows - 1, category)))
        .build();
  }

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("fixtures", Map.of("warehouse", "s3://fixtures/warehouse"));
    catalog.createNamespace(Namespace.of("db"));
    PartitionSpec spec =
        PartitionSpec.builderFor(SCHEMA).identity("category").day("ts").bucket("id", 8).build();
    Table table = catalog.createTable(TableIdentifier.of("db", "events_v3"), SCHEMA, spec,
        Map.of("format-version", "3"));

    DataFile a = dataFile(spec, "a.parquet", List.of("a", "2024-01-01", "3"), 10, 1, "a");
    DataFile b = dataFile(spec, "b.parquet", List.of("b", "2024-01-02", "5"), 5, 11, "b");
    table.newFastAppend().appendFile(a).appendFile(b).commit();
    DataFile c = dataFile(spec, "c.parquet", Arrays.asList(null, "2024-01-03", "0"), 7, 16, "c");
    table.newFastAppend().appendFile(c).commit();

    DeleteFile dv = FileMetadata.deleteFileBuilder(spec)
        .ofPositionDeletes()
        .withFormat(FileFormat.PUFFIN)
        .withPath("s3://fixtures/warehouse/db/events_v3/data/a-deletes.puffin")
        .withPartition(a.partition())
        .withFileSizeInBytes(321)
        .withRecordCount(2)
        .withReferencedDataFile(a.location())
        .withContentOffset(4)
        .withContentSizeInBytes(42)
        .build();
    DeleteFile equality = FileMetadata.deleteFileBuilder(spec)
        .ofEqualityDeletes(2)
        .withFormat(FileFormat.PARQUET)
        .withPath("s3://fixtures/warehouse/db/events_v3/data/b-eq-deletes.parquet")
        .withPartition(b.partition())
        .withFileSizeInBytes(123)
        .withRecordCount(1)
        .build();
    table.newRowDelta().addDeletes(dv).addDeletes(equality).commit();

    Snapshot snapshot = table.currentSnapshot();
    FileIO io = table.io();
    copy(io, snapshot.manifestListLocation(), out);
    StringBuilder description = new StringBuilder();
    description.append("snapshot ").append(snapshot.snapshotId()).append(" sequence ")
        .append(snapshot.sequenceNumber()).append(" first-row-id ").append(snapshot.firstRowId())
        .append(" added-rows ").append(snapshot.addedRows()).append('\n');
    description.append("manifest-list ").append(snapshot.manifestListLocation()).append('\n');
    for (ManifestFile manifest : snapshot.allManifests(io)) {
      copy(io, manifest.path(), out);
      description.append("manifest ").append(manifest.path()).append(" length ")
          .append(manifest.length()).append(" content ").append(manifest.content())
          .append(" seq ").append(manifest.sequenceNumber()).append(" min-seq ")
          .append(manifest.minSequenceNumber()).append(" snapshot ").append(manifest.snapshotId())
          .append(" added ").append(manifest.addedFilesCount()).append('/')
          .append(manifest.addedRowsCount()).append(" existing ")
          .append(manifest.existingFilesCount()).append('/').append(manifest.existingRowsCount())
          .append(" first-row-id ").append(manifest.firstRowId()).append('\n');
      List<ContentFile<?>> files = new ArrayList<>();
      if (manifest.content() == org.apache.iceberg.ManifestContent.DATA) {
        try (ManifestReader<DataFile> reader = ManifestFiles.read(manifest, io, table.specs())) {
          reader.forEach(f -> files.add(f.copy()));
        }
      } else {
        try (ManifestReader<DeleteFile> reader =
            ManifestFiles.readDeleteManifest(manifest, io, table.specs())) {
          reader.forEach(f -> files.add(f.copy()));
        }
      }
      for (ContentFile<?> f : files) {
        description.append("  file ").append(f.location()).append(" content ").append(f.content())
            .append(" format ").append(f.format()).append(" partition ").append(f.partition())
            .append(" records ").append(f.recordCount()).append(" size ")
            .append(f.fileSizeInBytes()).append(" data-seq ").append(f.dataSequenceNumber())
            .append(" file-seq ").append(f.fileSequenceNumber()).append(" first-row-id ")
            .append(f.firstRowId()).append(" equality-ids ").append(f.equalityFieldIds());
        if (f instanceof DeleteFile d) {
          description.append(" referenced ").append(d.referencedDataFile()).append(" offset ")
              .append(d.contentOffset()).append(" content-size ").append(d.contentSizeInBytes());
        }
        description.append('\n');
      }
    }
    Files.writeString(out.resolve("description.txt"), description.toString());
    System.out.print(description);
  }

  static void copy(FileIO io, String location, Path dir) throws IOException {
    try (InputStream in = io.newInputFile(location).newStream()) {
      Files.write(dir.resolve(location.substring(location.lastIndexOf('/') + 1)), in.readAllBytes());
    }
  }
}
