#include "gocompat/go_json_syntax.hpp"

#include <fmt/format.h>

#include <vector>

namespace dvidxfer::server {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// scanner.go's quoteChar: strconv.Quote of the byte taken as a rune, in single quotes.
std::string quote_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  if (c == '\\') return "'\\\\'";
  switch (c) {
    case '\a':
      return "'\\a'";
    case '\b':
      return "'\\b'";
    case '\f':
      return "'\\f'";
    case '\n':
      return "'\\n'";
    case '\r':
      return "'\\r'";
    case '\t':
      return "'\\t'";
    case '\v':
      return "'\\v'";
    default:
      break;
  }
  if (byte < 0x20 || byte == 0x7f) return fmt::format("'\\x{:02x}'", byte);
  if (byte < 0x80) return std::string("'") + c + "'";
  // U+0080..U+00A0 and the soft hyphen are not printable for strconv; the rest print as UTF-8.
  if (byte <= 0xa0 || byte == 0xad) return fmt::format("'\\u{:04x}'", byte);
  return std::string("'") + static_cast<char>(0xc0 | (byte >> 6)) +
         static_cast<char>(0x80 | (byte & 0x3f)) + "'";
}

// The scanner's states; each byte moves it on or fails with the state's context.
enum class State {
  begin_value,
  begin_value_or_empty,
  begin_string_or_empty,
  begin_string,
  end_value,
  end_top,
  in_string,
  in_string_escape,
  in_unicode_escape,  // `hex_left` digits to go
  negative,
  integer,  // state1: after a non-zero digit
  zero,     // state0: a complete integer part
  dot,
  fraction,
  exponent,
  exponent_sign,
  exponent_digits,
  literal,  // the rest of true, false or null in `literal_rest`
};

enum class Nesting { object_key, object_value, array_value };

constexpr std::size_t kMaxDepth = 10000;  // scanner.go's maxNestingDepth

class GoJsonScanner {
 public:
  // Feeds one byte; false once the input is invalid (error() says why).
  bool step(char c) {
    while (true) {
      switch (state_) {
        case State::begin_value_or_empty:
          if (is_space(c)) return true;
          if (c == ']') {
            state_ = State::end_value;
            continue;
          }
          state_ = State::begin_value;
          continue;
        case State::begin_value:
          return begin_value(c);
        case State::begin_string_or_empty:
          if (is_space(c)) return true;
          if (c == '}') {
            nesting_.back() = Nesting::object_value;
            state_ = State::end_value;
            continue;
          }
          state_ = State::begin_string;
          continue;
        case State::begin_string:
          if (is_space(c)) return true;
          if (c == '"') {
            state_ = State::in_string;
            return true;
          }
          return fail(c, "looking for beginning of object key string");
        case State::end_value:
          return end_value(c);
        case State::end_top:
          return is_space(c) || fail(c, "after top-level value");
        case State::in_string:
          if (c == '"') state_ = State::end_value;
          if (c == '\\') state_ = State::in_string_escape;
          return static_cast<unsigned char>(c) >= 0x20 || fail(c, "in string literal");
        case State::in_string_escape:
          return string_escape(c);
        case State::in_unicode_escape:
          if (!is_hex(c)) return fail(c, "in \\u hexadecimal character escape");
          if (--hex_left_ == 0) state_ = State::in_string;
          return true;
        case State::negative:
          if (c == '0')
            state_ = State::zero;
          else if (c >= '1' && c <= '9')
            state_ = State::integer;
          else
            return fail(c, "in numeric literal");
          return true;
        case State::integer:
          if (is_digit(c)) return true;
          state_ = State::zero;
          continue;
        case State::zero:
          if (c == '.')
            state_ = State::dot;
          else if (c == 'e' || c == 'E')
            state_ = State::exponent;
          else {
            state_ = State::end_value;
            continue;
          }
          return true;
        case State::dot:
          if (!is_digit(c)) return fail(c, "after decimal point in numeric literal");
          state_ = State::fraction;
          return true;
        case State::fraction:
          if (is_digit(c)) return true;
          if (c == 'e' || c == 'E') {
            state_ = State::exponent;
            return true;
          }
          state_ = State::end_value;
          continue;
        case State::exponent:
          state_ = State::exponent_sign;
          if (c == '+' || c == '-') return true;
          continue;
        case State::exponent_sign:
          if (!is_digit(c)) return fail(c, "in exponent of numeric literal");
          state_ = State::exponent_digits;
          return true;
        case State::exponent_digits:
          if (is_digit(c)) return true;
          state_ = State::end_value;
          continue;
        case State::literal:
          if (c != literal_rest_.front())
            return fail(
                c, fmt::format("in literal {} (expecting '{}')", literal_, literal_rest_.front()));
          literal_rest_.remove_prefix(1);
          if (literal_rest_.empty()) state_ = State::end_value;
          return true;
      }
    }
  }

