// Desired state: the users source plus, when enabled, the service accounts whose
// passwords the environment holds (docker-jitsi-meet never rotates those itself).
#pragma once

#include <vector>

#include "config/settings.hpp"
#include "reconcile/plan.hpp"
#include "users/users_source.hpp"

namespace meetgate::reconcile {

// `source` may be null (service accounts only).
std::vector<DesiredAccount> desired_accounts(const users::UsersSource* source,
                                             const config::Settings& settings);

// The users source's view of the configured domains.
users::Domains configured_domains(const config::Settings& settings);

}  // namespace meetgate::reconcile
