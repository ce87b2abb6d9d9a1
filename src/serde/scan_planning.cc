// Scan planning JSON: predicates in, file scan tasks out.
#include "serde/scan_planning.h"

#include <cinttypes>
#include <cstdio>

#include "common/strings.h"
#include "serde/json_internal.h"

namespace pangolin::serde {

using namespace internal;  // NOLINT
using iceberg::Expression;
using iceberg::ExprOp;

namespace {

const std::map<std::string, ExprOp, std::less<>>& Ops() {
  static const std::map<std::string, ExprOp, std::less<>> ops = {
      {"true", ExprOp::kTrue},
      {"false", ExprOp::kFalse},
      {"and", ExprOp::kAnd},
      {"or", ExprOp::kOr},
      {"not", ExprOp::kNot},
      {"is-null", ExprOp::kIsNull},
      {"not-null", ExprOp::kNotNull},
      {"is-nan", ExprOp::kIsNan},
      {"not-nan", ExprOp::kNotNan},
      {"lt", ExprOp::kLt},
      {"lt-eq", ExprOp::kLtEq},
      {"gt", ExprOp::kGt},
      {"gt-eq", ExprOp::kGtEq},
      {"eq", ExprOp::kEq},
      {"not-eq", ExprOp::kNotEq},
      {"starts-with", ExprOp::kStartsWith},
      {"not-starts-with", ExprOp::kNotStartsWith},
      {"in", ExprOp::kIn},
      {"not-in", ExprOp::kNotIn}};
  return ops;
}

Result<std::string> Term(const json::value& value) {
  if (value.is_string()) return std::string(value.as_string());
  if (value.is_object()) {
    const auto& o = value.as_object();
    ASSIGN_OR_RETURN(std::string type, GetString(o, "type"));
    if (type == "reference" && Find(o, "name")) return GetString(o, "name");
    return Err(ErrorCode::kBadRequest,
               "Unsupported term in filter: only field references by name are accepted");
  }
  return Err(ErrorCode::kBadRequest, "Invalid term in filter: expected a field name");
}

Result<iceberg::JsonValue> Value(const json::value& value) {
  const json::value* v = &value;
  if (v->is_object()) {
    const auto& o = v->as_object();
    ASSIGN_OR_RETURN(std::string type, GetString(o, "type"));
    const json::value* inner = Find(o, "value");
    if (type != "literal" || !inner)
      return Err(ErrorCode::kBadRequest, "Invalid literal in filter");
    v = inner;
  }
  if (v->is_bool()) return iceberg::JsonValue(v->as_bool());
  if (v->is_int64()) return iceberg::JsonValue(v->as_int64());
  if (v->is_uint64()) {
    return Err(ErrorCode::kBadRequest, "Invalid literal in filter: integer out of range");
  }
  if (v->is_double()) return iceberg::JsonValue(v->as_double());
  if (v->is_string()) return iceberg::JsonValue(std::string(v->as_string()));
  return Err(ErrorCode::kBadRequest, "Invalid literal in filter: expected a primitive value");
}

const json::value* Operand(const json::object& o, std::string_view preferred,
                           std::string_view deprecated) {
  const json::value* v = Find(o, preferred);
  return v ? v : Find(o, deprecated);
}

Result<Expression> ParseExpression(const json::value& value, int depth) {
  if (depth > 100) return Err(ErrorCode::kBadRequest, "Invalid filter: nested too deeply");
  Expression e;
  if (value.is_bool()) {
    e.op = value.as_bool() ? ExprOp::kTrue : ExprOp::kFalse;
    return e;
  }
  if (!value.is_object()) return Err(ErrorCode::kBadRequest, "Invalid filter: expected an object");
  const auto& o = value.as_object();
  ASSIGN_OR_RETURN(std::string type, GetString(o, "type"));
  auto op = Ops().find(type);
  if (op == Ops().end()) return Err(ErrorCode::kBadRequest, "Unknown filter type: {}", type);
  e.op = op->second;
  switch (e.op) {
    case ExprOp::kTrue:
    case ExprOp::kFalse:
      return e;
    case ExprOp::kAnd:
    case ExprOp::kOr:
      for (const char* side : {"left", "right"}) {
        const json::value* child = Find(o, side);
        if (!child) return Err(ErrorCode::kBadRequest, "Invalid {} filter: missing {}", type, side);
        ASSIGN_OR_RETURN(Expression parsed, ParseExpression(*child, depth + 1));
        e.children.push_back(std::move(parsed));
      }
      return e;
    case ExprOp::kNot: {
      const json::value* child = Find(o, "child");
      if (!child) return Err(ErrorCode::kBadRequest, "Invalid not filter: missing child");
      ASSIGN_OR_RETURN(Expression parsed, ParseExpression(*child, depth + 1));
      e.children.push_back(std::move(parsed));
      return e;
    }
    default:
      break;
  }
  bool comparison = e.op >= ExprOp::kLt && e.op <= ExprOp::kNotStartsWith;
  const json::value* term = comparison ? Operand(o, "left", "term") : Operand(o, "child", "term");
  if (!term) return Err(ErrorCode::kBadRequest, "Invalid {} filter: missing term", type);
  ASSIGN_OR_RETURN(e.term, Term(*term));
  if (comparison) {
    const json::value* v = Operand(o, "right", "value");
    if (!v) return Err(ErrorCode::kBadRequest, "Invalid {} filter: missing value", type);
    ASSIGN_OR_RETURN(iceberg::JsonValue parsed, Value(*v));
    e.values.push_back(std::move(parsed));
  } else if (e.op == ExprOp::kIn || e.op == ExprOp::kNotIn) {
    const json::value* values = Find(o, "values");
    if (values && values->is_object()) values = Find(values->as_object(), "values");
    if (!values || !values->is_array()) {
      return Err(ErrorCode::kBadRequest, "Invalid {} filter: missing values", type);
    }
    for (const auto& item : values->as_array()) {
      ASSIGN_OR_RETURN(iceberg::JsonValue parsed, Value(item));
      e.values.push_back(std::move(parsed));
    }
  }
  return e;
}

Result<std::optional<std::vector<std::string>>> OptionalNames(const json::object& o,
                                                              std::string_view key) {
  const json::value* v = Find(o, key);
  if (!v || v->is_null()) return std::optional<std::vector<std::string>>();
  ASSIGN_OR_RETURN(std::vector<std::string> names, GetStringList(o, key));
  return std::optional<std::vector<std::string>>(std::move(names));
}

// --- output ------------------------------------------------------------------------------------

std::string Date(int64_t days) {
  int64_t y;
  unsigned m, d;
  iceberg::CivilFromDays(days, &y, &m, &d);
  char out[32];
  std::snprintf(out, sizeof out, "%04" PRId64 "-%02u-%02u", y, m, d);
  return out;
}

std::string Time(int64_t units, int64_t per_second) {
  int64_t seconds = units / per_second, fraction = units % per_second;
  char out[48];
  std::snprintf(out, sizeof out, "%02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%0*" PRId64,
                seconds / 3600, seconds / 60 % 60, seconds % 60, per_second == 1000000 ? 6 : 9,
                fraction);
  return out;
}

std::string Timestamp(int64_t units, int64_t per_second) {
  int64_t days = units >= 0 ? units / (86400 * per_second)
                            : -((-units + 86400 * per_second - 1) / (86400 * per_second));
  int64_t rest = units - days * 86400 * per_second;
  return Date(days) + "T" + Time(rest, per_second);
}

std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// The spec's PrimitiveTypeValue for `literal`; null when it has no JSON form here.
json::value PrimitiveValue(const iceberg::Literal& literal) {
  const std::string& type = literal.type;
  return std::visit(
      [&](const auto& v) -> json::value {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, bool> || std::is_same_v<V, float> ||
                      std::is_same_v<V, double>) {
          return json::value(v);
        } else if constexpr (std::is_same_v<V, int32_t>) {
          if (type == "date") return json::value(Date(v));
          return json::value(v);
        } else if constexpr (std::is_same_v<V, int64_t>) {
          if (type == "timestamp") return json::value(Timestamp(v, 1000000));
          if (type == "timestamptz") return json::value(Timestamp(v, 1000000) + "+00:00");
          if (type == "timestamp_ns") return json::value(Timestamp(v, 1000000000));
          if (type == "timestamptz_ns") return json::value(Timestamp(v, 1000000000) + "+00:00");
          if (type == "time") return json::value(Time(v, 1000000));
          return json::value(v);
        } else {
          if (type == "string") return json::value(v);
          if (type == "uuid" && v.size() == 16) {
            std::string hex = Hex(v);
            for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return json::value(hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) +
                               "-" + hex.substr(16, 4) + "-" + hex.substr(20));
          }
          if (type == "binary" || type.rfind("fixed", 0) == 0) return json::value(Hex(v));
          return json::value();  // decimals: left out rather than rendered approximately
        }
      },
      literal.value);
}

