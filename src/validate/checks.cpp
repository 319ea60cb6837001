#include "validate/checks.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace hipaa::detail {

Diagnostic at(const Construct& construct, std::string code, std::string message, std::string hint, Severity severity) {
  Diagnostic d;
  d.code = std::move(code);
  d.severity = severity;
  d.path = construct.path();
  Origin origin = construct.origin(d.code);
  d.file = std::move(origin.file);
  d.line = origin.line;
  d.option = std::move(origin.option);
  d.preset = std::move(origin.preset);
  d.message = std::move(message);
  d.hint = std::move(hint);
  return d;
}

std::optional<Ipv4Cidr> parse_cidr(std::string_view text) {
  Ipv4Cidr result;
  std::size_t pos = 0;
  for (int octet = 0; octet < 4; ++octet) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
    if (ec != std::errc{} || value > 255 || end == text.data() + pos) return std::nullopt;
    pos = static_cast<std::size_t>(end - text.data());
    const char expected = octet < 3 ? '.' : '/';
    if (pos >= text.size() || text[pos] != expected) return std::nullopt;
    ++pos;
    result.address = (result.address << 8) | value;
  }
  int prefix = -1;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), prefix);
  if (ec != std::errc{} || end != text.data() + text.size() || prefix < 0 || prefix > 32) {
    return std::nullopt;
  }
  result.prefix = prefix;
  const std::uint32_t host_mask = prefix == 32 ? 0U : (0xFFFFFFFFU >> prefix);
  if ((result.address & host_mask) != 0) return std::nullopt;
  return result;
}

namespace {
std::uint32_t network_mask(int prefix) { return prefix == 0 ? 0U : (0xFFFFFFFFU << (32 - prefix)); }

constexpr int kMinutesPerDay = 24 * 60;
constexpr int kMinutesPerWeek = 7 * kMinutesPerDay;

// A maintenance-style window in minutes from the start of its period (a day or a week); `end` lies
// past the period when the window wraps around (23:00-01:00).
struct Window {
  int start = 0;
  int end = 0;
};

// Minutes since midnight of "hh:mm", or nullopt.
std::optional<int> clock_minutes(std::string_view text) {
  int hours = -1;
  int minutes = -1;
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const auto h = std::from_chars(text.data(), text.data() + 2, hours);
  const auto m = std::from_chars(text.data() + 3, text.data() + 5, minutes);
  if (h.ptr != text.data() + 2 || m.ptr != text.data() + 5 || hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
    return std::nullopt;
  }
  return hours * 60 + minutes;
}

// Minutes since Monday 00:00 of "ddd:hh:mm" (any case), or nullopt.
std::optional<int> week_minutes(std::string_view text) {
  constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  if (text.size() != 9 || text[3] != ':') return std::nullopt;
  std::string day(text.substr(0, 3));
  for (char& c : day) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto* found = std::find(kDays.begin(), kDays.end(), day);
  const auto clock = clock_minutes(text.substr(4));
  if (found == kDays.end() || !clock) return std::nullopt;
  return static_cast<int>(found - kDays.begin()) * kMinutesPerDay + *clock;
}

// "FROM-TO" with each end parsed by `point`, in a period of `period` minutes.
template <class Parse>
std::optional<Window> parse_window(std::string_view text, Parse point, int period) {
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto from = point(text.substr(0, dash));
  const auto to = point(text.substr(dash + 1));
  if (!from || !to) return std::nullopt;
  return Window{*from, *to <= *from ? *to + period : *to};
}

// Whether two windows of one weekly period share a minute or touch, also across the week's end.
bool windows_meet(const Window& a, const Window& b) {
  constexpr std::array kShifts = {-kMinutesPerWeek, 0, kMinutesPerWeek};
  return std::ranges::any_of(
      kShifts, [&](int shift) { return std::max(a.start, b.start + shift) <= std::min(a.end, b.end + shift); });
}
}  // namespace

bool cidr_contains(const Ipv4Cidr& outer, const Ipv4Cidr& inner) {
  return inner.prefix >= outer.prefix && (inner.address & network_mask(outer.prefix)) == outer.address;
}

bool cidrs_overlap(const Ipv4Cidr& a, const Ipv4Cidr& b) { return cidr_contains(a, b) || cidr_contains(b, a); }

std::optional<std::string> literal_text(const Value& value, const Construct& where) {
  if (const auto* s = value.get_if<std::string>()) return *s;
  if (const auto* p = value.get_if<ParameterRef>()) {
    if (const Stack* stack = where.stack()) {
      for (const auto& parameter : stack->parameters()) {
        if (parameter.name == p->name) return parameter.default_value;
      }
    }
    return std::nullopt;
  }
  if (const auto* interpolation = value.get_if<Interpolation>()) {
    std::string out;
    for (const auto& part : interpolation->parts) {
      if (const auto* i = part.get_if<std::int64_t>()) {
        out += std::to_string(*i);
        continue;
      }
      auto text = literal_text(part, where);
      if (!text) return std::nullopt;
      out += *text;
    }
    return out;
  }
  return std::nullopt;
}

