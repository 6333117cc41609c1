// Tests for read_file and write_file_atomically on a real temp directory.
#include "util/file_io.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

using meetgate::util::read_file;
using meetgate::util::write_file_atomically;
using meetgate::util::WriteOptions;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "file-io-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempDir() {
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(path);
  }
  fs::path path;
};

void put(const fs::path& path, const std::string& content, mode_t mode = 0644) {
  std::ofstream(path) << content;
  ::chmod(path.c_str(), mode);
}

struct stat stat_of(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info;
}

size_t entries_in(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), {}));
}

// The message of the std::system_error that `action` throws.
template <typename Action>
std::string error_of(Action action) {
  try {
    action();
  } catch (const std::system_error& error) {
    return error.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("read_file returns the whole file") {
  TempDir dir;
  std::string content(200000, 'x');
  put(dir.path / "f", content + "end");

  CHECK(read_file(dir.path / "f") == content + "end");
}

TEST_CASE("read_file names the path and the reason") {
  TempDir dir;
  auto missing = dir.path / "missing";

  try {
    read_file(missing);
    FAIL("no exception");
  } catch (const std::system_error& error) {
    CHECK(std::string(error.what()) == "open " + missing.string() + ": no such file or directory");
    CHECK(error.code() == std::errc::no_such_file_or_directory);
  }
}

TEST_CASE("read_file of a directory fails") {
  TempDir dir;

  CHECK(error_of([&] { read_file(dir.path); }) == "read " + dir.path.string() + ": is a directory");
}

TEST_CASE("write_file_atomically creates a file with the given mode") {
  TempDir dir;
  auto path = dir.path / "config.js";
  WriteOptions options;
  options.mode = 0600;

  CHECK(write_file_atomically(path, "var x = 1;\n", options));

  CHECK(read_file(path) == "var x = 1;\n");
  CHECK((stat_of(path).st_mode & 07777) == 0600);
  CHECK(entries_in(dir.path) == 1);
}

TEST_CASE("write_file_atomically replaces a file and keeps its mode") {
  TempDir dir;
  auto path = dir.path / "jicofo.conf";
  put(path, "old\n", 0640);
  auto before = stat_of(path);

  CHECK(write_file_atomically(path, "new\n"));

  auto after = stat_of(path);
  CHECK(read_file(path) == "new\n");
  CHECK((after.st_mode & 07777) == 0640);
  CHECK(after.st_ino != before.st_ino);  // renamed into place, not rewritten
  CHECK(entries_in(dir.path) == 1);
}

TEST_CASE("write_file_atomically uses the options' mode when asked not to keep it") {
  TempDir dir;
  auto path = dir.path / "f";
  put(path, "old\n", 0640);
  WriteOptions options;
  options.mode = 0604;
  options.keep_existing_mode = false;

  write_file_atomically(path, "new\n", options);

  CHECK((stat_of(path).st_mode & 07777) == 0604);
}

TEST_CASE("write_file_atomically leaves an unchanged file alone") {
  TempDir dir;
  auto path = dir.path / "f";
  put(path, "same\n");
  timespec old_times[2] = {{1000000000, 0}, {1000000000, 0}};
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), old_times, 0) == 0);
  auto before = stat_of(path);

  CHECK_FALSE(write_file_atomically(path, "same\n"));

  auto after = stat_of(path);
  CHECK(after.st_mtim.tv_sec == 1000000000);
  CHECK(after.st_ino == before.st_ino);
}

TEST_CASE("write_file_atomically keeps the owner and sets a new file's owner as root") {
  if (::geteuid() != 0) {
    WARN("skipped: needs root to change owners");
    return;
  }
  TempDir dir;
  auto kept = dir.path / "kept";
  auto created = dir.path / "created";
  put(kept, "old\n");
  REQUIRE(::chown(kept.c_str(), 65534, 65534) == 0);
  WriteOptions options;
  options.owner = 65533;
  options.group = 65532;

  write_file_atomically(kept, "new\n", options);
  write_file_atomically(created, "new\n", options);

  CHECK(stat_of(kept).st_uid == 65534);
  CHECK(stat_of(kept).st_gid == 65534);
  CHECK(stat_of(created).st_uid == 65533);
  CHECK(stat_of(created).st_gid == 65532);
}

TEST_CASE("write_file_atomically writes through a symlink to its target") {
  TempDir dir;
  auto target = dir.path / "meet.cfg.lua";
  auto link = dir.path / "link.cfg.lua";
  put(target, "old\n");
  fs::create_symlink(target, link);

  write_file_atomically(link, "new\n");

  CHECK(fs::is_symlink(link));
  CHECK(read_file(target) == "new\n");
}

TEST_CASE("write_file_atomically refuses a directory and leaves it") {
  TempDir dir;
  auto path = dir.path / "sub";
  fs::create_directory(path);

  CHECK(error_of([&] { write_file_atomically(path, "x"); }) ==
        "write " + path.string() + ": is a directory");

  CHECK(fs::is_directory(path));
  CHECK(entries_in(dir.path) == 1);
}

TEST_CASE("write_file_atomically fails without a writable directory and keeps the file") {
  if (::geteuid() == 0) {
    WARN("skipped: root writes to read-only directories");
    return;
  }
  TempDir dir;
  auto path = dir.path / "f";
  put(path, "old\n");
  fs::permissions(dir.path, fs::perms::owner_read | fs::perms::owner_exec);

  CHECK(error_of([&] { write_file_atomically(path, "new\n"); }) ==
        "create temp file in " + dir.path.string() + ": permission denied");

  CHECK(read_file(path) == "old\n");
}

TEST_CASE("write_file_atomically failing mid-write keeps the old file and no temp file") {
  TempDir dir;
  auto path = dir.path / "f";
  put(path, "old\n");
  // A file size limit makes write() fail with EFBIG, even for root.
  rlimit old_limit{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old_limit;
  small.rlim_cur = 4096;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);

  auto error = error_of([&] { write_file_atomically(path, std::string(100000, 'x')); });

  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  ::signal(SIGXFSZ, old_handler);
  CHECK(error == "write " + path.string() + ": file too large");
  CHECK(read_file(path) == "old\n");
  CHECK(entries_in(dir.path) == 1);
}

TEST_CASE("a staged write changes nothing until committed, and nothing if dropped") {
  TempDir dir;
  auto path = dir.path / "jicofo.conf";
  put(path, "old\n");

  {
    meetgate::util::StagedWrite staged(path, "new\n");
    CHECK(staged.changes());
    CHECK(read_file(path) == "old\n");
    CHECK(entries_in(dir.path) == 2);  // the file and the staged temp file
  }

  CHECK(read_file(path) == "old\n");
  CHECK(entries_in(dir.path) == 1);
}

TEST_CASE("a committed staged write replaces the file; unchanged content stages nothing") {
  TempDir dir;
  auto path = dir.path / "jicofo.conf";
  put(path, "old\n", 0640);

  meetgate::util::StagedWrite staged(path, "new\n");
  staged.commit();
  meetgate::util::StagedWrite same(path, "new\n");

  CHECK(read_file(path) == "new\n");
  CHECK((stat_of(path).st_mode & 07777) == 0640);
  CHECK_FALSE(same.changes());
  CHECK(entries_in(dir.path) == 1);
}
