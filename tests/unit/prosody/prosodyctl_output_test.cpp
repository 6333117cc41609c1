// Tests for classify_prosodyctl with the output of Prosody 0.12's prosodyctl, as
// captured from real calls (messages from util/prosodyctl.lua, util/startup.lua,
// util/human/io.lua and /usr/bin/prosodyctl).
#include "prosody/prosodyctl_output.hpp"

#include <catch2/catch.hpp>

using meetgate::prosody::classify_prosodyctl;
using meetgate::prosody::OperationKind;
using meetgate::util::ProcessResult;
using namespace std::chrono_literals;

namespace {

// Printed on every call when the config directory has no certs/ directory.
const std::string kCertsNoise =
    "certmanager         error\tError indexing certificate directory /srv/certs: "
    "cannot open /srv/certs: No such file or directory\n";

// read_password's prompts when stdin is a pipe: no echo, a "hidden" attribute instead.
const std::string kPrompts =
    "Enter new password: \x1b[08m\x1b[00m\nRetype new password: \x1b[08m\x1b[00m\n";

ProcessResult exited(int code, std::string out, std::string err = {}) {
  ProcessResult result;
  result.exit_code = code;
  result.out = std::move(out);
  result.err = std::move(err);
  return result;
}

const auto kCreate = OperationKind::kCreate;
const auto kUpdate = OperationKind::kUpdate;
const auto kDelete = OperationKind::kDelete;

}  // namespace

TEST_CASE("a register that printed only noise succeeded") {
  auto result =
      exited(0, kCertsNoise + kPrompts, "stty: 'standard input': Inappropriate ioctl for device\n");

  auto outcome = classify_prosodyctl(kCreate, result, "pw");

  CHECK(outcome.ok);
  CHECK(outcome.reason.empty());
}

TEST_CASE("certmanager's permission noise does not fail a register that worked") {
  auto result = exited(0,
                       "certmanager         error\tError indexing certificate directory "
                       "/srv/certs: cannot open /srv/certs: Permission denied\n" +
                           kPrompts);

  CHECK(classify_prosodyctl(kCreate, result, "pw").ok);
}

TEST_CASE("an unregister that printed nothing succeeded") {
  CHECK(classify_prosodyctl(kDelete, exited(0, "")).ok);
}

TEST_CASE("an invalid username is a failure with prosodyctl's message") {
  auto result =
      exited(1, kCertsNoise + kPrompts + "The given username is invalid in a Jabber ID\n");

  auto outcome = classify_prosodyctl(kCreate, result, "pw");

  CHECK_FALSE(outcome.ok);
  CHECK(outcome.reason == "The given username is invalid in a Jabber ID");
}

TEST_CASE("a host missing from the config is a failure") {
  auto result = exited(1, kPrompts + "The given hostname does not exist in the config\n");

  auto outcome = classify_prosodyctl(kUpdate, result, "pw");

  CHECK_FALSE(outcome.ok);
  CHECK(outcome.reason == "The given hostname does not exist in the config");
}

TEST_CASE("an anonymous host is a failure") {
  auto result = exited(1, kPrompts + "Error: Account creation/modification not supported.\n");

  auto outcome = classify_prosodyctl(kCreate, result, "pw");

  CHECK(outcome.reason == "Error: Account creation/modification not supported.");
}

TEST_CASE("a password prosodyctl did not get is a failure") {
  auto result = exited(1,
                       "Enter new password: \x1b[08m\x1b[00m\nNo password - cancelled\n"
                       "Unable to register user with no password\n");

  auto outcome = classify_prosodyctl(kCreate, result, "pw");

  CHECK(outcome.reason == "Unable to register user with no password");
}

TEST_CASE("a failure to switch to the prosody user is fatal even with exit 0") {
  auto result = exited(0,
                       "Warning: Couldn't switch to Prosody user/group 'prosody'/'prosody': "
                       "no-such-group\n" +
                           kPrompts);

  auto outcome = classify_prosodyctl(kCreate, result, "pw");

  CHECK_FALSE(outcome.ok);
  CHECK(outcome.reason ==
        "prosodyctl could not switch to the prosody user: run meetgate as the data "
        "directory's owner");
}

TEST_CASE("a storage write refused by the file system is a failure naming the file") {
  auto result = exited(1, kPrompts +
                              "datamanager         error\tUnable to write to accounts storage "
                              "('/data/meet%2etest/accounts/carol.dat~: Permission denied') "
                              "for user: carol@meet.test\nError: Error saving to storage\n");

  auto outcome = classify_prosodyctl(kCreate, result, "pw");

  CHECK_FALSE(outcome.ok);
  CHECK(outcome.reason ==
        "datamanager error Unable to write to accounts storage "
        "('/data/meet%2etest/accounts/carol.dat~: Permission denied') for user: carol@meet.test");
}

