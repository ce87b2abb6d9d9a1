// Inclusive projection of row predicates through partition transforms (format spec: partition
// transforms, Appendix B bucket hashing): a predicate on a source column becomes a predicate on
// the partition value that holds for every partition that might contain a matching row. Used by
// scan planning to prune whole files by their partition tuple.
#pragma once

#include <optional>
#include <string>

#include "iceberg/expression.h"
#include "iceberg/literal.h"

namespace pangolin::iceberg {

// The predicate on the partition value of `transform` (year, month, day, hour, bucket[N],
// truncate[W]; identity is exact and handled by the caller), its literals typed as
// `partition_type`; nullopt when the transform or predicate has no safe projection here
// (negative times, unsupported types, negated predicates).
std::optional<BoundExpression> ProjectInclusive(const BoundExpression& predicate,
                                                const std::string& transform,
                                                const std::string& partition_type);

// The transform applied to one source value; nullopt when not supported here.
std::optional<Literal> ApplyTransform(const std::string& transform, const Literal& value,
                                      const std::string& partition_type);

// Murmur3 x86 32-bit hash with seed 0 (bucket hashing).
int32_t Murmur3Hash32(std::string_view bytes);

}  // namespace pangolin::iceberg