json::object CountMap(const std::map<int, int64_t>& counts, const std::map<int, std::string>& ids) {
  json::array keys, values;
  for (const auto& [id, count] : counts) {
    if (!ids.count(id)) continue;
    keys.emplace_back(id);
    values.emplace_back(count);
  }
  return json::object{{"keys", std::move(keys)}, {"values", std::move(values)}};
}

json::object ValueMap(const std::map<int, std::string>& bounds,
                      const std::map<int, std::string>& ids) {
  json::array keys, values;
  for (const auto& [id, bytes] : bounds) {
    auto type = ids.find(id);
    if (type == ids.end()) continue;
    auto literal = iceberg::DecodeSingleValue(type->second, bytes);
    if (!literal) continue;
    json::value rendered = PrimitiveValue(*literal);
    if (rendered.is_null()) continue;
    keys.emplace_back(id);
    values.push_back(std::move(rendered));
  }
  return json::object{{"keys", std::move(keys)}, {"values", std::move(values)}};
}

json::object ContentFile(const iceberg::ScanFile& scan, const std::map<int, std::string>& stats) {
  const iceberg::DataFile& f = scan.file;
  json::object o;
  static const char* kContent[] = {"data", "position-deletes", "equality-deletes"};
  o["content"] = kContent[static_cast<int>(f.content)];
  o["file-path"] = f.file_path;
  o["file-format"] = f.file_format;
  o["spec-id"] = scan.spec_id;
  json::array partition;
  for (const auto& value : f.partition) {
    partition.push_back(value.value ? PrimitiveValue(*value.value) : json::value());
  }
  o["partition"] = std::move(partition);
  o["file-size-in-bytes"] = f.file_size_in_bytes;
  o["record-count"] = f.record_count;
  if (f.split_offsets) {
    json::array offsets;
    for (int64_t offset : *f.split_offsets) offsets.emplace_back(offset);
    o["split-offsets"] = std::move(offsets);
  }
  if (f.sort_order_id) o["sort-order-id"] = *f.sort_order_id;
  if (f.content == iceberg::FileContent::kData) {
    if (f.first_row_id) o["first-row-id"] = *f.first_row_id;
    if (!stats.empty()) {
      o["column-sizes"] = CountMap(f.column_sizes, stats);
      o["value-counts"] = CountMap(f.value_counts, stats);
      o["null-value-counts"] = CountMap(f.null_value_counts, stats);
      o["nan-value-counts"] = CountMap(f.nan_value_counts, stats);
      o["lower-bounds"] = ValueMap(f.lower_bounds, stats);
      o["upper-bounds"] = ValueMap(f.upper_bounds, stats);
    }
  } else if (f.content == iceberg::FileContent::kPositionDeletes) {
    if (f.referenced_data_file) o["referenced-data-file"] = *f.referenced_data_file;
    if (f.content_offset) o["content-offset"] = *f.content_offset;
    if (f.content_size_in_bytes) o["content-size-in-bytes"] = *f.content_size_in_bytes;
  } else if (f.equality_ids) {
    json::array ids;
    for (int id : *f.equality_ids) ids.emplace_back(id);
    o["equality-ids"] = std::move(ids);
  }
  return o;
}

}  // namespace

