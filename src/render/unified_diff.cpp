// Unified diff for `render --dry-run`: dtl finds the shortest edit script, and the hunks
// are built here, because dtl's own unified output numbers an empty side as line 1, can
// split hunks that share context, and knows nothing of a missing final newline.
#include "render/unified_diff.hpp"

#include <dtl/dtl.hpp>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace meetgate::render {
namespace {

constexpr std::size_t kContext = 3;

enum class Op { kKeep, kRemove, kAdd };

struct Edit {
  Op op;
  std::string line;  // with its '\n', unless it is a last line that has none
};

// Lines keep their terminator, so "x" and "x\n" differ and a lost or gained final
// newline shows up as a changed last line, as GNU diff reports it.
std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::size_t length = end == std::string_view::npos ? text.size() : end + 1;
    lines.emplace_back(text.substr(0, length));
    text.remove_prefix(length);
  }
  return lines;
}

// dtl may interleave additions and removals inside one changed run; readers (and
// every other diff tool) expect the removals of a run first.
void order_changed_runs(std::vector<Edit>& edits) {
  auto run_begin = edits.begin();
  while (run_begin != edits.end()) {
    auto run_end =
        std::find_if(run_begin, edits.end(), [](const Edit& edit) { return edit.op == Op::kKeep; });
    std::stable_partition(run_begin, run_end,
                          [](const Edit& edit) { return edit.op == Op::kRemove; });
    run_begin = run_end == edits.end() ? run_end : run_end + 1;
  }
}

std::vector<Edit> edit_script(std::string_view before, std::string_view after) {
  dtl::Diff<std::string, std::vector<std::string>> diff(split_lines(before), split_lines(after));
  diff.compose();

  std::vector<Edit> edits;
  for (const auto& [line, info] : diff.getSes().getSequence()) {
    Op op = info.type == dtl::SES_ADD      ? Op::kAdd
            : info.type == dtl::SES_DELETE ? Op::kRemove
                                           : Op::kKeep;
    edits.push_back({op, line});
  }
  order_changed_runs(edits);
  return edits;
}

// "start,count" as GNU diff writes it: the count is left out when it is 1, and an
// empty range starts at the line before it (0 for an empty file).
std::string range(std::size_t lines_before, std::size_t count) {
  if (count == 0)
    return std::to_string(lines_before) + ",0";
  if (count == 1)
    return std::to_string(lines_before + 1);
  return std::to_string(lines_before + 1) + "," + std::to_string(count);
}

void append_line(std::string& out, char prefix, const std::string& line) {
  out += prefix;
  out += line;
  if (!line.ends_with('\n'))
    out += "\n\\ No newline at end of file\n";
}

// One hunk over edits [first, last], which include their context.
void append_hunk(std::string& out, const std::vector<Edit>& edits, std::size_t first,
                 std::size_t last) {
  std::size_t old_before = 0, new_before = 0;
  for (std::size_t i = 0; i < first; ++i) {
    old_before += edits[i].op != Op::kAdd;
    new_before += edits[i].op != Op::kRemove;
  }

  std::size_t old_count = 0, new_count = 0;
  std::string body;
  for (std::size_t i = first; i <= last; ++i) {
    old_count += edits[i].op != Op::kAdd;
    new_count += edits[i].op != Op::kRemove;
    char prefix = edits[i].op == Op::kKeep ? ' ' : edits[i].op == Op::kAdd ? '+' : '-';
    append_line(body, prefix, edits[i].line);
  }

  out +=
      "@@ -" + range(old_before, old_count) + " +" + range(new_before, new_count) + " @@\n" + body;
}

// Changes closer than two contexts share one hunk, so no line is printed twice.
void append_hunks(std::string& out, const std::vector<Edit>& edits) {
  std::vector<std::size_t> changes;
  for (std::size_t i = 0; i < edits.size(); ++i) {
    if (edits[i].op != Op::kKeep)
      changes.push_back(i);
  }

  std::size_t group_begin = 0;
  for (std::size_t c = 1; c <= changes.size(); ++c) {
    bool group_ends = c == changes.size() || changes[c] - changes[c - 1] > 2 * kContext + 1;
    if (!group_ends)
      continue;
    std::size_t first = changes[group_begin] - std::min(changes[group_begin], kContext);
    std::size_t last = std::min(changes[c - 1] + kContext, edits.size() - 1);
    append_hunk(out, edits, first, last);
    group_begin = c;
  }
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after, std::string_view path) {
  if (before == after)
    return "";

  // An absolute path would read "a//config/x"; git drops the leading '/' as well.
  while (path.starts_with('/'))
    path.remove_prefix(1);
  std::string out = "--- a/" + std::string(path) + "\n+++ b/" + std::string(path) + "\n";
  append_hunks(out, edit_script(before, after));
  return out;
}

}  // namespace meetgate::render
