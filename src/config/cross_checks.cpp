#include "config/cross_checks.hpp"

#include <fmt/format.h>

#include "config/value_parsers.hpp"
#include "prosody/stringprep.hpp"
#include "users/password_rules.hpp"

namespace meetgate::config {
namespace {

void check_domains(const XmppSettings& xmpp, util::Problems& problems) {
  const std::pair<const char*, const std::string*> domains[] = {
      {"XMPP_DOMAIN", &xmpp.domain},
      {"XMPP_AUTH_DOMAIN", &xmpp.auth_domain},
      {"XMPP_GUEST_DOMAIN", &xmpp.guest_domain},
      {"XMPP_MUC_DOMAIN", &xmpp.muc_domain},
  };
  for (const auto& [name, value] : domains) {
    if (!is_valid_host_name(*value)) {
      problems.push_back({name, fmt::format("\"{}\" is not a valid host name", *value)});
    }
  }

  if (xmpp.enable_guests && xmpp.guest_domain == xmpp.domain) {
    problems.push_back({"XMPP_GUEST_DOMAIN",
                        fmt::format("equals XMPP_DOMAIN ({}): guests need their own anonymous "
                                    "host, e.g. guest.{}",
                                    xmpp.domain, xmpp.domain)});
  }
  if (xmpp.auth_domain == xmpp.domain) {
    problems.push_back(
        {"XMPP_AUTH_DOMAIN", fmt::format("equals XMPP_DOMAIN ({}): service accounts need their own "
                                         "host, e.g. auth.{}",
                                         xmpp.domain, xmpp.domain)});
  }
}

void check_auth(const Settings& settings, util::Problems& problems) {
  const XmppSettings& xmpp = settings.xmpp;
  if (xmpp.enable_guests && !xmpp.enable_auth) {
    problems.push_back({"ENABLE_GUESTS",
                        "is on while ENABLE_AUTH is off: guests only exist next to "
                        "authenticated users; set ENABLE_AUTH=1 or ENABLE_GUESTS=0"});
  }
  if (settings.users && !xmpp.enable_auth) {
    problems.push_back(
        {"MEETGATE_USERS", fmt::format("a users source is set while ENABLE_AUTH is off: {} is then "
                                       "anonymous and its accounts can never log in; set "
                                       "ENABLE_AUTH=1",
                                       xmpp.domain)});
  }
  // Written into Prosody's config: a provider name, nothing a Lua string could choke on.
  const auto& guest = xmpp.guest_auth_type;
  if (guest.empty() ||
      guest.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos) {
    problems.push_back({"PROSODY_GUEST_AUTH_TYPE",
                        "is not an authentication provider name (lower-case letters, digits, "
                        "'-' and '_'): use e.g. jitsi-anonymous or anonymous"});
  }
  if (xmpp.enable_auth && xmpp.auth_type != "internal") {
    problems.push_back(
        {"AUTH_TYPE", fmt::format("is \"{}\": meetgate manages Prosody's internal accounts "
                                  "only; use AUTH_TYPE=internal or do not run meetgate",
                                  xmpp.auth_type)});
  }
}

void check_service_passwords(const Settings& settings, util::Problems& problems) {
  if (!settings.service_accounts)
    return;

  const std::pair<const char*, const std::optional<std::string>*> passwords[] = {
      {"JICOFO_AUTH_PASSWORD", &settings.xmpp.jicofo_password},
      {"JVB_AUTH_PASSWORD", &settings.xmpp.jvb_password},
      {"JIGASI_XMPP_PASSWORD", &settings.xmpp.jigasi_password},
  };
  bool any = false;
  for (const auto& [name, password] : passwords) {
    if (password->has_value() && (*password)->empty()) {
      problems.push_back({name, "is empty: set the service password, or unset the variable"});
    }
    any = any || password->has_value();
  }
  if (!any) {
    problems.push_back({"MEETGATE_SERVICE_ACCOUNTS",
                        "is on but none of JICOFO_AUTH_PASSWORD, JVB_AUTH_PASSWORD, "
                        "JIGASI_XMPP_PASSWORD is set"});
  }
}

// Service accounts go through the same rules as users: a name Prosody would refuse or
// a password SASLprep refuses would otherwise fail at every reconcile, forever.
void check_service_accounts(const Settings& settings, util::Problems& problems) {
  for (const auto& account : settings.service_accounts_to_keep()) {
    const auto name = prosody::nodeprep(account.username);
    if (!name.ok()) {
      problems.push_back(
          {account.user_variable, fmt::format("username \"{}\" {}", account.username, name.error)});
    }
    if (auto why = users::check_password(account.password, account.username); !why.empty()) {
      problems.push_back({account.variable, why});
    }
  }
}

}  // namespace

void cross_check(const Settings& settings, util::Problems& problems) {
  check_domains(settings.xmpp, problems);
  check_auth(settings, problems);
  check_service_passwords(settings, problems);
  check_service_accounts(settings, problems);
}

}  // namespace meetgate::config
