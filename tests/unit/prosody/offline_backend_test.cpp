// Tests for OfflineBackend: against a fake prosodyctl script that records its argv
// and stdin, and once against the real prosodyctl with a temp data directory.
#include "prosody/offline_backend.hpp"

#include <pwd.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "util/file_io.hpp"

using meetgate::prosody::AccountOperation;
using meetgate::prosody::OfflineBackend;
using meetgate::prosody::OperationKind;
using meetgate::prosody::OperationResult;
using meetgate::prosody::ProsodyctlSettings;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Acts by username: fail*, gone*, slow*, wait*, busy* (flags overlapping calls).
const char* const kFakeProsodyctl = R"(#!/bin/sh
dir=$(dirname "$0")
user=$4
printf '%s\n' "$@" >> "$dir/$user.argv"
cat >> "$dir/$user.stdin"
case "$user" in
  fail*) echo "The given hostname does not exist in the config"; exit 1 ;;
  gone*) echo "The given user does not exist on the server"; exit 1 ;;
  slow*) sleep 30 ;;
  wait*) sleep 0.5 ;;
  busy*) [ -e "$dir/$user.busy" ] && echo "$user" >> "$dir/overlaps"
         touch "$dir/$user.busy"; sleep 0.2; rm "$dir/$user.busy" ;;
esac
echo "$user" >> "$dir/finished"
)";

struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "offline-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

// A temp dir holding the fake prosodyctl, and settings that run it.
struct FakeProsodyctl {
  FakeProsodyctl() {
    program = dir.path / "prosodyctl";
    std::ofstream(program) << kFakeProsodyctl;
    fs::permissions(program, fs::perms::owner_all);
    settings.program = program.string();
    settings.config = dir.path / "prosody.cfg.lua";
    settings.timeout = 10s;
  }

  std::string recorded(const std::string& name) const {
    return fs::exists(dir.path / name) ? meetgate::util::read_file(dir.path / name) : "";
  }

  TempDir dir;
  fs::path program;
  ProsodyctlSettings settings;
};

AccountOperation op(OperationKind kind, std::string user, std::string password = {}) {
  return {kind, std::move(user), "meet.test", std::move(password)};
}

const auto kCreate = OperationKind::kCreate;
const auto kUpdate = OperationKind::kUpdate;
const auto kDelete = OperationKind::kDelete;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("register gets the password twice on stdin and never in argv") {
  FakeProsodyctl fake;
  OfflineBackend backend(fake.settings);

  auto results = backend.apply({op(kCreate, "alice", "s3cret pw:#")}, {});

  REQUIRE(results.size() == 1);
  CHECK(results[0].ok);
  CHECK(fake.recorded("alice.argv") ==
        "--config\n" + fake.settings.config.string() + "\nregister\nalice\nmeet.test\n");
  CHECK(fake.recorded("alice.stdin") == "s3cret pw:#\ns3cret pw:#\n");
  CHECK(backend.calls() == 1);
}

TEST_CASE("update is a register and delete an unregister with empty stdin") {
  FakeProsodyctl fake;
  OfflineBackend backend(fake.settings);

  auto results = backend.apply({op(kUpdate, "bob", "pw"), op(kDelete, "carol")}, {});

  CHECK(results[0].ok);
  CHECK(results[1].ok);
  CHECK(fake.recorded("bob.argv").find("\nregister\nbob\n") != std::string::npos);
  CHECK(fake.recorded("carol.argv").find("\nunregister\ncarol\n") != std::string::npos);
  CHECK(fake.recorded("carol.stdin").empty());
}

TEST_CASE("results come in input order and on_done sees each once") {
  FakeProsodyctl fake;
  fake.settings.jobs = 4;
  OfflineBackend backend(fake.settings);
  std::vector<std::string> done;

  auto results = backend.apply({op(kCreate, "wait1", "pw"), op(kCreate, "fail1", "pw"),
                                op(kDelete, "gone1"), op(kCreate, "dave", "pw")},
                               [&](const AccountOperation& operation, const OperationResult&) {
                                 done.push_back(operation.username);
                               });

  REQUIRE(results.size() == 4);
  CHECK(results[0].ok);
  CHECK_FALSE(results[1].ok);
  CHECK(results[1].reason == "The given hostname does not exist in the config");
  CHECK(results[2].ok);  // already gone
  CHECK(results[3].ok);
  REQUIRE(done.size() == 4);
  CHECK(done.back() == "wait1");
  CHECK(backend.calls() == 4);
}

TEST_CASE("jobs above one run prosodyctl calls in parallel") {
  FakeProsodyctl fake;
  fake.settings.jobs = 4;
  OfflineBackend backend(fake.settings);
  std::vector<AccountOperation> operations;
  for (int i = 0; i < 4; ++i)
    operations.push_back(op(kCreate, "wait" + std::to_string(i), "pw"));
  auto start = std::chrono::steady_clock::now();

  auto results = backend.apply(operations, {});

  CHECK(seconds_since(start) < 1.5);  // one at a time would take 2 s
  for (const auto& result : results)
    CHECK(result.ok);
}

TEST_CASE("one account's operations never overlap, even with many jobs") {
  FakeProsodyctl fake;
  fake.settings.jobs = 3;
  OfflineBackend backend(fake.settings);

  auto results =
      backend.apply({op(kCreate, "busy", "a"), op(kUpdate, "busy", "b"), op(kDelete, "busy")}, {});

  for (const auto& result : results)
    CHECK(result.ok);
  CHECK(fake.recorded("overlaps").empty());
  CHECK(fake.recorded("busy.stdin") == "a\na\nb\nb\n");
  auto argv = fake.recorded("busy.argv");
  auto first = argv.find("\nregister\n");
  auto last = argv.find("\nunregister\n");
  CHECK(first < last);
}