  // scanner.eof(): a space ends a number left open; anything else open is an early end.
  bool finish() {
    if (!error_.empty()) return false;
    if (state_ == State::end_top) return true;
    if (step(' ') && state_ == State::end_top) return true;
    if (error_.empty()) error_ = "unexpected end of JSON input";
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  bool fail(char c, std::string_view context) {
    error_ = "invalid character " + quote_char(c) + " " + std::string(context);
    return false;
  }

  bool push(char c, Nesting nesting, State next) {
    if (nesting_.size() >= kMaxDepth) return fail(c, "exceeded max depth");
    nesting_.push_back(nesting);
    state_ = next;
    return true;
  }

  void pop() {
    nesting_.pop_back();
    state_ = nesting_.empty() ? State::end_top : State::end_value;
  }

  bool begin_value(char c) {
    if (is_space(c)) return true;
    switch (c) {
      case '{':
        return push(c, Nesting::object_key, State::begin_string_or_empty);
      case '[':
        return push(c, Nesting::array_value, State::begin_value_or_empty);
      case '"':
        state_ = State::in_string;
        return true;
      case '-':
        state_ = State::negative;
        return true;
      case '0':
        state_ = State::zero;
        return true;
      case 't':
        return start_literal("true");
      case 'f':
        return start_literal("false");
      case 'n':
        return start_literal("null");
      default:
        break;
    }
    if (c >= '1' && c <= '9') {
      state_ = State::integer;
      return true;
    }
    return fail(c, "looking for beginning of value");
  }

  bool start_literal(std::string_view word) {
    literal_ = word;
    literal_rest_ = word.substr(1);
    state_ = State::literal;
    return true;
  }

  bool end_value(char c) {
    if (nesting_.empty()) {
      state_ = State::end_top;
      return is_space(c) || fail(c, "after top-level value");
    }
    if (is_space(c)) return true;
    switch (nesting_.back()) {
      case Nesting::object_key:
        if (c != ':') return fail(c, "after object key");
        nesting_.back() = Nesting::object_value;
        state_ = State::begin_value;
        return true;
      case Nesting::object_value:
        if (c == ',') {
          nesting_.back() = Nesting::object_key;
          state_ = State::begin_string;
          return true;
        }
        if (c != '}') return fail(c, "after object key:value pair");
        pop();
        return true;
      case Nesting::array_value:
        if (c == ',') {
          state_ = State::begin_value;
          return true;
        }
        if (c != ']') return fail(c, "after array element");
        pop();
        return true;
    }
    return true;
  }

  bool string_escape(char c) {
    switch (c) {
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case '\\':
      case '/':
      case '"':
        state_ = State::in_string;
        return true;
      case 'u':
        state_ = State::in_unicode_escape;
        hex_left_ = 4;
        return true;
      default:
        return fail(c, "in string escape code");
    }
  }

  State state_ = State::begin_value;
  std::vector<Nesting> nesting_;
  std::string_view literal_;
  std::string_view literal_rest_;
  int hex_left_ = 0;
  std::string error_;
};

}  // namespace

std::optional<std::string> go_json_syntax_error(std::string_view json) {
  GoJsonScanner scanner;
  for (char c : json)
    if (!scanner.step(c)) return scanner.error();
  if (!scanner.finish()) return scanner.error();
  return std::nullopt;
}

}  // namespace dvidxfer::server
