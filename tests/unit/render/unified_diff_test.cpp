// Tests for the --dry-run diff: exact hunks, and GNU patch applying what it prints.
#include "render/unified_diff.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using meetgate::render::unified_diff;

namespace {

constexpr const char* kPatch = "/usr/bin/patch";

// "1\n2\n...\n<count>\n"
std::string numbered_lines(int count) {
  std::string text;
  for (int i = 1; i <= count; ++i)
    text += std::to_string(i) + "\n";
  return text;
}

// A few lines from a small alphabet, so that random pairs share lines.
std::string random_text(std::mt19937& random) {
  std::string text;
  int lines = std::uniform_int_distribution<int>(0, 14)(random);
  for (int i = 0; i < lines; ++i) {
    text += static_cast<char>('a' + std::uniform_int_distribution<int>(0, 3)(random));
    text += "\n";
  }
  if (!text.empty() && std::uniform_int_distribution<int>(0, 2)(random) == 0)
    text.pop_back();
  return text;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

TEST_CASE("equal contents give no diff") {
  CHECK(unified_diff("", "", "x.conf") == "");
  CHECK(unified_diff("a\nb\n", "a\nb\n", "x.conf") == "");
}

TEST_CASE("added lines at the end show the context before them") {
  std::string diff = unified_diff("a\nb\nc\nd\n", "a\nb\nc\nd\ne\nf\n", "x.conf");

  CHECK(diff ==
        "--- a/x.conf\n"
        "+++ b/x.conf\n"
        "@@ -2,3 +2,5 @@\n"
        " b\n"
        " c\n"
        " d\n"
        "+e\n"
        "+f\n");
}

TEST_CASE("a changed line in the middle has three lines of context each side") {
  std::string after = numbered_lines(10);
  after.replace(after.find("5\n"), 2, "five\n");

  std::string diff = unified_diff(numbered_lines(10), after, "x.conf");

  CHECK(diff ==
        "--- a/x.conf\n"
        "+++ b/x.conf\n"
        "@@ -2,7 +2,7 @@\n"
        " 2\n 3\n 4\n"
        "-5\n"
        "+five\n"
        " 6\n 7\n 8\n");
}

TEST_CASE("a one-line file gives one-line ranges as GNU diff writes them") {
  CHECK(unified_diff("a\n", "b\n", "x.conf") ==
        "--- a/x.conf\n"
        "+++ b/x.conf\n"
        "@@ -1 +1 @@\n"
        "-a\n"
        "+b\n");
}

TEST_CASE("a new file is added against an empty range at line 0") {
  std::string diff = unified_diff("", "a\nb\n", "/config/custom-config.js");

  CHECK(diff ==
        "--- a/config/custom-config.js\n"
        "+++ b/config/custom-config.js\n"
        "@@ -0,0 +1,2 @@\n"
        "+a\n"
        "+b\n");
}

TEST_CASE("emptying a file removes every line down to line 0") {
  CHECK(unified_diff("a\nb\n", "", "x.conf") ==
        "--- a/x.conf\n"
        "+++ b/x.conf\n"
        "@@ -1,2 +0,0 @@\n"
        "-a\n"
        "-b\n");
}

TEST_CASE("a missing final newline is marked on the side that lacks it") {
  std::string diff = unified_diff("a\nb", "a\nb\n", "x.conf");

  CHECK(diff ==
        "--- a/x.conf\n"
        "+++ b/x.conf\n"
        "@@ -1,2 +1,2 @@\n"
        " a\n"
        "-b\n"
        "\\ No newline at end of file\n"
        "+b\n");
}

TEST_CASE("an unchanged last line without newline is marked as context") {
  std::string diff = unified_diff("a\nb\nc", "x\nb\nc", "x.conf");

  CHECK(diff ==
        "--- a/x.conf\n"
        "+++ b/x.conf\n"
        "@@ -1,3 +1,3 @@\n"
        "-a\n"
        "+x\n"
        " b\n"
        " c\n"
        "\\ No newline at end of file\n");
}

TEST_CASE("changes six lines apart share a hunk, seven apart do not") {
  std::string before = numbered_lines(20);
  std::string shared = before, split = before;
  shared.replace(shared.find("\n3\n"), 3, "\nthree\n");
  shared.replace(shared.find("\n10\n"), 4, "\nten\n");
  split.replace(split.find("\n3\n"), 3, "\nthree\n");
  split.replace(split.find("\n11\n"), 4, "\neleven\n");

  std::string one_hunk = unified_diff(before, shared, "x.conf");
  std::string two_hunks = unified_diff(before, split, "x.conf");

  CHECK(one_hunk.find("@@ -1,13 +1,13 @@\n") != std::string::npos);
  CHECK(two_hunks.find("@@ -1,6 +1,6 @@\n") != std::string::npos);
  CHECK(two_hunks.find("@@ -8,7 +8,7 @@\n 8\n 9\n 10\n-11\n+eleven\n 12\n 13\n 14\n") !=
        std::string::npos);
}

TEST_CASE("GNU patch turns before into after with every printed diff") {
  if (!fs::exists(kPatch)) {
    WARN("skipped: " << kPatch << " is not installed");
    return;
  }
  std::string pattern = (fs::temp_directory_path() / "meetgate-diff-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  fs::path dir = pattern;
  std::mt19937 random(20240611);

  for (int round = 0; round < 40; ++round) {
    std::string before = random_text(random), after = random_text(random);
    std::ofstream(dir / "target.conf", std::ios::binary) << before;
    std::ofstream(dir / "change.diff", std::ios::binary)
        << unified_diff(before, after, "target.conf");

    std::string command = std::string(kPatch) + " --quiet --batch -p1 -d '" + dir.string() +
                          "' -i '" + (dir / "change.diff").string() + "'";
    int status = before == after ? 0 : std::system(command.c_str());

    INFO("before:\n" << before << "\nafter:\n" << after);
    REQUIRE(status == 0);
    REQUIRE(read_all(dir / "target.conf") == after);
  }
  fs::remove_all(dir);
}
