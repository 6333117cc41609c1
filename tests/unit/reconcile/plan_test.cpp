#include "reconcile/plan.hpp"

#include <catch2/catch.hpp>

using namespace meetgate::reconcile;
using meetgate::config::Prune;
using meetgate::prosody::PasswordCheck;

namespace {

constexpr const char* kHost = "meet.jitsi";

// A plan input over one host, with the given desired users, existing accounts and
// managed accounts; every existing desired account matches unless listed in `differs`.
struct Scenario {
  std::vector<DesiredAccount> desired;
  ManagedState managed;
  PlanInput input;

  Scenario(std::vector<std::string> wanted, std::set<std::string> existing,
           std::set<std::string> managed_names, std::set<std::string> differs = {}) {
    for (const auto& name : wanted)
      desired.push_back({name, kHost, "pw-" + name, "f:1", false});
    for (const auto& name : managed_names)
      managed.add(kHost, name);
    input.desired = &desired;
    input.managed = &managed;
    input.current[kHost] = existing;
    input.protected_usernames = {"focus", "jvb"};
    input.user_hosts = {kHost};
    for (int i = 0; i < static_cast<int>(desired.size()); ++i) {
      if (existing.count(desired[i].username)) {
        input.checks[i] =
            differs.count(desired[i].username) ? PasswordCheck::kDiffers : PasswordCheck::kMatches;
      }
    }
  }
};

std::map<std::string, Action> actions(const Plan& plan) {
  std::map<std::string, Action> result;
  for (const auto& step : plan.steps)
    result[step.username] = step.action;
  return result;
}

}  // namespace

TEST_CASE("each case of the reconcile table gets its action") {
  Scenario scenario({"new", "changed", "same", "found"},
                    {"changed", "same", "found", "gone", "stranger", "focus"},
                    {"changed", "same", "gone", "focus"}, {"changed"});

  auto plan = make_plan(scenario.input);

  CHECK(actions(plan) == std::map<std::string, Action>{{"new", Action::kCreate},
                                                       {"changed", Action::kUpdate},
                                                       {"same", Action::kUnchanged},
                                                       {"found", Action::kAdopt},
                                                       {"gone", Action::kDelete},
                                                       {"stranger", Action::kLeave},
                                                       {"focus", Action::kLeave}});
}

TEST_CASE("an uncheckable record is updated, not trusted") {
  Scenario scenario({"odd"}, {"odd"}, {"odd"});
  scenario.input.checks[0] = PasswordCheck::kUnknownShape;

  auto plan = make_plan(scenario.input);

  CHECK(actions(plan).at("odd") == Action::kUpdate);
}

TEST_CASE("prune all deletes unmanaged accounts but never service accounts") {
  Scenario scenario({}, {"stranger", "focus", "jvb"}, {});
  scenario.input.prune = Prune::kAll;

  auto plan = make_plan(scenario.input);

  CHECK(actions(plan) == std::map<std::string, Action>{{"stranger", Action::kDelete},
                                                       {"focus", Action::kLeave},
                                                       {"jvb", Action::kLeave}});
}

TEST_CASE("prune all leaves hosts without users alone") {
  Scenario scenario({}, {}, {});
  scenario.input.prune = Prune::kAll;
  scenario.input.current["auth.meet.jitsi"] = {"helper"};

  auto plan = make_plan(scenario.input);

  CHECK(actions(plan).at("helper") == Action::kLeave);
}

TEST_CASE("prune none deletes nothing") {
  Scenario scenario({}, {"gone"}, {"gone"});
  scenario.input.prune = Prune::kNone;

  auto plan = make_plan(scenario.input);

  CHECK(actions(plan).at("gone") == Action::kLeave);
}

TEST_CASE("managed accounts deleted behind our back are forgotten") {
  Scenario scenario({}, {}, {"vanished"});

  auto plan = make_plan(scenario.input);

  CHECK(actions(plan).at("vanished") == Action::kForget);
  CHECK(plan.operations(scenario.desired).empty());
}

TEST_CASE("operations carry passwords for create and update only") {
  Scenario scenario({"new", "changed"}, {"changed", "gone"}, {"changed", "gone"}, {"changed"});

  auto operations = make_plan(scenario.input).operations(scenario.desired);

  REQUIRE(operations.size() == 3);
  CHECK(operations[0].username == "changed");
  CHECK(operations[0].kind == meetgate::prosody::OperationKind::kUpdate);
  CHECK(operations[0].password == "pw-changed");
  CHECK(operations[1].username == "gone");
  CHECK(operations[1].password.empty());
  CHECK(operations[2].username == "new");
  CHECK(operations[2].password == "pw-new");
}

TEST_CASE("the delete guard trips above the share of managed accounts") {
  Scenario scenario({"a", "b", "c", "d"}, {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"},
                    {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"});

  auto verdict = check_delete_guard(make_plan(scenario.input), 50, false);

  CHECK(verdict.tripped);
  CHECK(verdict.reason ==
        "the plan deletes 6 of 10 accounts (60% > MEETGATE_MAX_DELETE_PERCENT=50): nothing "
        "changed; check the users source, or run with --force");
}

TEST_CASE("the delete guard lets a delete within the share pass") {
  Scenario scenario({"a", "b", "c", "d", "e"}, {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"},
                    {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"});

  CHECK_FALSE(check_delete_guard(make_plan(scenario.input), 50, false).tripped);
}

TEST_CASE("an empty source never deletes without force") {
  Scenario scenario({}, {"a"}, {"a", "b"});

  auto verdict = check_delete_guard(make_plan(scenario.input), 100, true);

  CHECK(verdict.tripped);
  CHECK(verdict.reason ==
        "the users source is empty and the plan deletes 1 account(s): nothing changed; if that "
        "is really meant, run with --force");
}
