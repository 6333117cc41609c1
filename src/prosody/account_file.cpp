// Reads Prosody's account records without running Lua: the table util/serialization.lua
// writes (`return {\n\t["key"] = value;\n};`), parsed iteratively as untrusted input.
#include "prosody/account_file.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "util/hex.hpp"

namespace meetgate::prosody {

namespace {

// Lua's own parser gives up at this nesting depth (LUAI_MAXCCALLS); so do we.
constexpr size_t kMaxDepth = 200;

struct SyntaxError {
  std::string what;
};

struct Value {
  enum class Kind { kNil, kBoolean, kInteger, kFloat, kString, kTable };
  Kind kind = Kind::kNil;
  bool boolean = false;
  long long integer = 0;
  double number = 0;
  std::string text;

  static Value of(Kind kind) {
    Value value;
    value.kind = kind;
    return value;
  }
  static Value of_boolean(bool boolean) {
    Value value = of(Kind::kBoolean);
    value.boolean = boolean;
    return value;
  }
  static Value of_integer(long long integer) {
    Value value = of(Kind::kInteger);
    value.integer = integer;
    return value;
  }
  static Value of_float(double number) {
    Value value = of(Kind::kFloat);
    value.number = number;
    return value;
  }
  static Value of_string(std::string text) {
    Value value = of(Kind::kString);
    value.text = std::move(text);
    return value;
  }

