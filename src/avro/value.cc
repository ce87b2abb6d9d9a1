// Field lookup on decoded records.
#include "avro/value.h"

namespace pangolin::avro {

const Value* Record::Find(std::string_view name) const {
  int index = schema == nullptr ? -1 : schema->FieldIndex(name);
  return index < 0 || static_cast<size_t>(index) >= fields.size() ? nullptr : &fields[index];
}

const Value* Record::FindById(int id) const {
  int index = schema == nullptr ? -1 : schema->FieldIndexById(id);
  return index < 0 || static_cast<size_t>(index) >= fields.size() ? nullptr : &fields[index];
}

}  // namespace pangolin::avro
