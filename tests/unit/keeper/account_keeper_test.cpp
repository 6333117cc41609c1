// AccountKeeper with a recording backend over a copy of a real data directory.
#include "keeper/account_keeper.hpp"

#include <pwd.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/fake_backend.hpp"

using namespace meetgate;
using keeper::PassResult;
using keeper::Trigger;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr const char* kHost = "meet.example";

// A data directory holding alice (password "pw") and a users file beside it.
struct Setup {
  fs::path root;
  config::Settings settings;
  test::FakeBackend backend;
  http::Health health{1min};
  http::MeetgateMetrics metrics;

  Setup() {
    std::string pattern = (fs::temp_directory_path() / "meetgate-keeper-XXXXXX").string();
    root = ::mkdtemp(pattern.data());
    fs::copy(fs::path(MEETGATE_TEST_DATA) / "prosody" / "data", root / "data",
             fs::copy_options::recursive);
    settings.xmpp.domain = kHost;
    settings.users = root / "users.txt";
    own_as_prosody_would(root / "data");
  }

  // As root, meetgate insists that the data directory belongs to the prosody user
  // (prosodyctl writes as that user); as anyone else, our own copy is fine.
  static void own_as_prosody_would(const fs::path& data) {
    const passwd* prosody = ::getpwnam("prosody");
    if (::geteuid() != 0 || prosody == nullptr)
      return;
    for (const auto& entry : fs::recursive_directory_iterator(data))
      REQUIRE(::lchown(entry.path().c_str(), prosody->pw_uid, prosody->pw_gid) == 0);
    REQUIRE(::lchown(data.c_str(), prosody->pw_uid, prosody->pw_gid) == 0);
  }
  ~Setup() { fs::remove_all(root); }

  void write_users(const std::string& content) {
    std::ofstream(root / "users.txt", std::ios::binary | std::ios::trunc) << content;
  }

  keeper::AccountKeeper keeper(const fs::path& data = {}) {
    return {settings, data.empty() ? root / "data" : data, backend, health, metrics};
  }
};

}  // namespace

TEST_CASE("a missing source is not ready and touches nothing") {
  Setup setup;
  auto keeper = setup.keeper();

  CHECK(keeper.pass(Trigger::kStart, {}) == PassResult::kSourceMissing);
  CHECK(keeper.pass(Trigger::kResync, {}) == PassResult::kSourceMissing);

  CHECK(setup.backend.seen.empty());
  CHECK(setup.health.readiness().reason.find("users source missing") == 0);
  CHECK(setup.metrics.render().find("meetgate_source_errors_total 1\n") != std::string::npos);
}

TEST_CASE("a change event with the content already applied does nothing") {
  Setup setup;
  setup.write_users("zoe:zoe pw\n");
  auto keeper = setup.keeper();
  REQUIRE(keeper.pass(Trigger::kStart, {}) == PassResult::kApplied);
  REQUIRE(setup.health.readiness().ok);

  setup.write_users("# a comment\nzoe:zoe pw\n");

  CHECK(keeper.pass(Trigger::kChange, {}) == PassResult::kNoChange);
  CHECK(setup.backend.seen.size() == 1);
}

TEST_CASE("an invalid source keeps the last good state and is not ready") {
  Setup setup;
  setup.write_users("zoe:zoe pw\n");
  auto keeper = setup.keeper();
  REQUIRE(keeper.pass(Trigger::kStart, {}) == PassResult::kApplied);

  setup.write_users("zoe:zoe pw\nzoe:other\n");

  CHECK(keeper.pass(Trigger::kChange, {}) == PassResult::kSourceInvalid);
  CHECK(setup.backend.seen.size() == 1);
  const auto readiness = setup.health.readiness();
  CHECK_FALSE(readiness.ok);
  CHECK(readiness.reason.find("users source invalid") == 0);
}

TEST_CASE("a missing data directory is retried and blocks readiness") {
  Setup setup;
  setup.write_users("zoe:zoe pw\n");
  auto keeper = setup.keeper(setup.root / "not-yet");

  CHECK(keeper.pass(Trigger::kStart, {}) == PassResult::kRetry);
  CHECK(setup.backend.seen.empty());
  CHECK(setup.health.readiness().reason.find("waiting for Prosody's data directory") == 0);

  fs::create_directory(setup.root / "not-yet");
  Setup::own_as_prosody_would(setup.root / "not-yet");
  CHECK(keeper.pass(Trigger::kRetry, {}) == PassResult::kApplied);
  CHECK(setup.health.readiness().ok);
}

TEST_CASE("failed operations are retried, a converged pass is not") {
  Setup setup;
  setup.write_users("zoe:zoe pw\n");
  setup.backend.failing = {"zoe"};
  auto keeper = setup.keeper();

  CHECK(keeper.pass(Trigger::kStart, {}) == PassResult::kRetry);
  CHECK_FALSE(setup.health.readiness().ok);

  setup.backend.failing.clear();
  CHECK(keeper.pass(Trigger::kRetry, {}) == PassResult::kApplied);
  CHECK(setup.metrics.render().find("meetgate_managed_accounts 1\n") != std::string::npos);
}

TEST_CASE("a plan the delete guard refuses is not applied and not ready") {
  Setup setup;
  setup.write_users("alice:pw\nzoe:zoe pw\n");
  auto keeper = setup.keeper();
  REQUIRE(keeper.pass(Trigger::kStart, {}) == PassResult::kApplied);
  setup.backend.seen.clear();

  setup.write_users("# everyone gone\n");

  CHECK(keeper.pass(Trigger::kChange, {}) == PassResult::kRefused);
  CHECK(setup.backend.seen.empty());
  CHECK(setup.health.readiness().reason.find("delete guard") == 0);
  CHECK(setup.metrics.render().find("meetgate_delete_guard_trips_total 1\n") != std::string::npos);
}
