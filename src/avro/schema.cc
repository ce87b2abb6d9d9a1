// Avro schema JSON -> Node tree, following the Avro 1.11 specification's schema declaration
// rules (names, namespaces, unions) with the attributes Iceberg adds kept on the nodes.
#include "avro/schema.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "avro/json_internal.h"
#include "common/strings.h"

namespace pangolin::avro {

using internal::Json;

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kBoolean:
      return "boolean";
    case Type::kInt:
      return "int";
    case Type::kLong:
      return "long";
    case Type::kFloat:
      return "float";
    case Type::kDouble:
      return "double";
    case Type::kBytes:
      return "bytes";
    case Type::kString:
      return "string";
    case Type::kRecord:
      return "record";
    case Type::kEnum:
      return "enum";
    case Type::kArray:
      return "array";
    case Type::kMap:
      return "map";
    case Type::kUnion:
      return "union";
    case Type::kFixed:
      return "fixed";
  }
  return "unknown";
}

const std::string* Node::Prop(std::string_view key) const {
  for (const auto& [name, value] : props) {
    if (name == key) return &value;
  }
  return nullptr;
}

int Node::FieldIndex(std::string_view field_name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field_name) return static_cast<int>(i);
  }
  return -1;
}

int Node::FieldIndexById(int id) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].field_id == id) return static_cast<int>(i);
  }
  return -1;
}

const Node* Node::NonNullBranch() const {
  if (type != Type::kUnion || branches.size() != 2) return nullptr;
  if (branches[0]->type == Type::kNull && branches[1]->type != Type::kNull) {
    return branches[1].get();
  }
  if (branches[1]->type == Type::kNull && branches[0]->type != Type::kNull) {
    return branches[0].get();
  }
  return nullptr;
}

namespace {

constexpr int kMaxSchemaDepth = 64;

std::optional<Type> PrimitiveType(std::string_view name) {
  static constexpr std::pair<std::string_view, Type> kPrimitives[] = {
      {"null", Type::kNull},   {"boolean", Type::kBoolean}, {"int", Type::kInt},
      {"long", Type::kLong},   {"float", Type::kFloat},     {"double", Type::kDouble},
      {"bytes", Type::kBytes}, {"string", Type::kString},
  };
  for (const auto& [text, type] : kPrimitives) {
    if (text == name) return type;
  }
  return std::nullopt;
}

uint64_t PrimitiveMinSize(Type type) {
  switch (type) {
    case Type::kNull:
      return 0;
    case Type::kFloat:
      return 4;
    case Type::kDouble:
      return 8;
    default:
      return 1;  // one varint byte, one boolean byte, or a zero length
  }
}

uint64_t SaturatingAdd(uint64_t a, uint64_t b) {
  return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max()
                                                      : a + b;
}

bool IsKnownSchemaKey(std::string_view key) {
  for (std::string_view known :
       {"type", "name", "namespace", "fields", "symbols", "items", "values", "size", "doc",
        "aliases", "default", "element-id", "key-id", "value-id"}) {
    if (key == known) return true;
  }
  return false;
}

bool IsKnownFieldKey(std::string_view key) {
  for (std::string_view known :
       {"name", "type", "doc", "default", "aliases", "order", "field-id"}) {
    if (key == known) return true;
  }
  return false;
}

// Keeps the scalar members of `json` that `known` does not claim.
template <typename KnownFn>
Props ScalarProps(const Json& json, KnownFn known) {
  Props props;
  for (const auto& [key, value] : json.members) {
    if (known(key)) continue;
    switch (value.kind) {
      case Json::Kind::kString:
      case Json::Kind::kNumber:
        props.emplace_back(key, value.text);
        break;
      case Json::Kind::kBool:
        props.emplace_back(key, value.boolean ? "true" : "false");
        break;
      default:
        break;
    }
  }
  return props;
}

tl::unexpected<Error> Invalid(std::string_view what) {
  return Err(ErrorCode::kBadRequest, "Invalid Avro schema: {}", what);
}

Status CheckWeight(const Node& node) {
  uint64_t bytes = std::max<uint64_t>(node.min_encoded_size, 1);
  if (node.value_weight / kMaxWeightPerByte > bytes) {
    return Err(ErrorCode::kBadRequest,
               "Invalid Avro schema: a {} of at least {} bytes decodes into {} values",
               TypeName(node.type), node.min_encoded_size, node.value_weight);
  }
  return Ok();
}

// An optional integer attribute (Iceberg writes ids as numbers; strings are accepted too).
Result<std::optional<int>> IntAttribute(const Json& json, std::string_view key) {
  const Json* value = json.Find(key);
  if (value == nullptr || value->kind == Json::Kind::kNull) return std::nullopt;
  std::optional<long long> parsed;
  if (value->kind == Json::Kind::kNumber || value->kind == Json::Kind::kString) {
    parsed = ParseInt(value->text);
  }
  if (!parsed || *parsed < std::numeric_limits<int>::min() ||
      *parsed > std::numeric_limits<int>::max()) {
    return Err(ErrorCode::kBadRequest, "Invalid Avro schema: '{}' is not a 32-bit integer", key);
  }
  return static_cast<int>(*parsed);
}

class SchemaParser {
 public:
  Result<NodePtr> Parse(const Json& json, const std::string& space, int depth) {
    if (depth > kMaxSchemaDepth) return Invalid("nesting too deep");
    switch (json.kind) {
      case Json::Kind::kString:
        return Reference(json.text, space);
      case Json::Kind::kArray:
        return Union(json, space, depth);
      case Json::Kind::kObject:
        return Object(json, space, depth);
      default:
        return Invalid("a schema must be a string, an array or an object");
    }
  }

