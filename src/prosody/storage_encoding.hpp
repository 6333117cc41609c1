// Prosody's file-name encoding for hosts and users in internal storage:
// every byte outside [A-Za-z0-9] becomes %xx in lower-case hex.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace meetgate::prosody {

std::string encode_storage_name(std::string_view name);

// Inverse of encode_storage_name; nullopt for a malformed escape.
std::optional<std::string> decode_storage_name(std::string_view encoded);

}  // namespace meetgate::prosody
