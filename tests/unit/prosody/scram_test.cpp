// Tests for the offline password check against records prosodyctl wrote, a SHA-256
// vector computed independently, plain-text records and shapes we cannot check.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "prosody/account_file.hpp"
#include "prosody/scram.hpp"

using meetgate::prosody::AccountRecord;
using meetgate::prosody::check_password;
using meetgate::prosody::PasswordCheck;

namespace {

AccountRecord load(const std::string& relative) {
  std::ifstream in(std::filesystem::path(MEETGATE_TEST_DATA) / "prosody" / relative,
                   std::ios::binary);
  REQUIRE(in);
  std::ostringstream content;
  content << in.rdbuf();
  auto parse = meetgate::prosody::parse_account_file(content.str());
  REQUIRE(parse.record);
  return *parse.record;
}

AccountRecord meet_account(const std::string& file) {
  return load("data/meet%2eexample/accounts/" + file);
}

// alice's keys from prosodyctl (password "pw"), a base to bend into odd shapes.
AccountRecord alice() {
  return meet_account("alice.dat");
}

}  // namespace

TEST_CASE("matches the passwords prosodyctl register stored") {
  CHECK(check_password(meet_account("alice.dat"), "pw") == PasswordCheck::kMatches);
  CHECK(check_password(meet_account("bob.dat"), "pässwörd ñ") == PasswordCheck::kMatches);
  CHECK(check_password(meet_account("carol.dat"), "correct horse: battery staple") ==
        PasswordCheck::kMatches);
  CHECK(check_password(meet_account("j%c3%b6rg.dat"), "jörg pw") == PasswordCheck::kMatches);
}

TEST_CASE("tells other passwords apart") {
  CHECK(check_password(meet_account("alice.dat"), "pw ") == PasswordCheck::kDiffers);
  CHECK(check_password(meet_account("alice.dat"), "PW") == PasswordCheck::kDiffers);
  CHECK(check_password(meet_account("bob.dat"), "passwörd ñ") == PasswordCheck::kDiffers);
  CHECK(check_password(meet_account("carol.dat"), "correct horse") == PasswordCheck::kDiffers);
  CHECK(check_password(meet_account("alice.dat"), "") == PasswordCheck::kDiffers);
}

TEST_CASE("applies saslprep to the password as prosody does") {
  // eve was registered with "\uFB01sh\u00A0pass\u00ADword": SASLprep maps the ligature
  // to "fi", the no-break space to a space and drops the soft hyphen.
  AccountRecord eve = meet_account("eve.dat");

  CHECK(check_password(eve, "\xef\xac\x81sh\xc2\xa0pass\xc2\xadword") == PasswordCheck::kMatches);
  CHECK(check_password(eve, "fish password") == PasswordCheck::kMatches);
  CHECK(check_password(eve, "fish\xc2\xa0password") == PasswordCheck::kMatches);
  CHECK(check_password(eve, "fishpassword") == PasswordCheck::kDiffers);
}

TEST_CASE("a password saslprep refuses can never be an account's") {
  CHECK(check_password(alice(), "pw\x07") == PasswordCheck::kDiffers);
}

TEST_CASE("checks sha-256 keys written by prosodyctl") {
  AccountRecord dave = load("data/sha256%2eexample/accounts/dave.dat");

  CHECK(check_password(dave, "pw256") == PasswordCheck::kMatches);
  CHECK(check_password(dave, "pw") == PasswordCheck::kDiffers);
}

TEST_CASE("checks an independently computed sha-256 vector") {
  // Computed with Python, not Prosody:
  //   sp = hashlib.pbkdf2_hmac("sha256", "sha256 pässwörd".encode(),
  //                            b"meetgate-sha256-vector", 4096)
  //   stored_key = hashlib.sha256(hmac.new(sp, b"Client Key", "sha256").digest()).hexdigest()
  //   server_key = hmac.new(sp, b"Server Key", "sha256").hexdigest()
  AccountRecord record;
  record.stored_key = "dc14b2de33d05d0cfe8836f4ff5e52ff92abb13c6e87a35bae759d8fb66fe065";
  record.server_key = "73fa778c0a8db6de9bf02231a71100f3fac37f3cbd26ad7f098f6cbef5f85273";
  record.salt = "meetgate-sha256-vector";
  record.iteration_count = 4096;

  CHECK(check_password(record, "sha256 pässwörd") == PasswordCheck::kMatches);
  CHECK(check_password(record, "sha256 passwörd") == PasswordCheck::kDiffers);
}

