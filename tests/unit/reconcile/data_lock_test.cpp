#include "reconcile/data_lock.hpp"

#include <filesystem>

#include <unistd.h>
#include <catch2/catch.hpp>

#include "util/file_io.hpp"

using namespace meetgate::reconcile;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const char* name) {
  auto dir = fs::temp_directory_path() / (std::string(name) + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("a second lock on one data directory waits, then says who holds it") {
  auto dir = temp_dir("meetgate-lock-");
  DataLock first(dir, std::chrono::milliseconds(0));

  CHECK_THROWS_WITH(DataLock(dir, std::chrono::milliseconds(200)),
                    (dir / kLockFileName).string() +
                        " is locked by another meetgate reconciling this data directory: stop "
                        "it, or wait");
  fs::remove_all(dir);
}

TEST_CASE("the lock is free again once released") {
  auto dir = temp_dir("meetgate-relock-");
  { DataLock first(dir, std::chrono::milliseconds(0)); }

  CHECK_NOTHROW(DataLock(dir, std::chrono::milliseconds(0)));
  fs::remove_all(dir);
}

TEST_CASE("a symlink planted as the lock file is refused, its target untouched") {
  auto dir = temp_dir("meetgate-lock-link-");
  meetgate::util::write_file_atomically(dir / "victim", "precious\n");
  fs::create_symlink(dir / "victim", dir / kLockFileName);

  CHECK_THROWS_WITH(DataLock(dir, std::chrono::milliseconds(0)),
                    Catch::StartsWith("open " + (dir / kLockFileName).string()));
  CHECK(meetgate::util::read_file(dir / "victim") == "precious\n");
  fs::remove_all(dir);
}

TEST_CASE("a stop ends the wait for a taken lock at once") {
  auto dir = temp_dir("meetgate-stoplock-");
  DataLock first(dir, std::chrono::milliseconds(0));
  std::stop_source stop;
  stop.request_stop();
  const auto started = std::chrono::steady_clock::now();

  CHECK_THROWS_AS(DataLock(dir, std::chrono::seconds(30), stop.get_token()), DataLock::Stopped);

  // The 30 s wait must not be waited out; 5 s bounds a slow, loaded machine.
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  fs::remove_all(dir);
}
