// Names of the merge enums, as the original spells them.
#include "catalog/merge.h"

#include <array>
#include <utility>

#include "common/strings.h"

namespace pangolin::catalog {
namespace {

constexpr std::array kStatusNames = {"Pending", "Conflicted", "Resolving",
                                     "Ready",   "Completed",  "Aborted"};
constexpr std::array kConflictNames = {"SchemaChange", "DataOverlap", "MetadataConflict",
                                       "DeletionConflict"};
constexpr std::array kStrategyNames = {"AutoMerge", "TakeSource", "TakeTarget", "Manual",
                                       "ThreeWayMerge"};
constexpr std::array kSideNames = {"source", "target"};

// "TakeSource", "takesource" and "take_source" all name the same value.
std::string Normalized(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '_' || c == '-') continue;
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return out;
}

template <typename Enum, size_t N>
Result<Enum> Parse(const std::array<const char*, N>& names, std::string_view what,
                   std::string_view text) {
  std::string wanted = Normalized(text);
  for (size_t i = 0; i < N; ++i) {
    if (Normalized(names[i]) == wanted) return static_cast<Enum>(i);
  }
  return Err(ErrorCode::kBadRequest, "Unknown {} '{}': expected one of {}", what, text,
             Join(std::vector<std::string>(names.begin(), names.end()), ", "));
}

}  // namespace

std::string_view ToString(MergeStatus status) { return kStatusNames[static_cast<size_t>(status)]; }
std::string_view ToString(ConflictType type) { return kConflictNames[static_cast<size_t>(type)]; }
std::string_view ToString(ResolutionStrategy strategy) {
  return kStrategyNames[static_cast<size_t>(strategy)];
}
std::string_view ToString(MergeSide side) { return kSideNames[static_cast<size_t>(side)]; }

std::string ConflictId(std::string_view operation_id, size_t n) {
  return fmt::format("{}-c{}", operation_id, n);
}

std::string_view OperationIdOf(std::string_view conflict_id) {
  size_t cut = conflict_id.rfind("-c");
  return cut == std::string_view::npos ? std::string_view() : conflict_id.substr(0, cut);
}

Result<MergeStatus> ParseMergeStatus(std::string_view text) {
  return Parse<MergeStatus>(kStatusNames, "merge status", text);
}
Result<ConflictType> ParseConflictType(std::string_view text) {
  return Parse<ConflictType>(kConflictNames, "conflict type", text);
}
Result<ResolutionStrategy> ParseResolutionStrategy(std::string_view text) {
  return Parse<ResolutionStrategy>(kStrategyNames, "resolution strategy", text);
}
Result<MergeSide> ParseMergeSide(std::string_view text) {
  return Parse<MergeSide>(kSideNames, "merge side", text);
}

}  // namespace pangolin::catalog
