// The OS reason for a failure, worded as our messages are: "permission denied".
#pragma once

#include <string>
#include <system_error>

namespace meetgate::util {

// strerror's text with a lower-case first letter.
std::string os_reason(int error_number);
std::string os_reason(const std::error_code& error);

}  // namespace meetgate::util
