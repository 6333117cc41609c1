#include "reconcile/reconciler.hpp"

#include <filesystem>
#include <fstream>
#include <optional>
#include <stop_token>

#include <unistd.h>
#include <catch2/catch.hpp>

#include "reconcile/data_lock.hpp"
#include "reconcile/managed_state.hpp"
#include "support/fake_backend.hpp"

using namespace meetgate::reconcile;
namespace fs = std::filesystem;
using meetgate::prosody::AccountOperation;
using meetgate::prosody::OperationKind;
using meetgate::prosody::OperationResult;

using meetgate::test::FakeBackend;

namespace {

constexpr const char* kHost = "meet.example";

// A copy of the real prosodyctl-written data directory (alice's password is "pw",
// carol's "correct horse: battery staple").
struct DataDir {
  fs::path path;
  DataDir() {
    path = fs::temp_directory_path() / ("meetgate-reconcile-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::copy(fs::path(MEETGATE_TEST_DATA) / "prosody" / "data", path, fs::copy_options::recursive);
  }
  ~DataDir() { fs::remove_all(path); }
};

meetgate::config::Settings settings() {
  meetgate::config::Settings settings;
  settings.xmpp.domain = kHost;
  settings.jobs = 2;
  return settings;
}

DesiredAccount user(const std::string& name, const std::string& password) {
  return {name, kHost, password, "users.txt:1", false};
}

std::string read_account_record(const fs::path& data, const std::string& name) {
  std::ifstream file(data / "meet%2eexample" / "accounts" / (name + ".dat"), std::ios::binary);
  return {std::istreambuf_iterator<char>(file), {}};
}

}  // namespace

TEST_CASE("matching passwords are adopted without a call, others updated or created") {
  DataDir data;
  FakeBackend backend;
  auto config = settings();
  std::vector<DesiredAccount> desired = {user("alice", "pw"), user("carol", "new password"),
                                         user("zoe", "zoe pw")};

  auto report = Reconciler(config, data.path, backend).run({&desired});

  CHECK(report.adopted == 1);
  CHECK(report.updated == 1);
  CHECK(report.created == 1);
  CHECK(report.left == 4);  // ann.smith, bob, eve, jörg: never managed, left alone
  REQUIRE(backend.seen.size() == 2);
  CHECK(backend.seen[0].username == "carol");
  CHECK(backend.seen[1].username == "zoe");
  auto managed = load_managed_state(data.path);
  CHECK(managed.count(kHost) == 3);
}

TEST_CASE("a second run of the same desired state makes no call") {
  DataDir data;
  FakeBackend backend;
  auto config = settings();
  std::vector<DesiredAccount> desired = {user("alice", "pw")};
  Reconciler(config, data.path, backend).run({&desired});

  auto report = Reconciler(config, data.path, backend).run({&desired});

  CHECK(report.unchanged == 1);
  CHECK(report.calls == 0);
  CHECK(backend.seen.empty());
}

TEST_CASE("dry run plans but calls nothing and writes nothing") {
  DataDir data;
  FakeBackend backend;
  auto config = settings();
  std::vector<DesiredAccount> desired = {user("zoe", "zoe pw")};

  auto report = Reconciler(config, data.path, backend).run({&desired, false, true});

  CHECK(report.plan.count(Action::kCreate) == 1);
  CHECK(backend.seen.empty());
  CHECK_FALSE(fs::exists(data.path / kStateFileName));
  CHECK_FALSE(fs::exists(data.path / kLockFileName));
}

TEST_CASE("a failed create is not recorded as managed, the others still apply") {
  DataDir data;
  FakeBackend backend;
  backend.failing = {"zoe"};
  auto config = settings();
  std::vector<DesiredAccount> desired = {user("zoe", "a"), user("yan", "b")};

  auto report = Reconciler(config, data.path, backend).run({&desired});

  CHECK(report.failed == 1);
  CHECK(report.created == 1);
  CHECK_FALSE(report.converged());
  REQUIRE(report.failures.size() == 1);
  CHECK(report.failures[0].to_string() == "zoe@meet.example: refused by the fake");
  auto managed = load_managed_state(data.path);
  CHECK(managed.contains(kHost, "yan"));
  CHECK_FALSE(managed.contains(kHost, "zoe"));
}

TEST_CASE("the delete guard stops the whole plan unless forced") {
  DataDir data;
  FakeBackend backend;
  auto config = settings();
  std::vector<DesiredAccount> everyone = {user("alice", "pw"), user("bob", "pässwörd ñ")};
  Reconciler(config, data.path, backend).run({&everyone});
  std::vector<DesiredAccount> nobody_but_new = {user("zoe", "z")};

  auto refused = Reconciler(config, data.path, backend).run({&nobody_but_new});
  CHECK(refused.guard.tripped);
  CHECK(backend.seen.empty());

  auto forced = Reconciler(config, data.path, backend).run({&nobody_but_new, false, false, true});
  CHECK(forced.deleted == 2);
  CHECK(forced.created == 1);
  CHECK(load_managed_state(data.path).hosts().at(kHost) == std::set<std::string>{"zoe"});
}

TEST_CASE("a stop during apply skips the rest and records only what ran") {
  DataDir data;
  FakeBackend backend;
  backend.stop_after = 1;
  auto config = settings();
  std::vector<DesiredAccount> desired = {user("xia", "a"), user("yan", "b"), user("zoe", "c")};
  ReconcileRequest request{&desired};
  request.stop = backend.stop_source.get_token();

  auto report = Reconciler(config, data.path, backend).run(request);

  CHECK(report.created == 1);
  CHECK(report.skipped == 2);
  CHECK(report.stopped);
  CHECK_FALSE(report.converged());
  CHECK(report.failed == 0);
  auto managed = load_managed_state(data.path);
  CHECK(managed.contains(kHost, "xia"));
  CHECK_FALSE(managed.contains(kHost, "yan"));
  CHECK_FALSE(managed.contains(kHost, "zoe"));
}

TEST_CASE("a stop before planning changes nothing") {
  DataDir data;
  FakeBackend backend;
  auto config = settings();
  std::vector<DesiredAccount> desired = {user("zoe", "c")};
  std::stop_source stop;
  stop.request_stop();
  ReconcileRequest request{&desired};
  request.stop = stop.get_token();

  auto report = Reconciler(config, data.path, backend).run(request);

  CHECK(report.stopped);
  CHECK(report.plan.steps.empty());
  CHECK(backend.seen.empty());
  CHECK_FALSE(fs::exists(data.path / kStateFileName));
}

TEST_CASE("verified passwords remember matches across runs and follow the record") {
  DataDir data;
  FakeBackend backend;
  auto config = settings();
  VerifiedPasswords verified;
  std::vector<DesiredAccount> desired = {user("alice", "pw"), user("carol", "wrong")};
  ReconcileRequest request{&desired};
  request.verified = &verified;

  Reconciler(config, data.path, backend).run(request);

  // Only alice matched; carol's differing password is not remembered.
  CHECK(verified.size() == 1);
  CHECK(verified.matches(desired[0], read_account_record(data.path, "alice")));
  CHECK_FALSE(verified.matches(desired[0], "a changed record"));
  CHECK_FALSE(verified.matches(user("alice", "other"), read_account_record(data.path, "alice")));

  std::vector<DesiredAccount> fewer = {user("carol", "wrong")};
  verified.retain(fewer);
  CHECK(verified.size() == 0);
}
