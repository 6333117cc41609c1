// One event per line on stderr, as text or JSON lines, with structured fields.
// Never pass a secret as a field: usernames and hosts are fine, passwords never.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace meetgate::log {

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kText, kJson };

struct Field {
  std::string_view key;
  std::string value;
  bool number = false;  // JSON writes it as a number

  Field(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  Field(std::string_view k, long long v) : key(k), value(std::to_string(v)), number(true) {}
  Field(std::string_view k, int v) : key(k), value(std::to_string(v)), number(true) {}
  Field(std::string_view k, long v) : key(k), value(std::to_string(v)), number(true) {}
  Field(std::string_view k, size_t v) : key(k), value(std::to_string(v)), number(true) {}
};

using Fields = std::initializer_list<Field>;

// Sets level and format for the process; "debug info warn error", "text json".
void configure(Level level, Format format);
Level parse_level(std::string_view name);
Format parse_format(std::string_view name);

bool enabled(Level level);

// Formats one line: "2026-12-03T13:20:00.123Z info account_created user=alice" or
// {"time":"...","level":"info","event":"account_created","user":"alice"}.
std::string format_line(Level level, std::string_view event, Fields fields, Format format,
                        std::string_view time);

// Writes one line to stderr, whole, even from several threads.
void write(Level level, std::string_view event, Fields fields);

inline void debug(std::string_view event, Fields fields = {}) {
  if (enabled(Level::kDebug))
    write(Level::kDebug, event, fields);
}
inline void info(std::string_view event, Fields fields = {}) {
  if (enabled(Level::kInfo))
    write(Level::kInfo, event, fields);
}
inline void warn(std::string_view event, Fields fields = {}) {
  if (enabled(Level::kWarn))
    write(Level::kWarn, event, fields);
}
inline void error(std::string_view event, Fields fields = {}) {
  if (enabled(Level::kError))
    write(Level::kError, event, fields);
}

}  // namespace meetgate::log
