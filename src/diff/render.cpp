// Renderings of a DiffReport: text (optionally coloured), Markdown and JSON.
#include <array>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "diff/values.hpp"
#include "hipaa/diff.hpp"

namespace hipaa {
namespace {

using diff_detail::compact_json;
using doc::Node;

constexpr std::size_t kMaxValue = 120;

// A value on one line, shortened for text and Markdown (JSON output keeps it whole).
std::string shown(const Node& node) {
  std::string text = compact_json(node);
  if (text.size() > kMaxValue) {
    std::size_t cut = kMaxValue - 3;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    text = text.substr(0, cut) + "...";
  }
  return text;
}

std::string section_title(DocumentKind kind, const std::string& section) {
  if (kind == DocumentKind::CloudFormation) return section;
  static constexpr auto kTitles =
      std::to_array<std::pair<std::string_view, std::string_view>>({{"terraform", "Terraform settings"},
                                                                    {"provider", "Providers"},
                                                                    {"variable", "Variables"},
                                                                    {"locals", "Locals"},
                                                                    {"data", "Data sources"},
                                                                    {"ephemeral", "Ephemeral resources"},
                                                                    {"resource", "Resources"},
                                                                    {"module", "Modules"},
                                                                    {"output", "Outputs"}});
  for (const auto& [key, title] : kTitles) {
    if (key == section) return std::string(title);
  }
  return section;
}

struct Counts {
  std::size_t added = 0, removed = 0, modified = 0, replacements = 0, possible = 0, security = 0, weakening = 0,
              strengthening = 0;
};

Counts count(const DiffReport& report) {
  Counts c;
  for (const auto& change : report.changes) {
    if (change.kind == ChangeKind::Added) ++c.added;
    if (change.kind == ChangeKind::Removed) ++c.removed;
    if (change.kind == ChangeKind::Modified) ++c.modified;
    if (change.replacement == Replacement::Always) ++c.replacements;
    if (change.replacement == Replacement::Conditional) ++c.possible;
  }
  c.security = report.security.size();
  for (const auto& finding : report.security) c.weakening += finding.weakens ? 1 : 0;
  c.strengthening = report.strengthening.size();
  return c;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string summary(const DiffReport& report) {
  const Counts c = count(report);
  std::string out = fmt::format("{} added, {} removed, {} modified", c.added, c.removed, c.modified);
  if (c.replacements > 0 || c.possible > 0) {
    out += "; ";
    if (c.replacements > 0) out += plural(c.replacements, "replacement", "replacements");
    if (c.replacements > 0 && c.possible > 0) out += ", ";
    if (c.possible > 0) out += plural(c.possible, "possible replacement", "possible replacements");
  }
  if (c.security > 0) {
    out += "; " + plural(c.security, "security-relevant change", "security-relevant changes");
    if (c.weakening > 0) out += fmt::format(" ({} weakening)", c.weakening);
  }
  if (c.strengthening > 0) out += "; " + plural(c.strengthening, "strengthened safeguard", "strengthened safeguards");
  return out;
}

std::string_view replacement_name(Replacement r) {
  switch (r) {
    case Replacement::None: return "none";
    case Replacement::Conditional: return "conditional";
    case Replacement::Always: return "always";
  }
  return "none";
}

std::string_view change_name(ChangeKind k) {
  switch (k) {
    case ChangeKind::Added: return "added";
    case ChangeKind::Removed: return "removed";
    case ChangeKind::Modified: return "modified";
  }
  return "modified";
}

// "AWS::RDS::DBCluster DatabaseCluster" for CloudFormation resources, else the id.
std::string item_label(const DiffReport& report, const Change& change) {
  if (report.kind == DocumentKind::CloudFormation && change.section == "Resources" && !change.type.empty()) {
    return change.type + " " + change.id;
  }
  return change.id;
}

bool plain_item(const Change& change) {
  return change.properties.size() == 1 && change.properties.front().path.empty();
}

// ---- Text ----------------------------------------------------------------------------------

struct Style {
  bool color;
  [[nodiscard]] std::string paint(std::string_view code, std::string_view text) const {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  }
  [[nodiscard]] std::string bold(std::string_view t) const { return paint("1", t); }
  [[nodiscard]] std::string added(std::string_view t) const { return paint("32", t); }
  [[nodiscard]] std::string removed(std::string_view t) const { return paint("31", t); }
  [[nodiscard]] std::string modified(std::string_view t) const { return paint("33", t); }
  [[nodiscard]] std::string alarm(std::string_view t) const { return paint("1;31", t); }
  [[nodiscard]] std::string info(std::string_view t) const { return paint("36", t); }
};

std::string marker(const Style& s, const std::optional<Node>& before, const std::optional<Node>& after) {
  if (before && after) return s.modified("[~]");
  return after ? s.added("[+]") : s.removed("[-]");
}

std::string values_text(const std::optional<Node>& before, const std::optional<Node>& after) {
  if (before && after) return shown(*before) + " -> " + shown(*after);
  return shown(before ? *before : *after);
}

std::string replacement_note(const Style& s, Replacement r, bool item) {
  if (r == Replacement::Always) return " " + s.alarm(item ? "(replacement)" : "(requires replacement)");
  if (r == Replacement::Conditional)
    return " " + s.alarm(item ? "(possible replacement)" : "(may require replacement)");
  return {};
}

// "replaced because DbSubnetGroup is replaced and DBSubnetGroupName takes its name".
std::string replacement_reason(const Change& change) {
  if (change.replaced_because.empty()) return {};
  return (change.replacement == Replacement::Always ? "replaced because " : "possibly replaced because ") +
         change.replaced_because;
}

std::string finding_values(const SecurityFinding& f, std::string_view arrow, bool markdown) {
  auto v = [&](const Node& n) { return markdown ? "`" + shown(n) + "`" : shown(n); };
  if (f.before && f.after) return fmt::format(" ({} {} {})", v(*f.before), arrow, v(*f.after));
  if (f.before) return fmt::format(" (was {})", v(*f.before));
  if (f.after) return fmt::format(" (now {})", v(*f.after));
  return {};
}

}  // namespace

std::string render_text(const DiffReport& report, bool color) {
  const Style s{color};
  std::string out;
  if (has_errors(report.diagnostics)) {
    for (const auto& d : report.diagnostics) out += format(d) + "\n";
    return out;
  }
  if (report.empty()) return fmt::format("No differences between {} and {}.\n", report.old_name, report.new_name);

  out += s.bold(fmt::format("{} diff: {} -> {}", to_string(report.kind), report.old_name, report.new_name)) + "\n";
  auto findings = [&](std::string_view title, const std::vector<SecurityFinding>& list) {
    if (list.empty()) return;
    out += "\n" + s.bold(title) + "\n";
    const bool strengthening = &list == &report.strengthening;
    for (const auto& f : list) {
      const std::string mark = f.weakens ? s.alarm("[!]") : strengthening ? s.added("[+]") : s.info("[i]");
      out += "  " + mark + " " + f.category + ": " + f.resource;
      if (!f.path.empty()) out += " " + f.path;
      out += ": " + f.detail + finding_values(f, "->", false) + "\n";
    }
  };
  findings("Security-relevant changes", report.security);
  findings("Strengthened safeguards", report.strengthening);
  std::string section;
  for (const auto& change : report.changes) {
    if (change.section != section) {
      section = change.section;
      out += "\n" + s.bold(section_title(report.kind, section)) + "\n";
    }
    const std::string mark = change.kind == ChangeKind::Added     ? s.added("[+]")
                             : change.kind == ChangeKind::Removed ? s.removed("[-]")
                                                                  : s.modified("[~]");
    out += "  " + mark + " " + item_label(report, change);
    if (plain_item(change)) {
      const auto& p = change.properties.front();
      out += ": " + values_text(p.before, p.after) + "\n";
      continue;
    }
    out += replacement_note(s, change.replacement, true) + "\n";
    if (!change.replaced_because.empty()) out += "      " + s.alarm(replacement_reason(change)) + "\n";
    if (change.kind != ChangeKind::Modified) continue;
    for (const auto& p : change.properties) {
      out += "      " + marker(s, p.before, p.after) + " " + (p.path.empty() ? "(value)" : p.path) + ": " +
             values_text(p.before, p.after) + replacement_note(s, p.replacement, false) + "\n";
    }
  }
  out += "\n" + summary(report) + "\n";
  return out;
}

namespace {

std::string code(std::string_view text) {
  const std::string fence = text.find('`') == std::string_view::npos ? "`" : "``";
  const std::string pad = fence.size() > 1 ? " " : "";
  return fence + pad + std::string(text) + pad + fence;
}

std::string escape_markdown(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\`*_[]<>|~#").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string md_values(const std::optional<Node>& before, const std::optional<Node>& after) {
  if (before && after) return code(shown(*before)) + " → " + code(shown(*after));
  return code(shown(before ? *before : *after));
}

std::string md_replacement(Replacement r, bool item) {
  if (r == Replacement::Always) return item ? " — **replacement**" : " — **requires replacement**";
  if (r == Replacement::Conditional) return item ? " — **possible replacement**" : " — **may require replacement**";
  return {};
}

std::string md_label(const DiffReport& report, const Change& change) {
  if (report.kind == DocumentKind::CloudFormation && change.section == "Resources" && !change.type.empty()) {
    return code(change.type) + " " + code(change.id);
  }
  return code(change.id);
}

}  // namespace

std::string render_markdown(const DiffReport& report) {
  std::string out;
  if (has_errors(report.diagnostics)) {
    for (const auto& d : report.diagnostics) out += "- **error** " + escape_markdown(format(d)) + "\n";
    return out;
  }
  if (report.empty()) {
    return fmt::format("No differences between {} and {}.\n", code(report.old_name), code(report.new_name));
  }
  out += fmt::format("### {} diff: {} → {}\n\n", to_string(report.kind), code(report.old_name), code(report.new_name));
  out += summary(report) + "\n";
  auto findings = [&](std::string_view title, const std::vector<SecurityFinding>& list) {
    if (list.empty()) return;
    out += "\n#### " + std::string(title) + "\n\n";
    for (const auto& f : list) {
      out += std::string("- ") + (f.weakens ? "⚠️ " : "") + "**" + f.category + "** " + code(f.resource);
      if (!f.path.empty()) out += " " + code(f.path);
      out += ": " + escape_markdown(f.detail) + finding_values(f, "→", true) + "\n";
    }
  };
  findings("Security-relevant changes", report.security);
  findings("Strengthened safeguards", report.strengthening);
  std::string section;
  for (const auto& change : report.changes) {
    if (change.section != section) {
      section = change.section;
      out += "\n#### " + section_title(report.kind, section) + "\n\n";
    }
    out += std::string("- **") + std::string(change_name(change.kind)) + "** " + md_label(report, change);
    if (plain_item(change)) {
      const auto& p = change.properties.front();
      out += ": " + md_values(p.before, p.after) + "\n";
      continue;
    }
    out += md_replacement(change.replacement, true) + "\n";
    if (!change.replaced_because.empty()) out += "  - " + escape_markdown(replacement_reason(change)) + "\n";
    if (change.kind != ChangeKind::Modified) continue;
    for (const auto& p : change.properties) {
      const std::string_view verb = p.before && p.after ? "" : p.after ? "added " : "removed ";
      out += "  - " + std::string(verb) + code(p.path.empty() ? "(value)" : p.path) + ": " +
             md_values(p.before, p.after) + md_replacement(p.replacement, false) + "\n";
    }
  }
  return out;
}

std::string render_json(const DiffReport& report) {
  using nlohmann::ordered_json;
  const Counts c = count(report);
  ordered_json out = ordered_json::object();
  out["kind"] = std::string(to_string(report.kind));
  out["old"] = report.old_name;
  out["new"] = report.new_name;
  out["identical"] = report.empty() && !has_errors(report.diagnostics);
  out["summary"] = {{"added", c.added},
                    {"removed", c.removed},
                    {"modified", c.modified},
                    {"replacements", c.replacements},
                    {"possible_replacements", c.possible},
                    {"security", c.security},
                    {"weakening", c.weakening},
                    {"strengthening", c.strengthening}};
  auto findings = [](const std::vector<SecurityFinding>& list, bool with_weakens) {
    ordered_json array = ordered_json::array();
    for (const auto& f : list) {
      ordered_json item = {{"category", f.category}, {"resource", f.resource}, {"path", f.path}, {"detail", f.detail}};
      if (f.before) item["old"] = diff_detail::to_json_value(*f.before);
      if (f.after) item["new"] = diff_detail::to_json_value(*f.after);
      if (with_weakens) item["weakens"] = f.weakens;
      array.push_back(std::move(item));
    }
    return array;
  };
  out["security"] = findings(report.security, true);
  out["strengthening"] = findings(report.strengthening, false);
  ordered_json changes = ordered_json::array();
  for (const auto& change : report.changes) {
    ordered_json item = {{"section", change.section}, {"id", change.id}};
    if (!change.type.empty()) item["type"] = change.type;
    item["change"] = std::string(change_name(change.kind));
    item["replacement"] = std::string(replacement_name(change.replacement));
    if (!change.replaced_because.empty()) item["replaced_because"] = change.replaced_because;
    ordered_json properties = ordered_json::array();
    for (const auto& p : change.properties) {
      ordered_json property = {{"path", p.path}};
      if (p.before) property["old"] = diff_detail::to_json_value(*p.before);
      if (p.after) property["new"] = diff_detail::to_json_value(*p.after);
      if (p.replacement != Replacement::None) property["replacement"] = std::string(replacement_name(p.replacement));
      properties.push_back(std::move(property));
    }
    item["properties"] = std::move(properties);
    changes.push_back(std::move(item));
  }
  out["changes"] = std::move(changes);
  ordered_json diagnostics = ordered_json::array();
  for (const auto& d : report.diagnostics) {
    ordered_json item = {{"code", d.code}, {"severity", d.severity == Severity::Error ? "error" : "warning"}};
    if (!d.file.empty()) item["file"] = d.file;
    if (d.line > 0) item["line"] = d.line;
    item["message"] = d.message;
    if (!d.hint.empty()) item["hint"] = d.hint;
    diagnostics.push_back(std::move(item));
  }
  out["diagnostics"] = std::move(diagnostics);
  return out.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace hipaa
