// Tests for AutoBackend: the admin socket decides online or offline, and a session
// that dies mid-batch hands the rest to the offline backend. A fake prosodyctl plays
// both the shell and register/unregister.
#include "prosody/auto_backend.hpp"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>

#include "util/file_io.hpp"

using meetgate::prosody::AccountOperation;
using meetgate::prosody::AutoBackend;
using meetgate::prosody::OperationKind;
using meetgate::prosody::OperationResult;
using meetgate::prosody::ProsodyctlSettings;
using meetgate::prosody::ShellSettings;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// The shell records each line in `online` and dies at a die* user; register and
// unregister record "register USER" in `offline`.
const char* const kFakeProsodyctl = R"(#!/bin/sh
dir=$(dirname "$0")
if [ "$3" != shell ]; then
  echo "$3 $4" >> "$dir/offline"
  cat > /dev/null
  exit 0
fi
while printf 'prosody> ' && IFS= read -r line; do
  printf '%s\n' "$line" >> "$dir/online"
  case "$line" in
    *'("die'*) echo '--- session closed ---'; exit 0 ;;
    *) echo '| OK: done' ;;
  esac
done
)";

struct Fixture {
  Fixture() {
    std::string pattern = (fs::temp_directory_path() / "auto-XXXXXX").string();
    dir = mkdtemp(pattern.data());
    std::ofstream(dir / "prosodyctl") << kFakeProsodyctl;
    fs::permissions(dir / "prosodyctl", fs::perms::owner_all);
    shell.program = offline.program = (dir / "prosodyctl").string();
    shell.config = offline.config = dir / "prosody.cfg.lua";
    shell.timeout = offline.timeout = 10s;
    offline.jobs = 2;
  }
  ~Fixture() {
    if (listener >= 0)
      ::close(listener);
    fs::remove_all(dir);
  }

  // A server listening on the admin socket.
  void listen() {
    listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, socket().c_str());
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 4) == 0);
  }

  fs::path socket() const { return dir / "prosody.sock"; }
  AutoBackend backend() const { return AutoBackend(shell, offline, socket()); }
  std::string recorded(const std::string& name) const {
    return fs::exists(dir / name) ? meetgate::util::read_file(dir / name) : "";
  }

  fs::path dir;
  ShellSettings shell;
  ProsodyctlSettings offline;
  int listener = -1;
};

AccountOperation create(std::string user) {
  return {OperationKind::kCreate, std::move(user), "meet.test", "pw"};
}

bool all_ok(const std::vector<OperationResult>& results) {
  return std::all_of(results.begin(), results.end(), [](const auto& r) { return r.ok; });
}

}  // namespace

TEST_CASE("auto goes offline while the admin socket does not answer") {
  Fixture fixture;
  AutoBackend backend = fixture.backend();

  auto results = backend.apply({create("alice"), create("bob")}, {});

  CHECK(all_ok(results));
  CHECK(std::string(backend.name()) == "offline");
  CHECK(fixture.recorded("online").empty());
  CHECK(fixture.recorded("offline").find("register alice\n") != std::string::npos);
}

TEST_CASE("auto goes online while the admin socket answers") {
  Fixture fixture;
  fixture.listen();
  AutoBackend backend = fixture.backend();

  auto results = backend.apply({create("alice"), create("bob")}, {});

  CHECK(all_ok(results));
  CHECK(std::string(backend.name()) == "online");
  CHECK(fixture.recorded("online") ==
        "user:create(\"alice\\064meet\\046test\", \"pw\")\n"
        "user:create(\"bob\\064meet\\046test\", \"pw\")\n");
  CHECK(fixture.recorded("offline").empty());
}

TEST_CASE("what a session that died left unanswered is done offline") {
  Fixture fixture;
  fixture.listen();
  AutoBackend backend = fixture.backend();
  std::vector<std::string> done;

  auto results = backend.apply({create("alice"), create("die"), create("bob")},
                               [&](const AccountOperation& operation, const OperationResult&) {
                                 done.push_back(operation.username);
                               });

  CHECK(all_ok(results));
  CHECK(std::string(backend.name()) == "offline");
  const std::string offline = fixture.recorded("offline");
  CHECK(offline.find("register die\n") != std::string::npos);
  CHECK(offline.find("register bob\n") != std::string::npos);
  CHECK(offline.find("alice") == std::string::npos);
  CHECK(done.size() == 3);
}

TEST_CASE("while stopping, nothing is handed to the offline backend") {
  Fixture fixture;
  fixture.listen();
  AutoBackend backend = fixture.backend();
  std::stop_source stop;

  auto results = backend.apply(
      {create("alice"), create("die"), create("bob")},
      [&](const AccountOperation&, const OperationResult&) { stop.request_stop(); },
      stop.get_token());

  CHECK(results[0].ok);
  CHECK_FALSE(results[1].ok);
  CHECK(results[1].reason ==
        "no answer from prosodyctl shell: the server closed the admin session");
  CHECK(fixture.recorded("offline").empty());
}

TEST_CASE("nothing to do starts nothing") {
  Fixture fixture;
  AutoBackend backend = fixture.backend();

  CHECK(backend.apply({}, {}).empty());
  CHECK(std::string(backend.name()) == "auto");
}
