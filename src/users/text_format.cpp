// The text users file. The password is everything after the first ':' to the line
// end, byte for byte, so passwords may hold ':', '#', '$', quotes and spaces.
#include "users/text_format.hpp"

#include <string>

namespace meetgate::users {
namespace {

constexpr std::string_view kByteOrderMark = "\xef\xbb\xbf";
constexpr std::string_view kBlanks = " \t";

std::string_view trim_blanks(std::string_view text) {
  const auto first = text.find_first_not_of(kBlanks);
  if (first == std::string_view::npos)
    return {};
  const auto last = text.find_last_not_of(kBlanks);
  return text.substr(first, last - first + 1);
}

// The next line without its terminator ("\n", or "\r\n" from Windows editors).
std::string_view next_line(std::string_view& rest) {
  const auto end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  return line;
}

}  // namespace

RawEntries read_text_entries(std::string_view content, std::string_view name) {
  if (content.starts_with(kByteOrderMark))
    content.remove_prefix(kByteOrderMark.size());

  RawEntries raw;
  for (std::size_t number = 1; !content.empty(); ++number) {
    const std::string_view line = next_line(content);
    const std::string_view trimmed = trim_blanks(line);
    if (trimmed.empty() || trimmed.front() == '#')
      continue;

    // Never quote the line: without a ':' there is no telling which part is a password.
    const std::string location = std::string(name) + ":" + std::to_string(number);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      raw.problems.push_back({location, "expected username:password but the line has no ':'"});
      continue;
    }

    raw.entries.push_back(RawEntry{std::string(trim_blanks(line.substr(0, colon))),
                                   std::string(line.substr(colon + 1)), location});
  }
  return raw;
}

}  // namespace meetgate::users
