// Fuzzes the docker-jitsi-meet layout: meetgate's block (the web, jicofo or jigasi
// body rendered from the settings, or a body from the input) is put into an extension
// file; putting it into the result again must change nothing. The last two bytes pick
// the settings and the body; a body from the input comes from its front.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "render/jicofo_config.hpp"
#include "render/jigasi_properties.hpp"
#include "render/marked_block.hpp"
#include "render/web_config.hpp"

namespace {

struct Block {
  std::string body;
  std::string_view comment_prefix;
};

// A body of lines, each ending in '\n', as the block's contract asks, and without
// marker text, which no renderer writes and which would make the file two blocks.
std::optional<Block> body_from_input(FuzzedDataProvider& input, bool slashes) {
  std::string body = input.ConsumeRandomLengthString(256);
  if (!body.empty() && !body.ends_with('\n'))
    body += '\n';
  if (meetgate::fuzz::contains(body, "BEGIN meetgate") ||
      meetgate::fuzz::contains(body, "END meetgate"))
    return std::nullopt;
  return Block{body, slashes ? "//" : "#"};
}

std::optional<Block> block_from(FuzzedDataProvider& input) {
  using namespace meetgate::render;
  const auto xmpp = meetgate::fuzz::xmpp_settings(input);
  const auto choice = input.ConsumeIntegral<std::uint8_t>();
  switch (choice & 3) {
    case 0:
      return Block{web_block(xmpp), "//"};
    case 1:
      return Block{jicofo_block(xmpp), "#"};
    case 2:
      if (!jigasi_settings_problem(xmpp).empty())
        return std::nullopt;
      return Block{jigasi_block(xmpp, choice & 4), "#"};
    default:
      return body_from_input(input, choice & 4);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  const auto block = block_from(input);
  if (!block)
    return 0;
  const std::string existing = input.ConsumeRemainingBytesAsString();

  meetgate::fuzz::check_idempotent(existing, [&](std::string_view text) {
    return meetgate::render::replace_marked_block(text, block->body, block->comment_prefix);
  });
  return 0;
}
