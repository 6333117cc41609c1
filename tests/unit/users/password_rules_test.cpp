// Password rules: what prosodyctl would hash, never quoting the password.
#include "users/password_rules.hpp"

#include <catch2/catch.hpp>
#include <string>

using meetgate::users::check_password;

TEST_CASE("a password with spaces and punctuation is fine", "[password_rules]") {
  CHECK(check_password(" s3cret: #$'\" x ", "alice") == "");
  CHECK(check_password(std::string(1023, 'x'), "alice") == "");
}

TEST_CASE("password errors name the user, never the password", "[password_rules]") {
  CHECK(check_password("", "alice") == "password of \"alice\" is empty");
  CHECK(check_password("hunter\x01", "alice") ==
        "password of \"alice\" contains a control character");
  CHECK(check_password("hunter\t2", "Bob@meet.jitsi") ==
        "password of \"Bob@meet.jitsi\" contains a control character");
  CHECK(check_password("hunter\xff", "alice") == "password of \"alice\" is not valid UTF-8");
  CHECK(check_password(std::string(1024, 'x'), "alice") ==
        "password of \"alice\" is too long (1024 bytes, at most 1023)");
}

TEST_CASE("a password SASLprep prohibits is refused", "[password_rules]") {
  const auto error = check_password("pw\xef\xbf\xbe", "alice");  // U+FFFE, a non-character

  CHECK(error == "password of \"alice\" contains a character SASLprep does not allow");
}