TEST_CASE("a full disk is named, not prosodyctl's vaguer line after it") {
  auto result = exited(1, kPrompts +
                              "datamanager         error\tUnable to write to accounts storage "
                              "('No space left on device') for user: erin@meet.test\n"
                              "Error: Error saving to storage\n");

  auto outcome = classify_prosodyctl(kCreate, result, "pw");

  CHECK_FALSE(outcome.ok);
  CHECK(outcome.reason ==
        "datamanager error Unable to write to accounts storage ('No space left on device') "
        "for user: erin@meet.test");
}

TEST_CASE("storage errors are failures even with exit 0") {
  auto outcome = classify_prosodyctl(kCreate, exited(0, "Error: Error saving to storage\n"));

  CHECK_FALSE(outcome.ok);
  CHECK(outcome.reason == "Error: Error saving to storage");
}

TEST_CASE("prosodyctl's own permission message is a failure") {
  auto result = exited(1, "Unable to store, perhaps you don't have permission?\n");

  auto outcome = classify_prosodyctl(kUpdate, result);

  CHECK(outcome.reason == "Unable to store, perhaps you don't have permission?");
}

TEST_CASE("unregistering an absent account succeeds") {
  auto result = exited(1, kCertsNoise + "The given user does not exist on the server\n");

  auto outcome = classify_prosodyctl(kDelete, result);

  CHECK(outcome.ok);
}

TEST_CASE("an account that does not exist is a failure for anything but delete") {
  auto result = exited(1, "The given user does not exist on the server\n");

  CHECK_FALSE(classify_prosodyctl(kUpdate, result).ok);
}

TEST_CASE("unregistering an unreadable account is a failure") {
  auto result = exited(1,
                       "datamanager         error\tFailed to load accounts storage "
                       "('/data/meet%2etest/accounts/alice.dat: Permission denied') for user: "
                       "alice@meet.test\nThe given user does not exist on the server\n");

  auto outcome = classify_prosodyctl(kDelete, result);

  CHECK_FALSE(outcome.ok);
  CHECK(outcome.reason ==
        "datamanager error Failed to load accounts storage "
        "('/data/meet%2etest/accounts/alice.dat: Permission denied') for user: alice@meet.test");
}

TEST_CASE("unregistering on an unconfigured host reports the Lua error") {
  auto result = exited(
      1, kCertsNoise,
      "lua5.4: /usr/bin/prosodyctl:635: /usr/lib/prosody/core/storagemanager.lua:65: attempt to "
      "index a nil value (local 'host_session')\nstack traceback:\n\t/usr/lib/prosody/core/"
      "storagemanager.lua:65: in function 'core.storagemanager.initialize_host'\n\t[C]: in ?\n");

  auto outcome = classify_prosodyctl(kDelete, result);

  CHECK_FALSE(outcome.ok);
  CHECK(outcome.reason ==
        "lua5.4: /usr/bin/prosodyctl:635: /usr/lib/prosody/core/storagemanager.lua:65: attempt "
        "to index a nil value (local 'host_session')");
}

TEST_CASE("a traceback is a failure even with exit 0") {
  auto result = exited(0, "", "lua5.4: boom\nstack traceback:\n\t[C]: in ?\n");

  CHECK(classify_prosodyctl(kCreate, result).reason == "lua5.4: boom");
}

TEST_CASE("a broken config reports the parser's error") {
  auto result = exited(1,
                       "\n\n**************************\nA problem occurred while reading the "
                       "config file /srv/p.cfg.lua\n\nError: /srv/p.cfg.lua:1: unfinished "
                       "string near '\"x'\n\nMore help on configuring Prosody can be found at "
                       "https://prosody.im/doc/configure\nGood luck!\n"
                       "**************************\n\n");

  auto outcome = classify_prosodyctl(kCreate, result);

  CHECK(outcome.reason == "Error: /srv/p.cfg.lua:1: unfinished string near '\"x'");
}

TEST_CASE("a missing config says so") {
  auto result = exited(1,
                       "\n\n**************************\nProsody was unable to find the "
                       "configuration file.\nWe looked for: /srv/none.cfg.lua\nA sample config "
                       "file is included in the Prosody download called prosody.cfg.lua.dist\n"
                       "Copy or rename it to prosody.cfg.lua and edit as necessary.\nMore help "
                       "on configuring Prosody can be found at https://prosody.im/doc/configure\n"
                       "Good luck!\n**************************\n\n");

  auto outcome = classify_prosodyctl(kCreate, result);

  CHECK(outcome.reason == "Prosody was unable to find the configuration file.");
}

