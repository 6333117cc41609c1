// Reads the little meetgate needs from a Prosody config it did not write (the server's
// own /config/prosody.cfg.lua in the legacy layout): where the accounts are stored, and
// where its admin shell listens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace meetgate::prosody {

// The global `data_path = "..."` (or '...'), ignoring comments. nullopt when the config
// does not set it, or sets it from an expression meetgate cannot evaluate.
std::optional<std::string> read_data_path(std::string_view config_text);

// Any global option set to a plain string literal the same way: `admin_socket`,
// `admin_shell_prompt`.
std::optional<std::string> read_global_string(std::string_view config_text, std::string_view name);

}  // namespace meetgate::prosody
