#include "reconcile/desired_state.hpp"

#include "prosody/stringprep.hpp"

namespace meetgate::reconcile {

std::vector<DesiredAccount> desired_accounts(const users::UsersSource* source,
                                             const config::Settings& settings) {
  std::vector<DesiredAccount> desired;
  if (source) {
    for (const auto& user : source->users) {
      desired.push_back({user.username, user.host, user.password, user.location, false});
    }
  }

  for (const auto& service : settings.service_accounts_to_keep()) {
    // Prosody stores the nodeprep'd name; settings checks already refused invalid ones.
    const auto name = prosody::nodeprep(service.username);
    desired.push_back({name.ok() ? name.value : service.username, settings.xmpp.auth_domain,
                       service.password, service.variable, true});
  }
  return desired;
}

users::Domains configured_domains(const config::Settings& settings) {
  return {settings.xmpp.domain, settings.xmpp.auth_domain, settings.xmpp.guest_domain, {}};
}

}  // namespace meetgate::reconcile