void Checker::error(std::string code, std::string message, std::string hint) const {
  out_.push_back(at(resource_, std::move(code), std::move(message), std::move(hint)));
}

void Checker::missing(std::string_view property) const {
  error("HS2001", "required property '" + std::string(property) + "' is not set");
}

std::optional<Ipv4Cidr> Checker::cidr(std::string_view text, std::string_view property, int min_prefix,
                                      int max_prefix) const {
  auto parsed = parse_cidr(text);
  if (!parsed) {
    error("HS2002", "'" + std::string(property) + "' is not a valid IPv4 CIDR block: '" + std::string(text) + "'",
          "write it as a.b.c.d/n with no host bits set, e.g. 10.0.0.0/16");
    return std::nullopt;
  }
  if (parsed->prefix < min_prefix || parsed->prefix > max_prefix) {
    error("HS2002", "'" + std::string(property) + "' " + std::string(text) + " must have a prefix length between /" +
                        std::to_string(min_prefix) + " and /" + std::to_string(max_prefix));
    return std::nullopt;
  }
  return parsed;
}

void Checker::name(const Value& value, std::string_view property, std::size_t max_length,
                   const std::function<bool(char)>& allowed, std::string_view allowed_description,
                   std::size_t min_length) const {
  auto text = literal_text(value, resource_);
  if (!text) return;  // only known at deploy time
  if (text->size() < min_length || text->size() > max_length) {
    error("HS2003", "'" + std::string(property) + "' value '" + *text + "' has " + std::to_string(text->size()) +
                        " characters; AWS accepts " + std::to_string(min_length) + " to " + std::to_string(max_length));
    return;
  }
  for (char c : *text) {
    if (!allowed(c)) {
      error("HS2003", "'" + std::string(property) + "' value '" + *text + "' contains '" + std::string(1, c) +
                          "'; AWS accepts only " + std::string(allowed_description));
      return;
    }
  }
}

void Checker::range(double value, std::string_view property, double min, double max) const {
  if (value < min || value > max) {
    auto number = [](double d) {
      std::string s = std::to_string(d);
      s.erase(s.find_last_not_of('0') + 1);
      if (!s.empty() && s.back() == '.') s.pop_back();
      return s;
    };
    error("HS2004", "'" + std::string(property) + "' is " + number(value) + "; AWS accepts " + number(min) + " to " +
                        number(max));
  }
}

void Checker::windows_apart(std::string_view daily, std::string_view daily_property, std::string_view weekly,
                            std::string_view weekly_property) const {
  const auto every_day = parse_window(daily, clock_minutes, kMinutesPerDay);
  const auto once_a_week = parse_window(weekly, week_minutes, kMinutesPerWeek);
  if (!every_day || !once_a_week) return;
  for (int day = 0; day < 7; ++day) {
    const Window on_day{every_day->start + day * kMinutesPerDay, every_day->end + day * kMinutesPerDay};
    if (windows_meet(on_day, *once_a_week)) {
      error("HS2004",
            "'" + std::string(daily_property) + "' " + std::string(daily) + " and '" + std::string(weekly_property) +
                "' " + std::string(weekly) + " overlap or touch; AWS requires the two windows to be apart",
            "move one window so that at least a minute lies between them");
      return;
    }
  }
}

bool is_alnum_dash(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'; }
bool is_lower_alnum_dash(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }
bool is_bucket_name_char(char c) { return is_lower_alnum_dash(c) || c == '.'; }

bool looks_like_ip_address(std::string_view text) {
  int parts = 0;
  while (true) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end == text.data() || value > 255) return false;
    ++parts;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    if (text.empty()) return parts == 4;
    if (text.front() != '.') return false;
    text.remove_prefix(1);
  }
}

std::string bucket_name_problem(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return "must have 3 to 63 characters";
  if (!std::ranges::all_of(name, is_bucket_name_char)) return "may hold only lower-case letters, digits, '.' and '-'";
  const auto edge = [](char c) { return c != '-' && c != '.'; };
  if (!edge(name.front()) || !edge(name.back())) return "must start and end with a letter or digit";
  if (name.find("..") != std::string_view::npos) return "must not contain '..'";
  if (looks_like_ip_address(name)) return "must not be formatted as an IP address";
  for (std::string_view prefix : {"xn--", "sthree-", "amzn-s3-demo-"}) {
    if (name.starts_with(prefix)) return "must not start with '" + std::string(prefix) + "'";
  }
  for (std::string_view suffix : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
    if (name.ends_with(suffix)) return "must not end with '" + std::string(suffix) + "'";
  }
  return {};
}
bool is_iam_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("+=,.@_-").find(c) != std::string_view::npos;
}
bool is_log_group_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("_/.#-").find(c) != std::string_view::npos;
}
bool is_lambda_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'; }

}  // namespace hipaa::detail
