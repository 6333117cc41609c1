// "user" and "user@domain" to accounts: nodeprep and the deployment's domains.
#include "users/account_name.hpp"

#include <catch2/catch.hpp>

#include "users_test_support.hpp"

using meetgate::users::parse_account_name;
using meetgate::users::quote_name;
using meetgate::users::test::jitsi_domains;

TEST_CASE("a name without a domain is on the main domain, nodeprep'd", "[account_name]") {
  const auto result = parse_account_name("Alice", jitsi_domains());

  REQUIRE(result.ok());
  CHECK(result.account.username == "alice");
  CHECK(result.account.host == "meet.jitsi");
}

TEST_CASE("the domain is compared without case and stored as configured", "[account_name]") {
  const auto main = parse_account_name("bob@Meet.JITSI", jitsi_domains());
  const auto extra = parse_account_name("bob@OTHER.jitsi", jitsi_domains());

  CHECK(main.account.host == "meet.jitsi");
  CHECK(extra.ok());
  CHECK(extra.account.host == "other.jitsi");
}

TEST_CASE("the auth domain is refused with where users belong", "[account_name]") {
  const auto result = parse_account_name("focus@auth.meet.jitsi", jitsi_domains());

  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0] ==
        "user is on the auth domain auth.meet.jitsi (service accounts only): "
        "put users on meet.jitsi");
}

TEST_CASE("the guest domain is refused: accounts there never log in", "[account_name]") {
  const auto result = parse_account_name("bob@GUEST.meet.jitsi", jitsi_domains());

  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0] ==
        "user is on the guest domain guest.meet.jitsi (anonymous, accounts there can never "
        "log in): put users on meet.jitsi");
}

TEST_CASE("an unknown domain is named with the allowed ones", "[account_name]") {
  CHECK(parse_account_name("bob@example.com", jitsi_domains()).errors ==
        std::vector<std::string>{
            "unknown domain \"example.com\" (allowed: meet.jitsi, other.jitsi)"});
  CHECK(parse_account_name("bob@", jitsi_domains()).errors ==
        std::vector<std::string>{"domain after '@' is empty"});
}

TEST_CASE("username errors quote the name as written", "[account_name]") {
  CHECK(parse_account_name("Al ice", jitsi_domains()).errors ==
        std::vector<std::string>{"username \"Al ice\" contains a space"});
  CHECK(parse_account_name("a@b@meet.jitsi", jitsi_domains()).errors ==
        std::vector<std::string>{"username \"a@b@meet.jitsi\" contains '@'"});
  CHECK(parse_account_name("", jitsi_domains()).errors ==
        std::vector<std::string>{"username is empty"});
  CHECK(parse_account_name("@meet.jitsi", jitsi_domains()).errors ==
        std::vector<std::string>{"username is empty"});
}

TEST_CASE("a bad user part and a bad domain are both reported", "[account_name]") {
  const auto result = parse_account_name("a b@nowhere", jitsi_domains());

  CHECK(result.errors ==
        std::vector<std::string>{"username \"a b@nowhere\" contains a space",
                                 "unknown domain \"nowhere\" (allowed: meet.jitsi, other.jitsi)"});
}

TEST_CASE("quote_name escapes what a terminal would act on", "[account_name]") {
  CHECK(quote_name("alice") == "\"alice\"");
  CHECK(quote_name("\xc3\xa4"
                   "bc") ==
        "\"\xc3\xa4"
        "bc\"");
  CHECK(quote_name("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(quote_name("a\tb\x1b[0m") == "\"a\\x09b\\x1b[0m\"");
  CHECK(quote_name("a\xff"
                   "b\xc3") == "\"a\\xffb\\xc3\"");
  CHECK(quote_name("a\xc2\x9b"
                   "b") == "\"a\\u009bb\"");
}
