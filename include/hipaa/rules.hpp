// hipaa/rules.hpp: HIPAA Security Rule checks over the typed construct tree, for both targets at
// once, with suppressions that carry a reason.
//
//   rules::Report report = rules::check(app);
//   for (const auto& f : report.findings) std::cerr << rules::format(f) << '\n';
//   if (report.has_unsuppressed_errors()) return 1;
//
// Rules read typed properties (never emitted text), so one rule covers CloudFormation and
// Terraform alike and can follow references across resources.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>
#include <typeinfo>
#include <unordered_map>
#include <vector>

#include "hipaa/construct.hpp"
#include "hipaa/diagnostic.hpp"

namespace hipaa::rules {

class Reporter;

// The resources of one stack grouped by type, built once and shared by every rule, and those of
// its whole app (for what another stack may provide: one trail records the account, a backup
// selection or an alarm may live in a stack of its own).
class Inventory {
 public:
  using ByType = std::unordered_map<std::type_index, std::vector<const Resource*>>;
  // Indexes the stack and its app.
  explicit Inventory(const Stack& stack);
  // Indexes the stack and shares an index of its app (rules::check builds that once).
  Inventory(const Stack& stack, std::shared_ptr<const ByType> app);
  [[nodiscard]] const Stack& stack() const { return *stack_; }
  [[nodiscard]] const std::vector<const Resource*>& resources() const { return all_; }
  // Every resource of exactly type T, in stack order.
  template <class T>
  [[nodiscard]] std::vector<const T*> all() const {
    return of<T>(by_type_);
  }
  // Every resource of exactly type T in every stack of the app, in app order.
  template <class T>
  [[nodiscard]] std::vector<const T*> all_in_app() const {
    return of<T>(*app_);
  }
  // The app index rules::check shares between the stacks' inventories.
  [[nodiscard]] static std::shared_ptr<const ByType> index_app(const App* app);

 private:
  template <class T>
  static std::vector<const T*> of(const ByType& index) {
    std::vector<const T*> out;
    if (auto it = index.find(std::type_index(typeid(T))); it != index.end()) {
      out.reserve(it->second.size());
      for (const Resource* r : it->second) out.push_back(static_cast<const T*>(r));
    }
    return out;
  }
  const Stack* stack_;
  std::vector<const Resource*> all_;
  ByType by_type_;
  std::shared_ptr<const ByType> app_;
};

// A compliance rule: what must hold, why (the citation), how to fix it, and the check over one
// stack's inventory that flags each construct where it does not hold. The built-in HIPAA rules
// are RuleSet::hipaa(); a program adds its own to a RuleSet (see below).
struct Rule {
  std::string id;  // stable, e.g. "HIPAA-RDS-1": letters, digits, '-', '_' and '.'
  Severity severity = Severity::Error;
  std::string citation;     // "45 CFR 164.312(a)(2)(iv)", or the user's own policy
  std::string title;        // one line: what must hold
  std::string remediation;  // how to make it hold
  std::function<void(const Inventory& stack, Reporter& report)> check;
  // The rules of cdk-nag's HIPAA Security pack this rule checks as well (same or stricter
  // threshold), space separated, without the "HIPAA.Security-" prefix: "RDSStorageEncrypted".
  std::string cdk_nag = {};
};

// A rule's finding is a Diagnostic (one type for every problem): its code is the rule's id, its
// severity the rule's, its hint the rule's remediation, and where its value was set (file, line,
// option, preset) is found as for any diagnostic (Construct::origin, or an override's line).
struct Finding : Diagnostic {
  std::shared_ptr<const Rule> rule;               // shared: a finding outlives the RuleSet that found it
  std::optional<std::string> suppressed_because;  // the suppression's reason, when suppressed
};

// What a rule's check function reports through.
class Reporter {
 public:
  Reporter(std::shared_ptr<const Rule> rule, std::vector<Finding>& out) : rule_(std::move(rule)), out_(&out) {}
  // Reports that `construct` breaks the rule; a suppression of the rule on it or an enclosing
  // construct marks the finding suppressed (with its reason) instead of dropping it.
  void flag(const Construct& construct, std::string message);
  // As above, located at `where` (an override's line: Resource::Override::where) instead of
  // where the construct's value was set.
  void flag(const Construct& construct, std::string message, const SourceLocation& where);