 private:
  Result<NodePtr> Reference(const std::string& name, const std::string& space) {
    if (auto primitive = PrimitiveType(name)) {
      Node node;
      node.type = *primitive;
      node.min_encoded_size = PrimitiveMinSize(*primitive);
      return std::make_shared<const Node>(std::move(node));
    }
    std::string full =
        name.find('.') == std::string::npos && !space.empty() ? space + "." + name : name;
    for (const std::string& candidate : {full, name}) {
      if (defining_.count(candidate) > 0) {
        return Err(ErrorCode::kUnsupported, "Recursive Avro schemas are not supported ('{}')",
                   candidate);
      }
      auto it = named_.find(candidate);
      if (it != named_.end()) return it->second;
    }
    return Err(ErrorCode::kBadRequest, "Invalid Avro schema: unknown type '{}'", name);
  }

  Result<NodePtr> Union(const Json& json, const std::string& space, int depth) {
    Node node;
    node.type = Type::kUnion;
    node.min_encoded_size = std::numeric_limits<uint64_t>::max();
    for (const Json& item : json.items) {
      ASSIGN_OR_RETURN(NodePtr branch, Parse(item, space, depth + 1));
      if (branch->type == Type::kUnion) return Invalid("a union may not contain a union");
      node.min_encoded_size = std::min(node.min_encoded_size, branch->min_encoded_size);
      node.branches.push_back(std::move(branch));
    }
    // The branch index is one varint byte at least.
    node.min_encoded_size = node.branches.empty() ? 1 : SaturatingAdd(node.min_encoded_size, 1);
    uint64_t heaviest = 0;
    for (const NodePtr& branch : node.branches) heaviest = std::max(heaviest, branch->value_weight);
    node.value_weight = SaturatingAdd(heaviest, 1);
    RETURN_IF_ERROR(CheckWeight(node));
    return std::make_shared<const Node>(std::move(node));
  }

  Result<NodePtr> Object(const Json& json, const std::string& space, int depth) {
    const Json* type = json.Find("type");
    if (type == nullptr) return Invalid("an object schema needs a 'type'");
    if (type->kind != Json::Kind::kString) return Parse(*type, space, depth + 1);
    const std::string& kind = type->text;
    if (kind == "record" || kind == "error") return Record(json, space, depth);
    if (kind == "enum") return Enum(json, space);
    if (kind == "fixed") return Fixed(json, space);
    if (kind == "array" || kind == "map") return Container(json, kind == "map", space, depth);
    ASSIGN_OR_RETURN(NodePtr base, Reference(kind, space));
    if (!PrimitiveType(kind)) return base;  // {"type": "SomeNamedType"}
    Node node = *base;
    node.props = ScalarProps(json, IsKnownSchemaKey);
    return std::make_shared<const Node>(std::move(node));
  }

  // Fills name and returns the namespace for nested definitions.
  Result<std::string> Name(const Json& json, const std::string& space, Node* node) {
    const Json* name = json.Find("name");
    if (name == nullptr || name->kind != Json::Kind::kString || name->text.empty()) {
      return Invalid("a named type needs a 'name'");
    }
    std::string own_space = space;
    if (const Json* ns = json.Find("namespace"); ns != nullptr && ns->kind == Json::Kind::kString) {
      own_space = ns->text;
    }
    size_t dot = name->text.rfind('.');
    if (dot != std::string::npos) {
      node->name = name->text;
      return name->text.substr(0, dot);
    }
    node->name = own_space.empty() ? name->text : own_space + "." + name->text;
    return own_space;
  }