  // Lua's truth: everything but nil and false.
  bool truthy() const { return kind != Kind::kNil && !(kind == Kind::kBoolean && !boolean); }
};

bool is_digit(int c) {
  return c >= '0' && c <= '9';
}
bool is_name_start(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(int c) {
  return is_name_start(c) || is_digit(c);
}
bool is_newline(int c) {
  return c == '\n' || c == '\r';
}
bool is_space(int c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || is_newline(c);
}

bool is_keyword(std::string_view name) {
  static constexpr std::string_view kKeywords[] = {
      "and",      "break",  "do",   "else", "elseif", "end",  "false", "for",
      "function", "goto",   "if",   "in",   "local",  "nil",  "not",   "or",
      "repeat",   "return", "then", "true", "until",  "while"};
  for (auto keyword : kKeywords) {
    if (name == keyword) {
      return true;
    }
  }
  return false;
}

// Whether Lua would turn this float into an integer: integral and within [-2^63, 2^63).
bool fits_integer(double number) {
  // cppcheck 2.10 reads the hexadecimal float literals as integers, so the range looks
  // empty to it; it is [-2^63, 2^63).
  // cppcheck-suppress incorrectLogicOperator
  return std::trunc(number) == number && number >= -0x1p63 && number < 0x1p63;
}

// Appends code point `cp` (up to 0x7FFFFFFF, as Lua 5.4's \u{...} allows) in UTF-8,
// using the old 5- and 6-byte forms above U+1FFFFF like Lua does.
void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
    return;
  }
  int count = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : cp < 0x200000 ? 4 : cp < 0x4000000 ? 5 : 6;
  unsigned lead = (0xff00u >> count) & 0xffu;
  out += static_cast<char>(lead | (cp >> (6 * (count - 1))));
  for (int i = count - 2; i >= 0; --i) {
    out += static_cast<char>(0x80 | ((cp >> (6 * i)) & 0x3f));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  AccountRecord parse_file();

 private:
  int peek(size_t ahead = 0) const {
    return pos_ + ahead < in_.size() ? static_cast<unsigned char>(in_[pos_ + ahead]) : -1;
  }
  bool at_end() const { return pos_ >= in_.size(); }
  [[noreturn]] void fail(std::string_view what) const {
    throw SyntaxError{"line " + std::to_string(line_) + ": " + std::string(what)};
  }
  void expect(char c, std::string_view what) {
    if (peek() != static_cast<unsigned char>(c)) {
      fail(what);
    }
    ++pos_;
  }
  void reject_long_bracket() const {
    if (peek() == '[' && (peek(1) == '[' || peek(1) == '=')) {
      fail("long strings and comments are not supported");
    }
  }

  void skip_newline();
  void skip_space();
  std::string read_name();
  void read_field(AccountRecord& record);
  void assign(AccountRecord& record, const std::string& key, const Value& value) const;
  Value read_value();
  Value read_special_number();
  Value read_number();
  std::string read_string();
  void read_escape(std::string& out);
  void read_decimal_escape(std::string& out);
  void read_utf8_escape(std::string& out);
  void skip_table();

  std::string_view in_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

AccountRecord Parser::parse_file() {
  skip_space();
  if (at_end()) {
    fail("the file is empty");
  }
  if (read_name() != "return") {
    fail("expected 'return' at the start");
  }
  skip_space();
  expect('{', "expected '{' after 'return'");

  AccountRecord record;
  for (skip_space(); peek() != '}'; skip_space()) {
    read_field(record);
    skip_space();
    if (peek() != ';' && peek() != ',') {
      break;
    }
    ++pos_;
  }
  expect('}', "expected ';' or '}' after a field");

  // Prosody writes `};` and a newline; Lua allows one ';' after a return statement.
  skip_space();
  if (peek() == ';') {
    ++pos_;
    skip_space();
  }
  if (!at_end()) {
    fail("unexpected text after the table");
  }
  return record;
}

// Lua counts "\n", "\r", "\r\n" and "\n\r" each as one line break.
void Parser::skip_newline() {
  int first = peek();
  ++pos_;
  if (is_newline(peek()) && peek() != first) {
    ++pos_;
  }
  ++line_;
}

void Parser::skip_space() {
  for (;;) {
    int c = peek();
    if (is_newline(c)) {
      skip_newline();
    } else if (is_space(c)) {
      ++pos_;
    } else if (c == '-' && peek(1) == '-') {
      pos_ += 2;
      reject_long_bracket();
      while (!at_end() && !is_newline(peek())) {
        ++pos_;
      }
    } else {
      return;
    }
  }
}

std::string Parser::read_name() {
  size_t start = pos_;
  if (is_name_start(peek())) {
    while (is_name_char(peek())) {
      ++pos_;
    }
  }
  return std::string(in_.substr(start, pos_ - start));
}

// One `[key] = value`, `name = value` or positional `value`; keys we cannot name
// (numbers, booleans, positions) are read and ignored like unknown string keys.
void Parser::read_field(AccountRecord& record) {
  std::optional<std::string> key;
  if (peek() == '[') {
    reject_long_bracket();
    ++pos_;
    skip_space();
    Value k = read_value();
    if (k.kind == Value::Kind::kNil || k.kind == Value::Kind::kTable) {
      fail("unsupported table key");
    }
    if (k.kind == Value::Kind::kString) {
      key = std::move(k.text);
    }
    skip_space();
    expect(']', "expected ']' after key");
    skip_space();
    expect('=', "expected '=' after key");
  } else if (is_name_start(peek())) {
    size_t mark = pos_;
    std::string name = read_name();
    if (is_keyword(name)) {
      pos_ = mark;  // true, false or nil as a positional value: read below
    } else {
      skip_space();
      expect('=', "expected '=' after key");
      key = std::move(name);
    }
  }

  skip_space();
  Value value = read_value();
  if (key) {
    assign(record, *key, value);
  }
}

// Stores the fields we know. A later duplicate wins and nil removes, as in Lua.
void Parser::assign(AccountRecord& record, const std::string& key, const Value& value) const {
  bool is_nil = value.kind == Value::Kind::kNil;
  auto text = [&]() -> std::string {
    if (!is_nil && value.kind != Value::Kind::kString) {
      fail(key + " must be a string");
    }
    return value.text;
  };

  if (key == "stored_key") {
    record.stored_key = text();
  } else if (key == "server_key") {
    record.server_key = text();
  } else if (key == "salt") {
    record.salt = text();
  } else if (key == "password") {
    record.password = is_nil ? std::nullopt : std::optional<std::string>(text());
  } else if (key == "disabled") {
    record.disabled = value.truthy();
  } else if (key == "iteration_count") {
    if (is_nil) {
      record.iteration_count = 0;
    } else if (value.kind == Value::Kind::kInteger) {
      record.iteration_count = value.integer;
    } else if (value.kind == Value::Kind::kFloat && fits_integer(value.number)) {
      record.iteration_count = static_cast<long long>(value.number);  // Lua takes 10000.0
    } else {
      fail("iteration_count must be an integer");
    }
  }
}

Value Parser::read_value() {
  int c = peek();
  if (c < 0) {
    fail("unexpected end of input");
  }
  reject_long_bracket();
  if (c == '"' || c == '\'') {
    return Value::of_string(read_string());
  }
  if (c == '{') {
    skip_table();
    return Value::of(Value::Kind::kTable);
  }
  if (c == '(') {
    return read_special_number();
  }
  if (c == '-') {
    ++pos_;
    skip_space();
    Value value = read_number();
    // Negate through unsigned arithmetic: -(-2^63) wraps in Lua instead of overflowing.
    value.integer = static_cast<long long>(0ull - static_cast<unsigned long long>(value.integer));
    value.number = -value.number;
    return value;
  }
  if (is_digit(c) || c == '.') {
    return read_number();
  }

  std::string name = read_name();
  if (name == "true" || name == "false") {
    return Value::of_boolean(name == "true");
  }
  if (name == "nil") {
    return Value{};
  }
  fail("expected a value");
}

// Prosody's serializer writes infinities and NaN as these expressions.
Value Parser::read_special_number() {
  static constexpr std::pair<std::string_view, double> kForms[] = {
      {"(1/0)", std::numeric_limits<double>::infinity()},
      {"(-1/0)", -std::numeric_limits<double>::infinity()},
      {"(0/0)", std::numeric_limits<double>::quiet_NaN()}};
  for (const auto& [form, number] : kForms) {
    if (in_.substr(pos_).starts_with(form)) {
      pos_ += form.size();
      return Value::of_float(number);
    }
  }
  fail("expected a value");
}

// A numeral the way Lua 5.4 reads one: decimal integers that overflow become floats,
// hex integers wrap around, anything touching a letter is malformed.
Value Parser::read_number() {
  size_t start = pos_;
  bool hex = peek() == '0' && (peek(1) == 'x' || peek(1) == 'X');
  std::string_view exponent = hex ? "pP" : "eE";
  pos_ += hex ? 2 : 0;
  for (;;) {
    if (peek() >= 0 && exponent.find(static_cast<char>(peek())) != std::string_view::npos) {
      pos_ += (peek(1) == '+' || peek(1) == '-') ? 2 : 1;
    } else if (util::hex_digit_value(peek()) >= 0 || peek() == '.') {
      ++pos_;
    } else {
      break;
    }
  }
  if (is_name_char(peek())) {
    fail("malformed number");
  }

  std::string_view body = in_.substr(start, pos_ - start).substr(hex ? 2 : 0);
  const char* end = body.data() + body.size();
  bool integral = body.find_first_of(hex ? ".pP" : ".eE") == std::string_view::npos;
  if (integral && hex && !body.empty()) {
    unsigned long long wrapped = 0;
    for (char digit : body) {
      wrapped = wrapped * 16 +
                static_cast<unsigned>(util::hex_digit_value(static_cast<unsigned char>(digit)));
    }
    return Value::of_integer(static_cast<long long>(wrapped));
  }
  if (integral && !hex) {
    long long integer = 0;
    auto [ptr, ec] = std::from_chars(body.data(), end, integer);
    if (ec == std::errc() && ptr == end) {
      return Value::of_integer(integer);
    }
  }

  double number = 0;
  auto format = hex ? std::chars_format::hex : std::chars_format::general;
  auto [ptr, ec] = std::from_chars(body.data(), end, number, format);
  if (body.empty() || body[0] == '-' || ec != std::errc() || ptr != end) {
    fail("malformed number");
  }
  return Value::of_float(number);
}

// A short string in '...' or "...": no raw line breaks, Lua 5.4's escapes.
std::string Parser::read_string() {
  char quote = in_[pos_++];
  std::string out;
  for (;;) {
    int c = peek();
    if (c < 0 || is_newline(c)) {
      fail("unfinished string");
    }
    ++pos_;
    if (c == static_cast<unsigned char>(quote)) {
      return out;
    }
    if (c == '\\') {
      read_escape(out);
    } else {
      out += static_cast<char>(c);
    }
  }
}

void Parser::read_escape(std::string& out) {
  static constexpr std::string_view kLetters = "abfnrtv\\\"'";
  static constexpr std::string_view kBytes = "\a\b\f\n\r\t\v\\\"'";
  int c = peek();
  if (c < 0) {
    fail("unfinished string");
  }
  size_t simple = kLetters.find(static_cast<char>(c));
  if (simple != std::string_view::npos) {
    out += kBytes[simple];
    ++pos_;
  } else if (is_newline(c)) {
    skip_newline();  // a backslash before a line break keeps the break
    out += '\n';
  } else if (c == 'x') {
    int high = util::hex_digit_value(peek(1));
    int low = util::hex_digit_value(peek(2));
    if (high < 0 || low < 0) {
      fail("invalid hexadecimal escape in string");
    }
    out += static_cast<char>(high * 16 + low);
    pos_ += 3;
  } else if (c == 'z') {
    ++pos_;
    while (is_space(peek())) {
      is_newline(peek()) ? skip_newline() : void(++pos_);
    }
  } else if (c == 'u') {
    read_utf8_escape(out);
  } else if (is_digit(c)) {
    read_decimal_escape(out);
  } else {
    fail("invalid escape sequence in string");
  }
}

// \ddd: up to three decimal digits, at most 255.
void Parser::read_decimal_escape(std::string& out) {
  int value = 0;
  for (int i = 0; i < 3 && is_digit(peek()); ++i) {
    value = value * 10 + (peek() - '0');
    ++pos_;
  }
  if (value > 255) {
    fail("decimal escape too large in string");
  }
  out += static_cast<char>(value);
}

// \u{XXX}: a code point up to 2^31 - 1, stored as UTF-8.
void Parser::read_utf8_escape(std::string& out) {
  ++pos_;
  expect('{', "missing '{' in \\u{xxxx} escape in string");
  if (util::hex_digit_value(peek()) < 0) {
    fail("hexadecimal digit expected in string escape");
  }
  unsigned long cp = 0;
  while (util::hex_digit_value(peek()) >= 0) {
    cp = cp * 16 + static_cast<unsigned long>(util::hex_digit_value(peek()));
    if (cp > 0x7fffffffUL) {
      fail("utf-8 value too large in string escape");
    }
    ++pos_;
  }
  expect('}', "missing '}' in \\u{xxxx} escape in string");
  append_utf8(out, cp);
}

// Skips a nested table (Prosody 13's disabled_meta, say) whose content we do not
// need, checking only that its strings, numbers and brackets are well formed.
// A stack of expected closers instead of recursion keeps hostile nesting harmless.
void Parser::skip_table() {
  static constexpr std::string_view kPunctuation = "=;,-()/";
  std::vector<char> closers;
  for (;;) {
    int c = peek();
    if (c < 0) {
      fail("unfinished table");
    } else if (c == '{' || c == '[') {
      reject_long_bracket();
      if (closers.size() >= kMaxDepth) {
        fail("tables nested too deeply");
      }
      closers.push_back(c == '{' ? '}' : ']');
      ++pos_;
    } else if (c == '}' || c == ']') {
      if (closers.back() != c) {
        fail("unbalanced brackets in a table");
      }
      closers.pop_back();
      ++pos_;
      if (closers.empty()) {
        return;
      }
    } else if (c == '"' || c == '\'') {
      read_string();
    } else if (is_digit(c) || (c == '.' && is_digit(peek(1)))) {
      read_number();
    } else if (is_name_start(c)) {
      read_name();
    } else if (kPunctuation.find(static_cast<char>(c)) != std::string_view::npos) {
      ++pos_;
    } else {
      fail("unexpected character in a table");
    }
    skip_space();
  }
}

}  // namespace

AccountParse parse_account_file(std::string_view content) {
  try {
    return AccountParse{.record = Parser(content).parse_file(), .error = {}};
  } catch (const SyntaxError& error) {
    return AccountParse{.record = std::nullopt, .error = error.what};
  }
}

}  // namespace meetgate::prosody
