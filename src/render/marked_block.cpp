// Finding meetgate's marker lines and swapping what is between them.
#include "render/marked_block.hpp"

#include <string>
#include <vector>

#include <fmt/format.h>

namespace meetgate::render {
namespace {

struct Line {
  size_t begin = 0;  // offset of the first byte
  size_t end = 0;    // offset after the line break (or the end of the text)
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t newline = text.find('\n', start);
    const size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back({start, end});
    start = end;
  }
  return lines;
}

// The line without its break and surrounding blanks.
std::string_view trimmed(std::string_view text, const Line& line) {
  auto content = text.substr(line.begin, line.end - line.begin);
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r' ||
                              content.back() == ' ' || content.back() == '\t'))
    content.remove_suffix(1);
  while (!content.empty() && (content.front() == ' ' || content.front() == '\t'))
    content.remove_prefix(1);
  return content;
}

std::string with_line_ending(std::string_view body, std::string_view eol) {
  std::string out;
  for (char c : body) {
    if (c == '\n')
      out += eol;
    else
      out += c;
  }
  return out;
}

}  // namespace

PatchResult replace_marked_block(std::string_view existing, std::string_view body,
                                 std::string_view comment_prefix) {
  const std::string begin_marker = fmt::format("{} {}", comment_prefix, kBlockBegin);
  const std::string end_marker = fmt::format("{} {}", comment_prefix, kBlockEnd);
  const auto lines = split_lines(existing);

  // Where the block is now: at most one begin, each followed by its end.
  std::vector<size_t> begins, ends;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto line = trimmed(existing, lines[i]);
    if (line == begin_marker)
      begins.push_back(i);
    else if (line == end_marker)
      ends.push_back(i);
  }
  if (begins.size() > 1 || ends.size() > 1)
    return {"", fmt::format("line {}: a second meetgate block: keep one and remove the other",
                            (begins.size() > 1 ? begins[1] : ends[1]) + 1)};
  if (begins.size() != ends.size() || (!begins.empty() && ends[0] < begins[0])) {
    const size_t at = begins.empty() ? ends[0] : begins[0];
    return {"", fmt::format("line {}: meetgate's block is not closed by \"{}\": restore the "
                            "marker or remove the block",
                            at + 1, begins.empty() ? begin_marker : end_marker)};
  }

  // The file's line break is its first line's. A file of one line ending in a lone
  // '\r' gets its '\n' below, and is CRLF from then on: take it as CRLF already, or
  // the next run would rewrite the block with other line breaks.
  const auto first_line = lines.empty() ? std::string_view{} : existing.substr(0, lines[0].end);
  const bool crlf =
      first_line.ends_with("\r\n") || (lines.size() == 1 && first_line.ends_with('\r'));
  const std::string_view eol = crlf ? "\r\n" : "\n";
  std::string block;
  if (!body.empty()) {
    block = begin_marker + std::string(eol) + with_line_ending(body, eol) + end_marker +
            std::string(eol);
  }

  if (begins.empty()) {
    if (block.empty())
      return {std::string(existing), ""};
    std::string text(existing);
    // A last line ended by a lone '\r' is completed to "\r\n", not given a second break.
    if (text.ends_with('\r'))
      text += '\n';
    else if (!text.empty() && text.back() != '\n')
      text += eol;
    return {text + block, ""};
  }
  const size_t from = lines[begins[0]].begin;
  const size_t to = lines[ends[0]].end;
  std::string text(existing.substr(0, from));
  text += block;
  text += existing.substr(to);
  return {text, ""};
}

}  // namespace meetgate::render
