// Fuzzes the text users source ("username:password" lines) from reading to the
// checked accounts, and that no problem ever quotes a password.
#include <cstddef>
#include <cstdint>

#include "users/text_format.hpp"
#include "users_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const auto domains = meetgate::fuzz::users_domains();

  const auto raw = meetgate::users::read_text_entries(content, "users.txt");
  const auto result = meetgate::users::parse_text_users(content, "users.txt", domains);

  meetgate::fuzz::check_load(result, raw, content);
  return 0;
}
