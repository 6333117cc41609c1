#include "util/problem.hpp"

namespace meetgate::util {

std::string Problem::to_string() const {
  if (where.empty())
    return what;
  return where + ": " + what;
}

}  // namespace meetgate::util
