// Tests for OnlineBackend and ShellSession against a fake prosodyctl that talks like
// Prosody's admin shell: a prompt before each line read, one reply line per command.
#include "prosody/online_backend.hpp"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "util/file_io.hpp"

using meetgate::prosody::AccountOperation;
using meetgate::prosody::OnlineBackend;
using meetgate::prosody::OperationKind;
using meetgate::prosody::OperationResult;
using meetgate::prosody::ShellSettings;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Replies by the name at the start of the JID: exists*, missing*, taken*, gone*, fail*,
// die* (the server goes away), slow* (no reply). Writes a history line at end of input
// when `history-on` exists, as prosodyctl with readline would.
const char* const kFakeShell = R"(#!/bin/sh
dir=$(dirname "$0")
printf '%s\n' "$@" > "$dir/argv"
env > "$dir/env"
if [ -e "$dir/refuse" ]; then
  echo "** Unable to connect to server - is it running? Is mod_admin_shell enabled?"
  echo "** Connection error: No such file or directory"
  exit 1
fi
printf 'certmanager         error\tError indexing certificate directory\n'
while printf 'prosody> ' && IFS= read -r line; do
  printf '%s\n' "$line" >> "$dir/stdin"
  case "$line" in
    'user:create("exists'*|'user:create("taken'*) echo '! Error: User exists' ;;
    'user:password("missing'*|'user:password("taken'*) echo '! Error: No such user' ;;
    'user:delete("gone'*) echo '! Error: No such user' ;;
    *'("fail'*) echo '! Error: Could not create user: disk full' ;;
    *'("die'*) echo '--- session closed ---'; exit 0 ;;
    *'("slow'*) sleep 30 ;;
    *) echo '| OK: done' ;;
  esac
done
[ -e "$dir/history-on" ] && printf 'user:create("x", "secret")\n' >> "$dir/data/.shell_history"
echo
)";

struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "online-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

struct FakeShell {
  FakeShell() {
    fs::create_directory(dir.path / "data");
    std::ofstream(dir.path / "prosodyctl") << kFakeShell;
    fs::permissions(dir.path / "prosodyctl", fs::perms::owner_all);
    settings.program = (dir.path / "prosodyctl").string();
    settings.config = dir.path / "prosody.cfg.lua";
    settings.data_path = dir.path / "data";
    settings.timeout = 10s;
  }

  std::string recorded(const std::string& name) const {
    return fs::exists(dir.path / name) ? meetgate::util::read_file(dir.path / name) : "";
  }
  void touch(const std::string& name) const { std::ofstream(dir.path / name) << ""; }

  TempDir dir;
  ShellSettings settings;
};

AccountOperation op(OperationKind kind, std::string user, std::string password = {}) {
  return {kind, std::move(user), "meet.test", std::move(password)};
}

const auto kCreate = OperationKind::kCreate;
const auto kUpdate = OperationKind::kUpdate;
const auto kDelete = OperationKind::kDelete;

std::vector<std::string> reasons(const std::vector<OperationResult>& results) {
  std::vector<std::string> out;
  for (const auto& result : results)
    out.push_back(result.skipped ? "skipped" : result.ok ? "ok" : result.reason);
  return out;
}

}  // namespace

TEST_CASE("one shell session gets every command on stdin, escaped") {
  FakeShell fake;
  OnlineBackend backend(fake.settings);

  auto results = backend.apply({op(kCreate, "alice", "s3cret pw"),
                                op(kUpdate, "bob", "n\xe2\x82\xac"), op(kDelete, "carol")},
                               {});

  CHECK(reasons(results) == std::vector<std::string>{"ok", "ok", "ok"});
  CHECK(backend.sessions() == 1);
  CHECK(fake.recorded("stdin") ==
        "user:create(\"alice\\064meet\\046test\", \"s3cret\\032pw\")\n"
        "user:password(\"bob\\064meet\\046test\", \"n\\226\\130\\172\")\n"
        "user:delete(\"carol\\064meet\\046test\")\n");
}

