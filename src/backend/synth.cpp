#include "hipaa/synth.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <system_error>

#include "stack_lowering.hpp"

namespace hipaa {

void Resource::validate(Diagnostics&) const {}

namespace {

void validate_tree(const Construct& node, Diagnostics& out) {
  std::map<std::string, const Construct*> seen;
  for (const auto& child : node.children()) {
    const auto& id = child->id();
    if (id.empty() || id.find('/') != std::string::npos) {
      out.push_back(detail::at(*child, "HS1002",
                               "construct id '" + id + "' is empty or contains '/'",
                               "use a non-empty id without '/'"));
    }
    auto [it, inserted] = seen.emplace(id, child.get());
    if (!inserted) {
      const auto& first = it->second->created_at();
      out.push_back(detail::at(
          *child, "HS1001",
          "duplicate construct id '" + id + "' under '" +
              (node.path().empty() ? std::string("App") : node.path()) + "': first created at " +
              first.file_name() + ":" + std::to_string(first.line()),
          "give each sibling a distinct id"));
    }
    for (const auto& suppression : child->suppressions()) {
      if (suppression.reason.empty()) {
        out.push_back(detail::at(*child, "HS1005",
                                 "suppression of rule '" + suppression.rule_id + "' has no reason",
                                 "say why the rule does not apply here"));
      }
    }
    if (const auto* resource = dynamic_cast<const Resource*>(child.get())) resource->validate(out);
    validate_tree(*child, out);
  }
}

bool valid_cloudformation_id(std::string_view id) {
  if (id.empty() || id.size() > 255) return false;
  for (char c : id) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

bool valid_terraform_label(std::string_view label) {
  if (label.empty()) return false;
  const auto first = static_cast<unsigned char>(label.front());
  if (std::isalpha(first) == 0 && first != '_') return false;
  for (char c : label) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) == 0 && c != '_' && c != '-') return false;
  }
  return true;
}

void validate_logical_ids(const Stack& stack, Diagnostics& out) {
  std::map<std::string, const Resource*> cloudformation_ids;
  std::map<std::string, const Resource*> terraform_names;
  for (const Resource* r : stack.resources()) {
    const std::string id = r->logical_id();
    const std::string name = r->terraform_name();
    if (!valid_cloudformation_id(id)) {
      out.push_back(detail::at(*r, "HS1004",
                               "logical id '" + id + "' is not 1-255 alphanumeric characters",
                               "pin a valid logical id with pin_logical_id()"));
    }
    if (!valid_terraform_label(name)) {
      out.push_back(detail::at(*r, "HS1004", "Terraform name '" + name + "' is not a valid label",
                               "pin a valid name with pin_terraform_name()"));
    }
    if (auto [it, ok] = cloudformation_ids.emplace(id, r); !ok) {
      out.push_back(detail::at(*r, "HS1003",
                               "logical id '" + id + "' is also the id of " + it->second->path(),
                               "rename one construct or pin a distinct logical id"));
    }
    if (auto [it, ok] = terraform_names.emplace(name, r); !ok && cloudformation_ids.at(id) != it->second) {
      out.push_back(detail::at(*r, "HS1003",
                               "Terraform name '" + name + "' is also the name of " + it->second->path(),
                               "rename one construct or pin a distinct Terraform name"));
    }
  }
}

}  // namespace

Diagnostics validate(const App& app) {
  Diagnostics out;
  validate_tree(app, out);
  // Duplicate ids make duplicate logical ids too; report the cause only.
  const bool duplicates = std::any_of(out.begin(), out.end(), [](const Diagnostic& d) { return d.code == "HS1001"; });
  if (!duplicates) {
    for (const Stack* stack : app.stacks()) validate_logical_ids(*stack, out);
  }
  return out;
}

std::string main_document_path(const Stack& stack, const SynthesisOptions& options) {
  if (options.target == Target::Terraform) return stack.id() + "/main.tf.json";
  return stack.id() + (options.format == Format::Json ? ".template.json" : ".template.yaml");
}

SynthesisResult synthesize(const App& app, const SynthesisOptions& options) {
  SynthesisResult result;
  result.diagnostics = validate(app);
  if (has_errors(result.diagnostics)) return result;
  for (const Stack* stack : app.stacks()) {
    if (options.target == Target::CloudFormation) {
      auto text = detail::synthesize_cloudformation(*stack, options.format, result.diagnostics);
      result.files.push_back({main_document_path(*stack, options), std::move(text)});
    } else {
      for (auto& file : detail::synthesize_terraform(*stack, result.diagnostics)) {
        result.files.push_back(std::move(file));
      }
    }
  }
  if (has_errors(result.diagnostics)) result.files.clear();
  return result;
}

Diagnostics write_files(const std::filesystem::path& directory, const std::vector<OutputFile>& files) {
  namespace fs = std::filesystem;
  auto failure = [](const fs::path& path, const std::string& why) {
    Diagnostic d;
    d.code = "HS4001";
    d.path = path.string();
    d.message = "cannot write " + path.string() + ": " + why;
    d.hint = "check that the output directory is writable";
    return Diagnostics{d};
  };
  // Every file is written to a temporary name first; only when all are complete are they renamed
  // into place, so a failure leaves no partial output.
  std::vector<std::pair<fs::path, fs::path>> staged;
  auto cleanup = [&] {
    std::error_code ignored;
    for (const auto& [temporary, final_path] : staged) fs::remove(temporary, ignored);
  };
  for (const auto& file : files) {
    const fs::path final_path = directory / fs::path(file.path);
    std::error_code ec;
    fs::create_directories(final_path.parent_path(), ec);
    if (ec) {
      cleanup();
      return failure(final_path.parent_path(), ec.message());
    }
    fs::path temporary = final_path;
    temporary += ".tmp-hipaa-synth";
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      if (!out) {
        cleanup();
        return failure(final_path, "cannot create file");
      }
      staged.emplace_back(temporary, final_path);
      out.write(file.contents.data(), static_cast<std::streamsize>(file.contents.size()));
      out.close();
      if (!out) {
        cleanup();
        return failure(final_path, "write failed");
      }
    }
  }
  for (const auto& [temporary, final_path] : staged) {
    std::error_code ec;
    fs::rename(temporary, final_path, ec);
    if (ec) {
      cleanup();
      return failure(final_path, ec.message());
    }
  }
  return {};
}

}  // namespace hipaa