TEST_CASE("a config the prosody user cannot read is a failure") {
  auto result = exited(1,
                       "The config file is not readable by the 'prosody' user.\nProsody will "
                       "not be able to read it.\nError was /srv/p.cfg.lua: Permission denied\n");

  auto outcome = classify_prosodyctl(kCreate, result);

  CHECK(outcome.reason == "Error was /srv/p.cfg.lua: Permission denied");
}

TEST_CASE("a missing pposix module is a failure") {
  auto result = exited(1,
                       "Error: Unable to load pposix module. Check that Prosody is installed "
                       "correctly.\nFor more help send the below error to us through "
                       "https://prosody.im/discuss\nmodule 'util.pposix' not found\n");

  auto outcome = classify_prosodyctl(kCreate, result);

  CHECK(outcome.reason ==
        "Error: Unable to load pposix module. Check that Prosody is installed correctly.");
}

TEST_CASE("a usage message is a failure") {
  auto result = exited(1,
                       "Usage: /usr/bin/prosodyctl register USER HOST [PASSWORD]\n Register a "
                       "user on the server, with the given password\n");

  CHECK_FALSE(classify_prosodyctl(kCreate, result).ok);
}

TEST_CASE("a silent non-zero exit names the code") {
  auto outcome = classify_prosodyctl(kCreate, exited(2, kCertsNoise + kPrompts));

  CHECK(outcome.reason == "prosodyctl exited with code 2");
}

TEST_CASE("a lost exit status is a failure") {
  auto outcome = classify_prosodyctl(kCreate, exited(-1, ""));

  CHECK_FALSE(outcome.ok);
  CHECK(outcome.reason == "prosodyctl's exit status was lost");
}

TEST_CASE("spawn errors, timeouts and signals are failures that say so") {
  ProcessResult missing;
  missing.spawn_error = "cannot run prosodyctl: no such file or directory";
  ProcessResult slow;
  slow.timed_out = true;
  slow.term_signal = 9;
  ProcessResult killed;
  killed.term_signal = 9;

  CHECK(classify_prosodyctl(kCreate, missing).reason ==
        "cannot run prosodyctl: no such file or directory");
  CHECK(classify_prosodyctl(kCreate, slow, "pw", 60s).reason == "prosodyctl timed out after 60s");
  CHECK(classify_prosodyctl(kCreate, slow, "pw", 250ms).reason ==
        "prosodyctl timed out after 250ms");
  CHECK(classify_prosodyctl(kCreate, slow).reason == "prosodyctl timed out");
  CHECK(classify_prosodyctl(kDelete, killed).reason == "prosodyctl killed by signal 9");
}

TEST_CASE("a line holding the password never becomes the reason") {
  auto result = exited(1,
                       "Enter new password: s3cr et\nRetype new password: s3cr et\n"
                       "Error: no account for s3cr et\nThe given hostname does not exist in "
                       "the config\n");

  auto outcome = classify_prosodyctl(kCreate, result, "s3cr et");

  CHECK(outcome.reason == "The given hostname does not exist in the config");
}

TEST_CASE("a failure whose every line holds the password says only the exit code") {
  auto result = exited(1, "Enter new password: hunter2\nbad password hunter2\n",
                       "hunter2: \x1b[1mrejected\x1b[0m\n");

  auto outcome = classify_prosodyctl(kCreate, result, "hunter2");

  CHECK(outcome.reason == "prosodyctl exited with code 1");
}

TEST_CASE("a password with spaces is found after blanks are squeezed") {
  auto result = exited(1, "Error:  bad\tpass  word\n", "");

  auto outcome = classify_prosodyctl(kCreate, result, "bad  pass word");

  CHECK(outcome.reason == "prosodyctl exited with code 1");
}

TEST_CASE("a long reason is cut to 200 bytes on a character boundary") {
  std::string line = "Error: " + std::string(150, 'x');
  for (int i = 0; i < 50; ++i)
    line += "\xc3\xa4";  // ä

  auto outcome = classify_prosodyctl(kCreate, exited(1, line + "\n"));

  CHECK(outcome.reason.size() <= 200);
  CHECK(outcome.reason.starts_with("Error: xxx"));
  CHECK(outcome.reason.ends_with("\xc3\xa4..."));
}
