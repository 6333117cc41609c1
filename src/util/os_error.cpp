#include "util/os_error.hpp"

#include <cctype>
#include <cstring>

namespace meetgate::util {

std::string os_reason(int error_number) {
  char buffer[256];
  std::string text = strerror_r(error_number, buffer, sizeof buffer);  // GNU variant
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

std::string os_reason(const std::error_code& error) {
  if (error.category() == std::generic_category() || error.category() == std::system_category()) {
    return os_reason(error.value());
  }
  std::string text = error.message();
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

}  // namespace meetgate::util