Result<PlanScanBody> ParsePlanTableScanRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object o, ParseObject(text, "PlanTableScanRequest"));
  PlanScanBody body;
  body.json = std::string(text);
  ASSIGN_OR_RETURN(body.scan.snapshot_id, GetOptionalInt(o, "snapshot-id"));
  if (const json::value* filter = Find(o, "filter"); filter && !filter->is_null()) {
    ASSIGN_OR_RETURN(Expression parsed, ParseExpression(*filter, 0));
    body.scan.filter = std::move(parsed);
  }
  ASSIGN_OR_RETURN(body.scan.case_sensitive, GetBool(o, "case-sensitive", true));
  ASSIGN_OR_RETURN(body.scan.use_snapshot_schema, GetBool(o, "use-snapshot-schema", false));
  ASSIGN_OR_RETURN(body.select, OptionalNames(o, "select"));
  ASSIGN_OR_RETURN(body.stats_fields, OptionalNames(o, "stats-fields"));
  ASSIGN_OR_RETURN(body.scan.start_snapshot_id, GetOptionalInt(o, "start-snapshot-id"));
  ASSIGN_OR_RETURN(body.scan.end_snapshot_id, GetOptionalInt(o, "end-snapshot-id"));
  if (body.scan.start_snapshot_id && !body.scan.end_snapshot_id) {
    return Err(ErrorCode::kBadRequest,
               "Invalid incremental scan: end-snapshot-id is required with start-snapshot-id");
  }
  if (body.scan.snapshot_id && *body.scan.snapshot_id < 0) body.scan.snapshot_id.reset();
  return body;
}