  NodePtr Register(Node node) {
    auto ptr = std::make_shared<const Node>(std::move(node));
    named_[ptr->name] = ptr;  // a redefinition shadows the earlier one (tolerated)
    return ptr;
  }

  Result<NodePtr> Record(const Json& json, const std::string& space, int depth) {
    Node node;
    node.type = Type::kRecord;
    ASSIGN_OR_RETURN(std::string inner_space, Name(json, space, &node));
    const Json* fields = json.Find("fields");
    if (fields == nullptr || fields->kind != Json::Kind::kArray) {
      return Invalid("a record needs a 'fields' array");
    }
    defining_.insert(node.name);
    for (const Json& field_json : fields->items) {
      auto field = ParseField(field_json, inner_space, depth);
      if (!field) {
        defining_.erase(node.name);
        return tl::unexpected(field.error());
      }
      node.min_encoded_size = SaturatingAdd(node.min_encoded_size, field->type->min_encoded_size);
      node.value_weight = SaturatingAdd(node.value_weight, field->type->value_weight);
      node.fields.push_back(std::move(*field));
    }
    defining_.erase(node.name);
    RETURN_IF_ERROR(CheckWeight(node));
    node.props = ScalarProps(json, IsKnownSchemaKey);
    return Register(std::move(node));
  }

  Result<Field> ParseField(const Json& json, const std::string& space, int depth) {
    if (json.kind != Json::Kind::kObject) return Invalid("a record field must be an object");
    const Json* name = json.Find("name");
    const Json* type = json.Find("type");
    if (name == nullptr || name->kind != Json::Kind::kString || type == nullptr) {
      return Invalid("a record field needs a 'name' and a 'type'");
    }
    Field field;
    field.name = name->text;
    ASSIGN_OR_RETURN(field.type, Parse(*type, space, depth + 1));
    ASSIGN_OR_RETURN(field.field_id, IntAttribute(json, "field-id"));
    field.props = ScalarProps(json, IsKnownFieldKey);
    return field;
  }

  Result<NodePtr> Enum(const Json& json, const std::string& space) {
    Node node;
    node.type = Type::kEnum;
    RETURN_IF_ERROR(Name(json, space, &node));
    const Json* symbols = json.Find("symbols");
    if (symbols == nullptr || symbols->kind != Json::Kind::kArray) {
      return Invalid("an enum needs a 'symbols' array");
    }
    for (const Json& symbol : symbols->items) {
      if (symbol.kind != Json::Kind::kString) return Invalid("enum symbols must be strings");
      node.symbols.push_back(symbol.text);
    }
    node.min_encoded_size = 1;
    node.props = ScalarProps(json, IsKnownSchemaKey);
    return Register(std::move(node));
  }

  Result<NodePtr> Fixed(const Json& json, const std::string& space) {
    Node node;
    node.type = Type::kFixed;
    RETURN_IF_ERROR(Name(json, space, &node));
    const Json* size = json.Find("size");
    std::optional<long long> parsed;
    if (size != nullptr && size->kind == Json::Kind::kNumber) parsed = ParseInt(size->text);
    if (!parsed || *parsed < 0 || *parsed > std::numeric_limits<int32_t>::max()) {
      return Invalid("a fixed type needs a non-negative 32-bit 'size'");
    }
    node.size = *parsed;
    node.min_encoded_size = static_cast<uint64_t>(*parsed);
    node.props = ScalarProps(json, IsKnownSchemaKey);
    return Register(std::move(node));
  }

  Result<NodePtr> Container(const Json& json, bool is_map, const std::string& space, int depth) {
    Node node;
    node.type = is_map ? Type::kMap : Type::kArray;
    const Json* items = json.Find(is_map ? "values" : "items");
    if (items == nullptr)
      return Invalid(is_map ? "a map needs 'values'" : "an array needs 'items'");
    ASSIGN_OR_RETURN(node.items, Parse(*items, space, depth + 1));
    if (is_map) {
      ASSIGN_OR_RETURN(node.key_id, IntAttribute(json, "key-id"));
      ASSIGN_OR_RETURN(node.value_id, IntAttribute(json, "value-id"));
    } else {
      ASSIGN_OR_RETURN(node.element_id, IntAttribute(json, "element-id"));
    }
    node.min_encoded_size = 1;  // the terminating zero count
    node.props = ScalarProps(json, IsKnownSchemaKey);
    return std::make_shared<const Node>(std::move(node));
  }

  std::map<std::string, NodePtr> named_;
  std::set<std::string> defining_;
};

}  // namespace

Result<NodePtr> ParseSchema(std::string_view json) {
  ASSIGN_OR_RETURN(Json parsed, internal::ParseJson(json));
  return SchemaParser().Parse(parsed, "", 0);
}

}  // namespace pangolin::avro
