#include "validate/checks.hpp"

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

bool is_alnum_dash(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'; }
bool is_lower_alnum_dash(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }
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
