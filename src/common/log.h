// Logging facade over spdlog: one logger, plain or JSON-lines output, and structured fields.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pangolin::log {

enum class Format { kPretty, kJson };
enum class Level { kDebug, kInfo, kWarn, kError };

// Configures the process-wide logger. Call once at start-up, before threads start (an event
// formats its fields in the format configured when they are added).
void Configure(Format format, Level level);
std::optional<Level> ParseLevel(std::string_view text);

// A log event: a message plus key/value fields. In JSON format every field is a JSON member;
// in pretty format they follow the message as key=value.
class Event {
 public:
  Event(Level level, std::string_view message);
  Event(const Event&) = delete;
  ~Event();  // writes the event
  Event& With(std::string_view key, std::string_view value);
  Event& With(std::string_view key, long long value);

 private:
  Level level_;
  bool enabled_;  // the logger writes this level: otherwise nothing is formatted
  std::string message_;
  std::string fields_;  // in the configured format
};

inline Event Info(std::string_view message) { return Event(Level::kInfo, message); }
inline Event Warn(std::string_view message) { return Event(Level::kWarn, message); }
inline Event Error(std::string_view message) { return Event(Level::kError, message); }
inline Event Debug(std::string_view message) { return Event(Level::kDebug, message); }

// Escapes `text` for inclusion in a JSON string literal (without quotes).
std::string JsonEscape(std::string_view text);

}  // namespace pangolin::log