TEST_CASE("a call that hangs times out without holding up the others") {
  FakeProsodyctl fake;
  fake.settings.jobs = 2;
  fake.settings.timeout = 300ms;
  OfflineBackend backend(fake.settings);
  auto start = std::chrono::steady_clock::now();

  auto results = backend.apply({op(kCreate, "slow1", "pw"), op(kCreate, "erin", "pw")}, {});

  CHECK(seconds_since(start) < 5);
  CHECK_FALSE(results[0].ok);
  CHECK(results[0].reason == "prosodyctl timed out after 300ms");
  CHECK(results[1].ok);
}

TEST_CASE("a missing prosodyctl fails every operation with the reason") {
  ProsodyctlSettings settings;
  settings.program = "/nonexistent/prosodyctl";
  settings.config = "/etc/prosody/prosody.cfg.lua";
  OfflineBackend backend(settings);

  auto results = backend.apply({op(kCreate, "alice", "pw"), op(kDelete, "bob")}, {});

  for (const auto& result : results) {
    CHECK_FALSE(result.ok);
    CHECK(result.reason == "cannot run /nonexistent/prosodyctl: no such file or directory");
  }
}

TEST_CASE("operations prosodyctl would get wrong are refused without a call") {
  FakeProsodyctl fake;
  OfflineBackend backend(fake.settings);

  auto results = backend.apply({op(kCreate, "", "pw"), op(kUpdate, "frank", "two\nlines")}, {});

  CHECK(results[0].reason == "refusing an empty username");
  CHECK(results[1].reason == "refusing a password with a line break");
  CHECK(backend.calls() == 0);
}

TEST_CASE("a relative config path is made absolute") {
  FakeProsodyctl fake;
  fake.settings.config = "relative.cfg.lua";
  OfflineBackend backend(fake.settings);

  backend.apply({op(kDelete, "gina")}, {});

  auto expected = (fs::current_path() / "relative.cfg.lua").string();
  CHECK(fake.recorded("gina.argv") == "--config\n" + expected + "\nunregister\ngina\nmeet.test\n");
}

TEST_CASE("a throwing on_done does not stop the other operations") {
  FakeProsodyctl fake;
  fake.settings.jobs = 2;
  OfflineBackend backend(fake.settings);
  auto throwing = [](const AccountOperation&, const OperationResult&) {
    throw std::runtime_error("callback failed");
  };

  CHECK_THROWS_WITH(
      backend.apply({op(kCreate, "h1", "pw"), op(kCreate, "h2", "pw"), op(kCreate, "h3", "pw")},
                    throwing),
      "callback failed");

  CHECK(backend.calls() == 3);
}

TEST_CASE("the real prosodyctl creates, updates and deletes an account file") {
  const passwd* prosody_user = ::getpwnam("prosody");
  if (::geteuid() != 0 || !fs::exists("/usr/bin/prosodyctl") || prosody_user == nullptr) {
    WARN("skipped: needs root, /usr/bin/prosodyctl and the prosody user");
    return;
  }
  // prosodyctl switches to the prosody user: it must reach and own the data dir.
  TempDir dir;
  fs::permissions(dir.path, fs::perms(0755));
  auto data = dir.path / "data";
  fs::create_directories(data);
  fs::create_directories(dir.path / "certs");
  REQUIRE(::chown(data.c_str(), prosody_user->pw_uid, prosody_user->pw_gid) == 0);
  auto config = dir.path / "prosody.cfg.lua";
  std::ofstream(config) << "data_path = \"" << data.string() << "\"\n"
                        << "VirtualHost \"meet.test\"\n  authentication = \"internal_hashed\"\n";
  ProsodyctlSettings settings;
  settings.program = "/usr/bin/prosodyctl";
  settings.config = config;
  settings.jobs = 2;
  OfflineBackend backend(settings);
  auto account = data / "meet%2etest" / "accounts" / "alice.dat";

  auto created = backend.apply({op(kCreate, "alice", "first pw"), op(kCreate, "ida", "x")}, {});
  REQUIRE(created[0].ok);
  REQUIRE(created[1].ok);
  REQUIRE(fs::exists(account));
  auto first = meetgate::util::read_file(account);
  struct stat info {};
  ::stat(account.c_str(), &info);
  auto updated = backend.apply({op(kUpdate, "alice", "second pw")}, {});
  auto second = meetgate::util::read_file(account);
  auto deleted = backend.apply({op(kDelete, "alice"), op(kCreate, "bob", "pw")}, {});
  auto absent = backend.apply({op(kDelete, "alice")}, {});
  auto wrong_host = backend.apply({{kCreate, "carl", "nohost.test", "pw"}}, {});

  CHECK(info.st_uid == prosody_user->pw_uid);
  CHECK(updated[0].ok);
  CHECK(first != second);  // new salt and keys
  CHECK(deleted[0].ok);
  CHECK_FALSE(fs::exists(account));
  CHECK(absent[0].ok);
  CHECK_FALSE(wrong_host[0].ok);
  CHECK(wrong_host[0].reason == "The given hostname does not exist in the config");
  CHECK(fs::exists(data / "meet%2etest" / "accounts" / "bob.dat"));
  CHECK(backend.calls() == 7);
}