 private:
  std::shared_ptr<const Rule> rule_;
  std::vector<Finding>* out_;
};

// The rules a check runs: a value, built from the built-in HIPAA rules and a program's own, as
// cdk-nag packs and CDK aspects are. Copies share the rules (they are immutable once added).
//
//   rules::RuleSet set = rules::RuleSet::hipaa();
//   set.add({.id = "ORG-TAG-1", .severity = Severity::Error, .citation = "Org policy 4.2",
//            .title = "Buckets carry a data-classification tag", .remediation = "tag the bucket",
//            .check = [](const rules::Inventory& stack, rules::Reporter& report) { ... }});
//   rules::Report report = rules::check(app, set);      // or SynthesisOptions::rules
//
// A user's rule takes part in everything a built-in one does: reports, SARIF, suppressions
// (construct.suppress("ORG-TAG-1", reason)), the compliance gate of synthesize() and the CLI, and
// `hipaa-synth rules`.
class RuleSet {
 public:
  RuleSet() = default;  // no rules
  // Every built-in rule (all_rules()), in its stable order.
  [[nodiscard]] static RuleSet hipaa();
  // Adds `rule` after the rules already in the set. A rule that cannot run (an id empty, with
  // other characters than letters, digits, '-', '_' and '.', or already in the set; no title; no
  // check) is reported by problems(), and check() and synthesize() refuse the set then.
  RuleSet& add(Rule rule);
  // Adds every rule of `other` not already in this set (by identity), in its order.
  RuleSet& add(const RuleSet& other);

  [[nodiscard]] const std::vector<std::shared_ptr<const Rule>>& rules() const { return rules_; }
  [[nodiscard]] std::size_t size() const { return rules_.size(); }
  // The rule with this id, or null.
  [[nodiscard]] std::shared_ptr<const Rule> find(std::string_view id) const;
  // HS1006 errors, one per rule that cannot run, naming it and what is wrong.
  [[nodiscard]] Diagnostics problems() const;

 private:
  std::vector<std::shared_ptr<const Rule>> rules_;
};

struct Report {
  std::vector<Finding> findings;  // stack order, then rule order
  // The tree's validation problems, for renderings that carry both (`hipaa-synth check` puts
  // validate()'s here). Rules run only over a tree without errors: with errors here and no
  // findings, the renderings say the rules did not run.
  Diagnostics diagnostics;
  // The rules that ran (or were to run), for the renderings' rule lists and counts.
  RuleSet rules = RuleSet::hipaa();
  // Unsuppressed error findings (validation errors aside).
  [[nodiscard]] bool has_unsuppressed_errors() const;
  [[nodiscard]] std::size_t count(Severity severity, bool suppressed) const;
};

// The last add_override of a property a rule judges, in either target: `cloudformation` is the
// property's name under Properties ("StorageEncrypted"), `terraform` the argument
// ("storage_encrypted"). Null when neither is overridden. A rule that reads a typed property reads
// this too, so that an override cannot slip past it.
[[nodiscard]] const Resource::Override* find_override(const Resource& resource, std::string_view cloudformation,
                                                      std::string_view terraform);

// The cdk-nag HIPAA rules `rule` covers (its space-separated `cdk_nag` field), without the
// "HIPAA.Security-" prefix, in order.
[[nodiscard]] std::vector<std::string_view> cdk_nag_ids(const Rule& rule);

// Every built-in rule, in a stable order (by area, then number).
[[nodiscard]] const std::vector<Rule>& all_rules();
// The built-in rule with this id, or null.
[[nodiscard]] const Rule* find_rule(std::string_view id);

// Runs every rule of `rules` over every stack of the app (stack order, then rule order). The tree
// is assumed valid (validate() first; synthesize() does both). A set with problems() runs no rule:
// its problems are the report's diagnostics.
[[nodiscard]] Report check(const App& app, const RuleSet& rules = RuleSet::hipaa());

// "error HIPAA-RDS-1 at Stack/Db (stack.cpp:12): message [45 CFR ...]"
[[nodiscard]] std::string format(const Finding& finding);

// Renderings of a report: findings and diagnostics, each with where its value was set.
[[nodiscard]] std::string to_text(const Report& report);
[[nodiscard]] std::string to_json(const Report& report);

struct SarifOptions {
  std::string tool_version;
  // Files under it become URIs relative to it, under the base id SRCROOT, which code scanning
  // resolves against the repository: run from the repository's root or give it here. Files
  // outside it stay absolute file:// URIs. Empty: the working directory. Its own absolute path
  // is not written, so the log is the same on every machine.
  std::filesystem::path source_root;
};
// SARIF 2.1.0 for code scanning: every rule (and each diagnostic code that occurs) with its
// metadata, results with relative locations, stable partialFingerprints (rule, construct path).
[[nodiscard]] std::string to_sarif(const Report& report, const SarifOptions& options);
[[nodiscard]] std::string to_sarif(const Report& report, std::string_view tool_version);
// docs/rules.md: every rule of the set with its citation, and the cdk-nag HIPAA rules no
// built-in rule covers.
[[nodiscard]] std::string rules_markdown(const RuleSet& set = RuleSet::hipaa());

}  // namespace hipaa::rules
