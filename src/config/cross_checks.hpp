// Checks between settings that are each valid alone but wrong together: the mistakes
// operators hit in practice with docker-jitsi-meet's .env.
#pragma once

#include "config/settings.hpp"

namespace meetgate::config {

void cross_check(const Settings& settings, util::Problems& problems);

}  // namespace meetgate::config
