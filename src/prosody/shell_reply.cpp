// Splits `prosodyctl shell` output into replies and notes, line by line.
#include "prosody/shell_reply.hpp"

#include <algorithm>

namespace meetgate::prosody {
namespace {

constexpr size_t kMaxNotes = 8;

// How mod_admin_shell words a success (0.12 and 13): "OK: <message>" when the command
// returned a message, else "Result: <value>"; nil and false are failures there too.
bool is_success(std::string_view text) {
  if (text.starts_with("OK:"))
    return true;
  if (!text.starts_with("Result: "))
    return false;
  text.remove_prefix(8);
  return text != "nil" && text != "false";
}

bool is_reply(std::string_view text) {
  return text.starts_with("OK:") || text.starts_with("Result: ");
}

}  // namespace

ShellReplyReader::ShellReplyReader(std::string prompt) : prompt_(std::move(prompt)) {}

std::vector<ShellReply> ShellReplyReader::feed(std::string_view bytes) {
  std::vector<ShellReply> replies;
  while (!bytes.empty()) {
    const size_t end = bytes.find('\n');
    if (end == std::string_view::npos) {
      partial_.append(bytes);
      break;
    }
    partial_.append(bytes.substr(0, end));
    bytes.remove_prefix(end + 1);
    read_line(partial_, replies);
    partial_.clear();
  }
  return replies;
}

void ShellReplyReader::read_line(std::string_view line, std::vector<ShellReply>& replies) {
  if (line.ends_with('\r'))
    line.remove_suffix(1);
  while (!prompt_.empty() && line.starts_with(prompt_))
    line.remove_prefix(prompt_.size());

  if (line.starts_with("! ")) {
    replies.push_back({false, std::string(line.substr(2))});
  } else if (line.starts_with("| ")) {
    // Command output before the reply is not a reply.
    if (is_reply(line.substr(2)))
      replies.push_back({is_success(line.substr(2)), std::string(line.substr(2))});
  } else if (notes_.size() < kMaxNotes && line.starts_with("** ")) {
    notes_.emplace_back(line.substr(3));
  } else if (notes_.size() < kMaxNotes && line == "--- session closed ---") {
    notes_.emplace_back("the server closed the admin session");
  }
}

std::string ShellReplyReader::notes() const {
  std::string joined;
  for (const auto& note : notes_) {
    if (!joined.empty())
      joined += "; ";
    joined += note;
  }
  return joined;
}

}  // namespace meetgate::prosody
