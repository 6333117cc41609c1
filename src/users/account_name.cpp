// "user" and "user@domain" to a Prosody account: nodeprep for the user part, the
// deployment's domains for the host, and messages that say how to fix a wrong one.
#include "users/account_name.hpp"

#include <cstdio>

#include "prosody/stringprep.hpp"

#include "util/utf8.hpp"

namespace meetgate::users {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i]))
      return false;
  }
  return true;
}

// The configured host `domain` names, or the reason it names none users may have.
std::string resolve_domain(std::string_view domain, const Domains& domains, std::string& host) {
  if (domain.empty())
    return "domain after '@' is empty";
  if (equals_ignoring_case(domain, domains.main)) {
    host = domains.main;
    return "";
  }
  for (const auto& extra : domains.extra) {
    if (equals_ignoring_case(domain, extra)) {
      host = extra;
      return "";
    }
  }

  // The two domains a Jitsi operator is most likely to put a user on by mistake.
  if (!domains.auth.empty() && equals_ignoring_case(domain, domains.auth)) {
    return "user is on the auth domain " + domains.auth +
           " (service accounts only): put users on " + domains.main;
  }
  if (!domains.guest.empty() && equals_ignoring_case(domain, domains.guest)) {
    return "user is on the guest domain " + domains.guest +
           " (anonymous, accounts there can never log in): put users on " + domains.main;
  }

  std::string allowed = domains.main;
  for (const auto& extra : domains.extra)
    allowed += ", " + extra;
  return "unknown domain " + quote_name(domain) + " (allowed: " + allowed + ")";
}

std::string hex_escape(unsigned char c, const char* format) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, format, c);
  return buffer;
}

}  // namespace

AccountNameResult parse_account_name(std::string_view written, const Domains& domains) {
  // Split at the last '@': in "a@b@host" the user part "a@b" is what is wrong.
  const auto at = written.rfind('@');
  const std::string_view user = written.substr(0, at);
  AccountNameResult result;

  // Prosody stores the nodeprep'd name, so "Alice" is the account "alice".
  const auto prepared = prosody::nodeprep(user);
  if (user.empty()) {
    result.errors.emplace_back("username is empty");
  } else if (!prepared.ok()) {
    result.errors.push_back("username " + quote_name(written) + " " + prepared.error);
  }
  result.account.username = prepared.value;

  result.account.host = domains.main;
  if (at != std::string_view::npos) {
    auto error = resolve_domain(written.substr(at + 1), domains, result.account.host);
    if (!error.empty())
      result.errors.push_back(std::move(error));
  }
  return result;
}

std::string quote_name(std::string_view written) {
  std::string quoted = "\"";
  for (std::size_t i = 0; i < written.size();) {
    const auto c = static_cast<unsigned char>(written[i]);
    const std::size_t length = util::utf8_length_at(written, i);
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += written[i];
    } else if (length == 0 || c < 0x20 || c == 0x7f) {
      quoted += hex_escape(c, "\\x%02x");
    } else if (c == 0xc2 && static_cast<unsigned char>(written[i + 1]) < 0xa0) {
      // U+0080..U+009F: C1 controls, which some terminals act on.
      quoted += hex_escape(static_cast<unsigned char>(written[i + 1]), "\\u00%02x");
    } else {
      quoted.append(written.substr(i, length));
    }
    i += length == 0 ? 1 : length;
  }
  return quoted + "\"";
}

}  // namespace meetgate::users
