#include "init/process_table.hpp"

#include <catch2/catch.hpp>

using namespace meetgate::init;

namespace {

const std::filesystem::path kFakeProc = std::filesystem::path(MEETGATE_TEST_DATA) / "init/proc";

}  // namespace

TEST_CASE("the parent pid is the fourth field of a stat line") {
  CHECK(parent_from_stat("77 (sleep) S 42 42 42 0 -1") == 42);
}

TEST_CASE("a command name with spaces and parentheses does not shift the fields") {
  CHECK(parent_from_stat("43 (odd) name) (x) Z 1 42 42 0") == 1);
}

TEST_CASE("a stat line without the fields gives no parent") {
  CHECK_FALSE(parent_from_stat(""));
  CHECK_FALSE(parent_from_stat("12 (sh"));
  CHECK_FALSE(parent_from_stat("12 (sh) S"));
  CHECK_FALSE(parent_from_stat("12 (sh) S x 1"));
}

TEST_CASE("children are the processes whose parent is the given pid") {
  auto ours = children_of(1, kFakeProc);
  auto of_sh = children_of(42, kFakeProc);

  CHECK(ours == std::vector<pid_t>{42, 43});
  CHECK(of_sh == std::vector<pid_t>{77});
}

TEST_CASE("a proc root that cannot be read gives no children") {
  CHECK(children_of(1, kFakeProc / "missing").empty());
}
