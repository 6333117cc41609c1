#include "log/logger.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace meetgate::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::atomic<Format> g_format{Format::kText};
std::mutex g_write_mutex;

const char* level_name(Level level) {
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

std::string now_utc() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

// Text values are quoted when they would otherwise be ambiguous to a reader or grep.
std::string text_value(std::string_view value) {
  const bool plain = !value.empty() && value.find_first_of(" \t\"=\n\r\\") == value.npos;
  if (plain)
    return std::string(value);
  return nlohmann::json(std::string(value))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void configure(Level level, Format format) {
  g_level = level;
  g_format = format;
}

Level parse_level(std::string_view name) {
  if (name == "debug")
    return Level::kDebug;
  if (name == "warn")
    return Level::kWarn;
  if (name == "error")
    return Level::kError;
  return Level::kInfo;
}

Format parse_format(std::string_view name) {
  return name == "json" ? Format::kJson : Format::kText;
}

bool enabled(Level level) {
  return level >= g_level.load(std::memory_order_relaxed);
}

std::string format_line(Level level, std::string_view event, Fields fields, Format format,
                        std::string_view time) {
  if (format == Format::kJson) {
    nlohmann::ordered_json line;
    line["time"] = time;
    line["level"] = level_name(level);
    line["event"] = event;
    for (const auto& field : fields) {
      auto& slot = line[std::string(field.key)];
      if (field.number) {
        slot = nlohmann::ordered_json::parse(field.value);
      } else {
        slot = field.value;
      }
    }
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  std::string line = fmt::format("{} {} {}", time, level_name(level), event);
  for (const auto& field : fields) {
    line += fmt::format(" {}={}", field.key, text_value(field.value));
  }
  return line;
}

void write(Level level, std::string_view event, Fields fields) {
  std::string line = format_line(level, event, fields, g_format.load(), now_utc());
  line += '\n';

  std::lock_guard lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace meetgate::log
