// Fuzzes the debian layout's jicofo target: a jicofo.conf (with one settings byte
// appended) is patched, and patching the result again must change nothing.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "render/jicofo_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const auto xmpp = meetgate::fuzz::xmpp_settings(input);
  const std::string original = input.ConsumeRemainingBytesAsString();

  meetgate::fuzz::check_idempotent(original, [&](std::string_view text) {
    return meetgate::render::patch_jicofo_config(text, xmpp);
  });
  return 0;
}