TEST_CASE("passwords reach the shell on stdin only, and readline is kept out") {
  FakeShell fake;
  OnlineBackend backend(fake.settings);

  backend.apply({op(kCreate, "alice", "s3cret-pw")}, {});

  CHECK(fake.recorded("argv") ==
        "--config\n" + fake.settings.config.string() + "\nshell\n--quiet\n");
  const std::string env = fake.recorded("env");
  CHECK(env.find("s3cret") == std::string::npos);
  CHECK(env.find("LUA_INIT=package.preload[\"readline\"] = function() error(") !=
        std::string::npos);
}

TEST_CASE("one failure does not stop the batch; each result is reported once, in order") {
  FakeShell fake;
  OnlineBackend backend(fake.settings);
  std::vector<std::string> done;

  auto results =
      backend.apply({op(kCreate, "alice", "a"), op(kCreate, "fail1", "f-pw"), op(kDelete, "dave")},
                    [&](const AccountOperation& operation, const OperationResult&) {
                      done.push_back(operation.username);
                    });

  CHECK(reasons(results) ==
        std::vector<std::string>{"ok", "Could not create user: disk full", "ok"});
  CHECK(done == std::vector<std::string>{"alice", "fail1", "dave"});
}

TEST_CASE(
    "a create of an existing account sets its password; an update of a missing one "
    "creates it") {
  FakeShell fake;
  OnlineBackend backend(fake.settings);

  auto results = backend.apply({op(kCreate, "exists1", "p1"), op(kUpdate, "missing1", "p2")}, {});

  CHECK(reasons(results) == std::vector<std::string>{"ok", "ok"});
  CHECK(fake.recorded("stdin") ==
        "user:create(\"exists1\\064meet\\046test\", \"p1\")\n"
        "user:password(\"missing1\\064meet\\046test\", \"p2\")\n"
        "user:password(\"exists1\\064meet\\046test\", \"p1\")\n"
        "user:create(\"missing1\\064meet\\046test\", \"p2\")\n");
}

TEST_CASE("a second conflict fails instead of going round") {
  FakeShell fake;
  OnlineBackend backend(fake.settings);

  auto results = backend.apply({op(kCreate, "taken", "p")}, {});

  CHECK(reasons(results) == std::vector<std::string>{"No such user"});
}

TEST_CASE("deleting an account that is already gone reaches the goal") {
  FakeShell fake;
  OnlineBackend backend(fake.settings);

  auto results = backend.apply({op(kDelete, "gone1")}, {});

  CHECK(results[0].ok);
}

TEST_CASE("a session that ends mid-batch fails the operations it did not answer") {
  FakeShell fake;
  OnlineBackend backend(fake.settings);

  auto batch = backend.run(
      {op(kCreate, "alice", "a"), op(kCreate, "die", "d"), op(kCreate, "bob", "b")}, {});
  auto results = backend.apply({op(kCreate, "alice", "a"), op(kCreate, "die", "d")}, {});

  CHECK(batch.results[0].ok);
  CHECK(batch.unanswered == std::vector<size_t>{1, 2});
  CHECK(batch.end_reason == "the server closed the admin session");
  CHECK(reasons(results) ==
        std::vector<std::string>{"ok",
                                 "no answer from prosodyctl shell: the server closed the "
                                 "admin session"});
}

TEST_CASE("a shell that cannot connect fails everything in its own words") {
  FakeShell fake;
  fake.touch("refuse");
  OnlineBackend backend(fake.settings);

  auto results = backend.apply({op(kCreate, "alice", "a"), op(kDelete, "bob")}, {});

  for (const auto& result : results) {
    CHECK_FALSE(result.ok);
    CHECK(result.reason ==
          "no answer from prosodyctl shell: Unable to connect to server - is it running? Is "
          "mod_admin_shell enabled?; Connection error: No such file or directory");
  }
}

