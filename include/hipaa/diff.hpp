// hipaa/diff.hpp: compare two CloudFormation templates or two Terraform JSON files.
//
// Works on documents from any tool, not only hipaa-synth: short-form YAML intrinsics (`!Ref X`)
// load exactly as their long JSON form (`{"Ref": "X"}`), so a format change alone is no
// difference. The report lists what was added, removed and changed (with property paths such as
// `Properties.Tags[2].Value`), which changes make CloudFormation or Terraform replace a resource
// (a replaced database is data lost), and a security section for IAM and KMS policy statements,
// security group rules and switches that weaken HIPAA safeguards.
//
//   LoadedDocument before, after;
//   if (has_errors(load_document_file("old.yaml", before)) || has_errors(load_document_file("new.yaml", after))) return 2;
//   DiffReport report = diff(before, after);  std::cout << render_text(report, false);  return exit_status(report);
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hipaa/diagnostic.hpp"
#include "hipaa/document.hpp"

namespace hipaa {

enum class DocumentKind { CloudFormation, Terraform };

// A parsed template. CloudFormation intrinsics are doc::Intrinsic nodes whatever their spelling.
struct LoadedDocument {
  DocumentKind kind = DocumentKind::CloudFormation;
  std::string name;  // shown in messages and reports, usually the file name
  doc::Node root;
};

enum class ChangeKind { Added, Removed, Modified };

// Whether a change makes the service delete the resource and create a new one.
enum class Replacement { None, Conditional, Always };

// One value that differs inside an item. `before`/`after` are empty when the value is absent on
// that side. `path` is relative to the item ("Properties.BackupRetentionPeriod"; empty when the
// item itself is a plain value, such as the template's Description).
struct PropertyChange {
  std::string path;
  std::optional<doc::Node> before;
  std::optional<doc::Node> after;
  Replacement replacement = Replacement::None;
};

// One item of a document that was added, removed or modified. Sections are the document's own
// top-level keys ("Resources", "Parameters", "Outputs"; "resource", "data", "provider",
// "variable", "output", "terraform"), plus "Template" for CloudFormation's top-level scalars.
struct Change {
  std::string section;
  std::string id;    // "DatabaseCluster", "aws_db_instance.db", "backend.s3", "aws"
  std::string type;  // resource type when the item has one
  ChangeKind kind = ChangeKind::Modified;
  Replacement replacement = Replacement::None;  // the strongest of the properties', or a referenced resource's
  std::vector<PropertyChange> properties;       // for Modified items, and for plain values
  // Set when the replacement comes through a reference: "DbSubnetGroup is replaced and
  // DBSubnetGroupName takes its name", with the referenced resource's own reason in brackets.
  std::string replaced_because;
};

// A security-relevant change: an IAM or KMS key policy statement added, removed or modified (what
// widened, what narrowed), a security group rule added or removed, or a switch that weakens (or,
// in DiffReport::strengthening, strengthens) a HIPAA safeguard.
struct SecurityFinding {
  std::string category;  // "IAM", "KMS key policy", "Security group", "Encryption", "Public access",
                         // "Authorization", "Logging", "Deletion protection", "Backup retention",
                         // "Data loss" (a database, bucket, queue or log group removed or
                         // replaced; a dead-letter target removed; message retention shortened)
  std::string resource;  // the item's id
  std::string path;      // the property, or the policy document, concerned
  std::string detail;    // one line: "storage encryption turned off", "statement added: Allow ..."
  std::optional<doc::Node> before;
  std::optional<doc::Node> after;
  bool weakens = false;  // true when the change reduces a safeguard or widens access
};

struct DiffReport {
  DocumentKind kind = DocumentKind::CloudFormation;
  std::string old_name;
  std::string new_name;
  std::vector<Change> changes;            // ordered by section, then id
  std::vector<SecurityFinding> security;  // ordered by category, then resource
  // Safeguard switches strengthened (the reverse of a weakening: encryption turned on, public
  // access turned off, retention raised), ordered as `security`; never `weakens`.
  std::vector<SecurityFinding> strengthening;
  Diagnostics diagnostics;  // errors mean the documents could not be compared

  [[nodiscard]] bool empty() const { return changes.empty(); }
};

// Parses YAML or JSON text and detects its kind: `Resources` or `AWSTemplateFormatVersion` make a
// CloudFormation template; `resource`, `terraform` or `provider` a Terraform JSON file. Errors
// (HS6002 not YAML or JSON, HS6003 neither kind) name `name` and, where known, the line.
[[nodiscard]] Diagnostics load_document(std::string_view text, std::string_view name, LoadedDocument& out);
// Reads and loads a file; HS6001 when it cannot be read.
[[nodiscard]] Diagnostics load_document_file(const std::filesystem::path& file, LoadedDocument& out);

// Compares two documents of the same kind; mixing kinds is error HS6004 and an empty report.
[[nodiscard]] DiffReport diff(const LoadedDocument& old_document, const LoadedDocument& new_document);

// The command's exit status: 0 no difference, 1 differences, 2 errors.
[[nodiscard]] int exit_status(const DiffReport& report);

// Deterministic renderings: text for a terminal (ANSI colours when `color`), Markdown for a pull
// request comment, JSON for programs.
[[nodiscard]] std::string render_text(const DiffReport& report, bool color);
[[nodiscard]] std::string render_markdown(const DiffReport& report);
[[nodiscard]] std::string render_json(const DiffReport& report);

[[nodiscard]] std::string_view to_string(DocumentKind kind);

}  // namespace hipaa