Result<std::string> ParseFetchScanTasksRequest(std::string_view text) {
  ASSIGN_OR_RETURN(json::object o, ParseObject(text, "FetchScanTasksRequest"));
  return GetString(o, "plan-task");
}

std::string EncodePlanToken(const PlanScanBody& body, int64_t snapshot_id,
                            const std::optional<std::string>& manifest) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body.json, ec);
  json::object o = !ec && parsed.is_object() ? parsed.as_object() : json::object();
  for (const char* unused : {"select", "min-rows-requested", "manifest"}) o.erase(unused);
  o["snapshot-id"] = snapshot_id;
  if (manifest) o["manifest"] = *manifest;
  return Base64UrlEncode(json::serialize(o));
}

Result<PlanScanBody> DecodePlanToken(std::string_view token, ErrorCode not_found) {
  std::optional<std::string> text = Base64UrlDecode(token);
  auto refuse = [&] {
    return Err(not_found, "No such {}: {}",
               not_found == ErrorCode::kNoSuchPlanTask ? "plan task" : "plan id", token);
  };
  if (!text) return refuse();
  auto body = ParsePlanTableScanRequest(*text);
  if (!body) return refuse();
  auto object = ParseObject(*text, "plan token");
  if (!object) return refuse();
  auto manifest = GetOptionalString(*object, "manifest");
  if (!manifest) return refuse();
  body->scan.manifest = *manifest;
  if ((not_found == ErrorCode::kNoSuchPlanTask) != body->scan.manifest.has_value()) {
    return refuse();
  }
  return body;
}

std::string ScanTasksJson(const iceberg::ScanPlan& plan,
                          const std::map<int, std::string>& stats_field_types,
                          const std::vector<std::string>& plan_tasks,
                          const std::optional<std::string>& completed_plan_id) {
  json::array deletes;
  for (const auto& file : plan.delete_files) deletes.push_back(ContentFile(file, {}));
  json::array tasks;
  for (const auto& task : plan.tasks) {
    json::object t;
    t["data-file"] = ContentFile(task.data, stats_field_types);
    if (!task.delete_refs.empty()) {
      json::array refs;
      for (size_t ref : task.delete_refs) refs.emplace_back(static_cast<int64_t>(ref));
      t["delete-file-references"] = std::move(refs);
    }
    tasks.push_back(std::move(t));
  }
  json::object out;
  if (completed_plan_id) {
    out["status"] = "completed";
    if (!completed_plan_id->empty()) out["plan-id"] = *completed_plan_id;
  }
  out["file-scan-tasks"] = std::move(tasks);
  out["delete-files"] = std::move(deletes);
  json::array pending;
  for (const auto& task : plan_tasks) pending.emplace_back(task);
  out["plan-tasks"] = std::move(pending);
  return json::serialize(out);
}

}  // namespace pangolin::serde
