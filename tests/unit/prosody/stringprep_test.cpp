// Nodeprep and SASLprep as Prosody applies them (checked against prosodyctl register).
#include "prosody/stringprep.hpp"

#include <catch2/catch.hpp>
#include <string>

using meetgate::prosody::nodeprep;
using meetgate::prosody::saslprep;

TEST_CASE("nodeprep maps names as prosodyctl register stores them", "[stringprep]") {
  CHECK(nodeprep("Alice").value == "alice");
  CHECK(nodeprep("\xc3\x84"
                 "BC")
            .value ==
        "\xc3\xa4"
        "bc");                                                     // ÄBC -> äbc
  CHECK(nodeprep("\xc3\x9f").value == "ss");                       // ß -> ss
  CHECK(nodeprep("\xef\xac\x80").value == "ff");                   // ﬀ ligature -> ff
  CHECK(nodeprep("\xc7\x85").value == "d\xc5\xbe");                // ǅ -> dž
  CHECK(nodeprep("\xc4\xb0stanbul").value == "i\xcc\x87stanbul");  // İstanbul -> i̇stanbul
  CHECK(nodeprep("al\xe2\x80\x8bice").value == "alice");           // zero-width space removed
  CHECK(nodeprep("bob.smith-2_x").value == "bob.smith-2_x");
}

TEST_CASE("nodeprep names the character it refuses", "[stringprep]") {
  CHECK(nodeprep("Al ice").error == "contains a space");
  CHECK(nodeprep("al\xc2\xa0ice").error == "contains a space");  // no-break space
  CHECK(nodeprep("al@ice").error == "contains '@'");
  CHECK(nodeprep("al\tice").error == "contains a control character");
  CHECK(nodeprep("al\x7fice").error == "contains a control character");
  CHECK(nodeprep("al/ice").error == "contains a character not allowed in a Jabber ID");
  CHECK(nodeprep("a:b").error == "contains a character not allowed in a Jabber ID");
  CHECK(nodeprep("a\"b").error == "contains a character not allowed in a Jabber ID");
}

TEST_CASE("nodeprep refuses code points unassigned in Unicode 3.2", "[stringprep]") {
  const auto result = nodeprep("party\xf0\x9f\x8e\x89");  // 🎉

  CHECK_FALSE(result.ok());
  CHECK(result.error == "contains a character not allowed in a Jabber ID");
}

TEST_CASE("nodeprep refuses empty names, also those that map to nothing", "[stringprep]") {
  CHECK(nodeprep("").error == "is empty");
  CHECK(nodeprep("\xe2\x80\x8b").error == "is empty");
}

TEST_CASE("nodeprep refuses bytes that are not UTF-8", "[stringprep]") {
  CHECK(nodeprep("al\xffice").error == "is not valid UTF-8");
  CHECK(nodeprep("\xc0\xaf").error == "is not valid UTF-8");      // overlong '/'
  CHECK(nodeprep("\xed\xa0\x80").error == "is not valid UTF-8");  // surrogate
  CHECK(nodeprep("ab\xc3").error == "is not valid UTF-8");        // cut short
}

TEST_CASE("nodeprep keeps names within Prosody's file-name limit", "[stringprep]") {
  CHECK(nodeprep(std::string(250, 'a')).ok());
  CHECK(nodeprep(std::string(251, 'a')).error ==
        "is too long for Prosody's file names (251 bytes encoded, at most 250)");
  CHECK(nodeprep(std::string(83, '.')).ok());  // 249 bytes encoded
  CHECK(nodeprep(std::string(84, '.')).error ==
        "is too long for Prosody's file names (252 bytes encoded, at most 250)");
  CHECK(nodeprep(std::string(2000, 'a')).error ==
        "is too long for Prosody's file names (2000 bytes encoded, at most 250)");
}

TEST_CASE("saslprep leaves ASCII passwords as they are", "[stringprep]") {
  const std::string password = "correct horse: #battery$ 'staple' \"x\"";

  const auto result = saslprep(password);

  CHECK(result.ok());
  CHECK(result.value == password);
}

TEST_CASE("saslprep maps as RFC 4013 says", "[stringprep]") {
  CHECK(saslprep("a\xc2\xa0"
                 "b")
            .value == "a b");  // no-break space -> space
  CHECK(saslprep("a\xc2\xad"
                 "b")
            .value == "ab");                      // soft hyphen removed
  CHECK(saslprep("\xe2\x85\xa8").value == "IX");  // Roman numeral nine, NFKC
}

// prosodyctl register answers "Password fails SASLprep" for both (checked with 0.12.3).
TEST_CASE("saslprep refuses code points unassigned in Unicode 3.2", "[stringprep]") {
  CHECK(saslprep("a\xf0\x9f\x8e\x89"
                 "b")
            .error == "contains a character SASLprep does not allow");
  CHECK(saslprep("a\xef\xad\x82"
                 "b")
            .error == "contains a character SASLprep does not allow");
}

TEST_CASE("saslprep refuses what Prosody's hashing refuses", "[stringprep]") {
  CHECK(saslprep("pass\x01word").error == "contains a control character");
  CHECK(saslprep("pass\nword").error == "contains a control character");
  CHECK(saslprep("pass\xc2\x85word").error == "contains a control character");
  CHECK(saslprep("pass\xffword").error == "is not valid UTF-8");
  CHECK(saslprep("\xef\xbf\xbe").error == "contains a character SASLprep does not allow");
  CHECK(saslprep(std::string(1023, 'x')).ok());
  CHECK(saslprep(std::string(1024, 'x')).error == "is too long (1024 bytes, at most 1023)");
}