TEST_CASE("accepts upper-case hex keys, as prosody's scram login does") {
  AccountRecord record = alice();
  record.stored_key = "694B82F03A4BA10E11003BEB0CC5763BB4DC3094";

  CHECK(check_password(record, "pw") == PasswordCheck::kMatches);
}

TEST_CASE("checks prosody 13's record whether or not it is disabled") {
  AccountRecord record = load("handmade/prosody13_disabled.dat");

  CHECK(check_password(record, "pw") == PasswordCheck::kMatches);
  CHECK(check_password(record, "pw2") == PasswordCheck::kDiffers);
}

TEST_CASE("compares plain-text records after saslprep on both sides") {
  AccountRecord plain = load("handmade/plain_password.dat");
  AccountRecord soft_hyphen;
  soft_hyphen.password = "pass\xc2\xadword";

  CHECK(check_password(plain, "old pässwörd \"q\" \\ end") == PasswordCheck::kMatches);
  CHECK(check_password(soft_hyphen, "password") == PasswordCheck::kMatches);
  CHECK(check_password(soft_hyphen, "passw0rd") == PasswordCheck::kDiffers);
}

TEST_CASE("an empty plain-text password falls through to the keys") {
  AccountRecord record = alice();
  record.password = "";

  CHECK(check_password(record, "pw") == PasswordCheck::kMatches);
}

TEST_CASE("records that cannot be checked ask for a re-register") {
  auto shape = [](auto change) {
    AccountRecord record = alice();
    change(record);
    return check_password(record, "pw");
  };

  CHECK(shape([](AccountRecord& r) { r = AccountRecord{}; }) == PasswordCheck::kUnknownShape);
  CHECK(shape([](AccountRecord& r) { r.stored_key.resize(32); }) == PasswordCheck::kUnknownShape);
  CHECK(shape([](AccountRecord& r) { r.server_key.resize(39); }) == PasswordCheck::kUnknownShape);
  CHECK(shape([](AccountRecord& r) { r.server_key += "000000000000000000000000"; }) ==
        PasswordCheck::kUnknownShape);
  CHECK(shape([](AccountRecord& r) { r.stored_key[0] = 'g'; }) == PasswordCheck::kUnknownShape);
  CHECK(shape([](AccountRecord& r) { r.salt.clear(); }) == PasswordCheck::kUnknownShape);
  CHECK(shape([](AccountRecord& r) { r.iteration_count = 0; }) == PasswordCheck::kUnknownShape);
  CHECK(shape([](AccountRecord& r) { r.iteration_count = 10'000'001; }) ==
        PasswordCheck::kUnknownShape);
  CHECK(shape([](AccountRecord& r) { r.password = "bell\x07"; }) == PasswordCheck::kUnknownShape);
}

TEST_CASE("one key alone matching is not a match") {
  AccountRecord record = alice();
  record.server_key = meet_account("bob.dat").server_key;

  CHECK(check_password(record, "pw") == PasswordCheck::kDiffers);
}

// Hidden (run with `unit_prosody "[.benchmark]"`): prints the cost of one check.
TEST_CASE("benchmark: check_password at 10000 iterations", "[.benchmark]") {
  AccountRecord record = alice();
  auto start = std::chrono::steady_clock::now();

  for (int i = 0; i < 100; ++i) {
    REQUIRE(check_password(record, "pw") == PasswordCheck::kMatches);
  }

  std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
  WARN("check_password: " << elapsed.count() / 100 << " ms per call");
}
