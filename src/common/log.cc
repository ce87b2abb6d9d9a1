// spdlog-backed implementation of the logging facade.
#include "common/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>

#include "common/strings.h"

namespace pangolin::log {
namespace {

std::atomic<Format> g_format{Format::kPretty};

spdlog::level::level_enum ToSpd(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void Configure(Format format, Level level) {
  g_format = format;
  auto logger = spdlog::stderr_logger_mt("pangolin");
  if (format == Format::kJson) {
    logger->set_pattern("%v");
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  }
  logger->set_level(ToSpd(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

std::optional<Level> ParseLevel(std::string_view text) {
  std::string lower = ToLower(text);
  if (lower == "debug" || lower == "trace") return Level::kDebug;
  if (lower == "info") return Level::kInfo;
  if (lower == "warn" || lower == "warning") return Level::kWarn;
  if (lower == "error") return Level::kError;
  return std::nullopt;
}

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

Event::Event(Level level, std::string_view message)
    : level_(level), enabled_(spdlog::should_log(ToSpd(level))) {
  if (enabled_) message_ = message;
}

Event& Event::With(std::string_view key, std::string_view value) {
  if (!enabled_) return *this;
  if (g_format == Format::kJson) {
    fields_ += fmt::format(",\"{}\":\"{}\"", JsonEscape(key), JsonEscape(value));
  } else {
    fields_ += fmt::format(" {}={}", key, value);
  }
  return *this;
}

Event& Event::With(std::string_view key, long long value) {
  if (!enabled_) return *this;
  if (g_format == Format::kJson) {
    fields_ += fmt::format(",\"{}\":{}", JsonEscape(key), value);
  } else {
    fields_ += fmt::format(" {}={}", key, value);
  }
  return *this;
}

Event::~Event() {
  if (!enabled_) return;
  auto level = ToSpd(level_);
  if (g_format == Format::kJson) {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    spdlog::log(level, "{{\"ts_ms\":{},\"level\":\"{}\",\"msg\":\"{}\"{}}}", ms, LevelName(level_),
                JsonEscape(message_), fields_);
  } else {
    spdlog::log(level, "{}{}", message_, fields_);
  }
}

}  // namespace pangolin::log
