// Fuzzes the reader of Prosody's account records (<host>/accounts/<user>.dat): any
// bytes give a record or an error, never both, and never a crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "prosody/account_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);

  const auto parse = meetgate::prosody::parse_account_file(content);

  meetgate::fuzz::check(parse.record.has_value() == parse.error.empty(),
                        "an account record together with an error, or neither");
  return 0;
}
