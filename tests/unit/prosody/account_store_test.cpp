// Tests for listing a host's accounts from Prosody's storage: a data directory
// prosodyctl wrote, and temporary ones with scratch files, odd names and bad files.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

#include "prosody/account_store.hpp"

namespace fs = std::filesystem;
using meetgate::prosody::AccountStore;
using meetgate::prosody::StoredAccount;
using meetgate::util::Problems;

namespace {

const fs::path kDataPath = fs::path(MEETGATE_TEST_DATA) / "prosody" / "data";

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

ino_t inode_of(const fs::path& file) {
  struct stat status {};
  REQUIRE(stat(file.c_str(), &status) == 0);
  return status.st_ino;
}

void write(const fs::path& file, const std::string& content) {
  std::ofstream(file, std::ios::binary) << content;
}

std::vector<std::string> usernames(const std::vector<StoredAccount>& accounts) {
  std::vector<std::string> names;
  for (const auto& account : accounts) {
    names.push_back(account.username);
  }
  return names;
}

// A data directory with an accounts directory for meet.example, removed afterwards.
// World-traversable so the permission test can read it as nobody.
class TempDataPath {
 public:
  TempDataPath() {
    char name[] = "/tmp/meetgate-account-store-XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    path_ = name;
    fs::create_directories(accounts());
    for (const auto& dir : {path_, path_ / "meet%2eexample", accounts()}) {
      fs::permissions(dir, fs::perms(0755));
    }
  }
  ~TempDataPath() { fs::remove_all(path_); }

  const fs::path& path() const { return path_; }
  fs::path accounts() const { return path_ / "meet%2eexample" / "accounts"; }

 private:
  fs::path path_;
};

// Root reads any file: drop to nobody for as long as this lives (the test program
// is single-threaded, and the saved set-user-ID lets us come back).
class WithoutRoot {
 public:
  WithoutRoot() : dropped_(geteuid() == 0 && seteuid(65534) == 0) {}
  ~WithoutRoot() {
    if (dropped_) {
      REQUIRE(seteuid(0) == 0);
    }
  }

 private:
  bool dropped_;
};

}  // namespace

TEST_CASE("lists the accounts prosodyctl wrote, sorted, with decoded names") {
  AccountStore store(kDataPath);
  Problems problems;

  auto accounts = store.list("meet.example", problems);

  CHECK(problems.empty());
  CHECK(usernames(accounts) ==
        std::vector<std::string>{"alice", "ann.smith", "bob", "carol", "eve", "jörg"});
  const StoredAccount& ann = accounts[1];
  CHECK(ann.file == kDataPath / "meet%2eexample" / "accounts" / "ann%2esmith.dat");
  CHECK(ann.content == slurp(ann.file));
  CHECK(ann.read_error.empty());
  CHECK(ann.identity.size == static_cast<off_t>(ann.content.size()));
  CHECK(ann.identity.inode == inode_of(ann.file));
}

TEST_CASE("the accounts directory is under the encoded host name") {
  AccountStore store("/var/lib/prosody");

  CHECK(store.accounts_dir("meet.jitsi") == "/var/lib/prosody/meet%2ejitsi/accounts");
}

TEST_CASE("a host without an accounts directory has no accounts") {
  AccountStore store(kDataPath);
  Problems problems;

  auto accounts = store.list("nobody.example", problems);

  CHECK(accounts.empty());
  CHECK(problems.empty());
}

TEST_CASE("skips scratch files and other files, reports names prosody cannot write") {
  TempDataPath data;
  for (const char* name : {"alice.dat", "alice.dat~", "notes.txt", "bad%zz.dat", "x%41.dat"}) {
    write(data.accounts() / name, "return {};\n");
  }
  AccountStore store(data.path());
  Problems problems;

  auto accounts = store.list("meet.example", problems);

  CHECK(usernames(accounts) == std::vector<std::string>{"alice"});
  REQUIRE(problems.size() == 2);
  std::sort(problems.begin(), problems.end(),
            [](const auto& a, const auto& b) { return a.where < b.where; });
  CHECK(problems[0].where == (data.accounts() / "bad%zz.dat").string());
  CHECK(problems[0].what == "not an account file name prosody writes, ignored");
  CHECK(problems[1].where == (data.accounts() / "x%41.dat").string());
}

TEST_CASE("an unreadable account is listed with the reason") {
  TempDataPath data;
  fs::path file = data.accounts() / "bob.dat";
  write(file, "return {};\n");
  fs::permissions(file, fs::perms::none);
  AccountStore store(data.path());
  Problems problems;

  std::vector<StoredAccount> accounts;
  {
    WithoutRoot nobody;
    accounts = store.list("meet.example", problems);
  }

  REQUIRE(accounts.size() == 1);
  CHECK(accounts[0].username == "bob");
  CHECK(accounts[0].content.empty());
  CHECK(accounts[0].read_error == "open " + file.string() + ": permission denied");
  CHECK(problems.empty());
}

TEST_CASE("a record that is not a regular file is listed with the reason") {
  TempDataPath data;
  fs::create_directory(data.accounts() / "dir.dat");
  REQUIRE(mkfifo((data.accounts() / "fifo.dat").c_str(), 0600) == 0);
  AccountStore store(data.path());
  Problems problems;

  auto accounts = store.list("meet.example", problems);

  REQUIRE(usernames(accounts) == std::vector<std::string>{"dir", "fifo"});
  CHECK(accounts[0].read_error ==
        "open " + (data.accounts() / "dir.dat").string() + ": not a regular file");
  CHECK(accounts[1].read_error ==
        "open " + (data.accounts() / "fifo.dat").string() + ": not a regular file");
}

// A listing that fails must not look like "no accounts": the plan would forget them.
TEST_CASE("an accounts path that cannot be listed is an error, not an empty list") {
  TempDataPath data;
  fs::remove(data.accounts());
  write(data.accounts(), "");
  AccountStore store(data.path());
  Problems problems;

  CHECK_THROWS_WITH(store.list("meet.example", problems),
                    "read directory " + data.accounts().string() + ": not a directory");
}

TEST_CASE("the identity changes when prosody replaces a record, not when it is read again") {
  TempDataPath data;
  fs::path file = data.accounts() / "alice.dat";
  write(file, "return { salt = \"one\" };\n");
  AccountStore store(data.path());
  Problems problems;
  auto first = store.list("meet.example", problems);

  auto again = store.list("meet.example", problems);
  write(data.accounts() / "alice.dat~", "return { salt = \"two\" };\n");
  fs::rename(data.accounts() / "alice.dat~", file);
  auto replaced = store.list("meet.example", problems);

  CHECK(again[0].identity == first[0].identity);
  CHECK(replaced[0].identity != first[0].identity);
  CHECK(replaced[0].content == "return { salt = \"two\" };\n");
}

TEST_CASE("one account's record is read by its name, a missing one is nothing") {
  AccountStore store(kDataPath);

  const auto record = store.read_record("meet.example", "jörg");

  REQUIRE(record);
  CHECK(*record == slurp(kDataPath / "meet%2eexample" / "accounts" / "j%c3%b6rg.dat"));
  CHECK_FALSE(store.read_record("meet.example", "nobody"));
}
