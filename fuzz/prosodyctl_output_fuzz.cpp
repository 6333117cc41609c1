// Fuzzes the reading of what prosodyctl printed. The input is "<status>\0<password>\0
// <stdout>\0<stderr>": the status byte picks the operation, the exit code and whether
// a signal or timeout ended the call. Beyond "no crash": the reason is one line of at
// most 200 bytes, never holds the password, and is given exactly when the call failed.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "prosody/prosodyctl_output.hpp"

namespace {

using meetgate::fuzz::check;
using meetgate::fuzz::contains;

// The next '\0'-separated field; the last one takes the rest.
std::string_view next_field(std::string_view& rest) {
  const auto end = std::min(rest.find('\0'), rest.size());
  const auto field = rest.substr(0, end);
  rest.remove_prefix(std::min(end + 1, rest.size()));
  return field;
}

meetgate::util::ProcessResult process_result(std::uint8_t status, std::string_view out,
                                             std::string_view err) {
  meetgate::util::ProcessResult result;
  static const int kExitCodes[] = {0, 1, 2, -1};
  result.exit_code = kExitCodes[(status >> 2) & 3];
  result.term_signal = (status & 16) ? 9 : 0;
  result.timed_out = status & 32;
  result.out = out;
  result.err = err;
  return result;
}

// A password that shows in a reason only by a leak: it has a character none of the
// classifier's own sentences has.
bool is_telltale(std::string_view password) {
  return password.size() >= 4 && password.find_first_of("!$%&*~^|`") != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const auto header = next_field(rest);
  const std::uint8_t status = header.empty() ? 0 : static_cast<std::uint8_t>(header[0]);
  const auto password = next_field(rest);
  const auto out = next_field(rest);
  const auto err = rest;

  using meetgate::prosody::OperationKind;
  static const OperationKind kKinds[] = {OperationKind::kCreate, OperationKind::kUpdate,
                                         OperationKind::kDelete, OperationKind::kDelete};
  const auto result = meetgate::prosody::classify_prosodyctl(
      kKinds[status & 3], process_result(status, out, err), password,
      std::chrono::milliseconds(status & 64 ? 1500 : 0));

  check(result.ok == result.reason.empty(), "a failure without a reason, or a success with one");
  check(result.reason.size() <= 200, "a reason longer than 200 bytes");
  check(!contains(result.reason, "\n"), "a reason of more than one line");
  if (is_telltale(password))
    check(!contains(result.reason, password), "a reason quotes the password");
  return 0;
}
