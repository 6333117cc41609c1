// Hex digits, as Prosody writes them (file names, SCRAM keys) and reads them (either case).
#pragma once

namespace meetgate::util {

// The value of one hex digit of either case, or -1 when `c` is not one.
constexpr int hex_digit_value(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

}  // namespace meetgate::util
