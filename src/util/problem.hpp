// A problem found while checking input: where it is and what is wrong.
// Checks collect every problem before failing, so a user fixes all at once.
#pragma once

#include <string>
#include <vector>

namespace meetgate::util {

struct Problem {
  std::string where;  // "users.txt:12", "XMPP_DOMAIN", or empty when nowhere specific
  std::string what;   // lower case, no trailing period, never a secret

  // "where: what", or just "what" when `where` is empty.
  std::string to_string() const;
};

using Problems = std::vector<Problem>;

}  // namespace meetgate::util