TEST_CASE("a shell that stops answering is given up after the timeout") {
  FakeShell fake;
  fake.settings.timeout = 300ms;
  OnlineBackend backend(fake.settings);
  const auto start = std::chrono::steady_clock::now();

  auto results = backend.apply({op(kCreate, "slow1", "a"), op(kCreate, "alice", "b")}, {});

  CHECK(std::chrono::steady_clock::now() - start < 5s);
  CHECK(reasons(results) ==
        std::vector<std::string>{"no answer from prosodyctl shell: prosodyctl shell gave no "
                                 "answer within 300ms",
                                 "no answer from prosodyctl shell: prosodyctl shell gave no "
                                 "answer within 300ms"});
}

TEST_CASE("after a stop nothing new is sent: what was sent finishes, the rest is skipped") {
  FakeShell fake;
  OnlineBackend backend(fake.settings);
  std::stop_source stop;
  std::vector<AccountOperation> operations;
  for (int i = 0; i < 20; ++i)
    operations.push_back(op(kCreate, "user" + std::to_string(i), "pw"));

  auto results = backend.apply(
      operations, [&](const AccountOperation&, const OperationResult&) { stop.request_stop(); },
      stop.get_token());

  // Eight commands were on their way when the first reply asked for the stop.
  size_t ok = 0;
  size_t skipped = 0;
  for (const auto& result : results) {
    ok += result.ok;
    skipped += result.skipped;
  }
  CHECK(ok == 8);
  CHECK(skipped == 12);
  CHECK(results[19].reason == "not started: meetgate is stopping");
  const std::string sent = fake.recorded("stdin");
  CHECK(std::count(sent.begin(), sent.end(), '\n') == 8);
}

TEST_CASE("operations the server would get wrong never reach the shell") {
  FakeShell fake;
  OnlineBackend backend(fake.settings);

  auto results = backend.apply({op(kCreate, "", "pw"), {kDelete, "bob", "", ""}}, {});

  CHECK(reasons(results) ==
        std::vector<std::string>{"refusing an empty username", "refusing an empty host"});
  CHECK(backend.sessions() == 0);
}

TEST_CASE("a missing prosodyctl fails every online operation with the reason") {
  ShellSettings settings;
  settings.program = "/nonexistent/prosodyctl";
  settings.config = "/etc/prosody/prosody.cfg.lua";
  OnlineBackend backend(settings);

  auto results = backend.apply({op(kCreate, "alice", "pw")}, {});

  CHECK(reasons(results) ==
        std::vector<std::string>{"no answer from prosodyctl shell: cannot run "
                                 "/nonexistent/prosodyctl: no such file or directory"});
}

TEST_CASE("a history file the shell wrote anyway is put back as it was") {
  FakeShell fake;
  fake.touch("history-on");
  std::ofstream(fake.dir.path / "data" / ".shell_history") << "server:version()\n";
  OnlineBackend backend(fake.settings);

  backend.apply({op(kCreate, "alice", "pw")}, {});

  CHECK(fake.recorded("data/.shell_history") == "server:version()\n");
}

TEST_CASE("a history file the shell created anyway is removed") {
  FakeShell fake;
  fake.touch("history-on");
  OnlineBackend backend(fake.settings);

  backend.apply({op(kCreate, "alice", "pw")}, {});

  CHECK_FALSE(fs::exists(fake.dir.path / "data" / ".shell_history"));
}

TEST_CASE("a history file that is a symlink is neither followed nor replaced") {
  FakeShell fake;
  std::ofstream(fake.dir.path / "elsewhere") << "not ours\n";
  fs::create_symlink(fake.dir.path / "elsewhere", fake.dir.path / "data" / ".shell_history");
  OnlineBackend backend(fake.settings);

  backend.apply({op(kCreate, "alice", "pw")}, {});

  CHECK(fs::is_symlink(fake.dir.path / "data" / ".shell_history"));
}
