#include "hipaa/aws/iam.hpp"

#include <algorithm>
#include <type_traits>

#include "hipaa/aws/lambda.hpp"
#include "validate/checks.hpp"

namespace hipaa::iam {

Principal service(Value service_name) { return {Principal::Kind::Service, {std::move(service_name)}}; }
Principal aws(Value arn) { return {Principal::Kind::Aws, {std::move(arn)}}; }
Principal account_root() { return aws(interpolate({"arn:", partition(), ":iam::", account_id(), ":root"})); }
Principal anyone() { return {Principal::Kind::Any, {"*"}}; }

PolicyDocument assumed_by(Value service_name) {
  return {{allow({"sts:AssumeRole"}).principal(service(std::move(service_name)))}};
}

Statement allow(std::vector<std::string> actions) {
  Statement s;
  s.effect = Effect::Allow;
  s.actions = std::move(actions);
  return s;
}

Statement deny(std::vector<std::string> actions) {
  Statement s = allow(std::move(actions));
  s.effect = Effect::Deny;
  return s;
}

Value aws_managed(const std::string& name) { return interpolate({"arn:", partition(), ":iam::aws:policy/" + name}); }

namespace {

std::string_view principal_key(Principal::Kind kind) {
  switch (kind) {
    case Principal::Kind::Service: return "Service";
    case Principal::Kind::Aws: return "AWS";
    case Principal::Kind::Any: return "*";
  }
  return "AWS";
}

// CloudFormation reads a one-element list and its element alike; a scalar reads better.
doc::Node one_or_list(Lowering& l, const std::vector<Value>& values) {
  if (values.size() == 1) return l.render(values.front());
  doc::List out;
  for (const auto& v : values) out.push_back(l.render(v));
  return out;
}

doc::Node cloudformation_policy(Lowering& l, const PolicyDocument& policy) {
  doc::List statements;
  for (const auto& s : policy.statements) {
    doc::Node out = doc::Map{};
    if (!s.sid.empty()) out.set("Sid", s.sid);
    out.set("Effect", s.effect == Effect::Allow ? "Allow" : "Deny");
    if (!s.principals.empty()) {
      if (s.principals.size() == 1 && s.principals.front().kind == Principal::Kind::Any) {
        out.set("Principal", "*");
      } else {
        doc::Node principals = doc::Map{};
        for (const auto& p : s.principals) principals.set(principal_key(p.kind), one_or_list(l, p.identifiers));
        out.set("Principal", std::move(principals));
      }
    }
    out.set("Action", one_or_list(l, std::vector<Value>(s.actions.begin(), s.actions.end())));
    if (!s.resources.empty()) out.set("Resource", one_or_list(l, s.resources));
    if (!s.conditions.empty()) {
      doc::Node conditions = doc::Map{};
      for (const auto& c : s.conditions) {
        doc::Node* test = conditions.find(c.test);
        if (test == nullptr) test = &conditions.set(c.test, doc::Map{});
        test->set(c.variable, one_or_list(l, c.values));
      }
      out.set("Condition", std::move(conditions));
    }
    statements.push_back(std::move(out));
  }
  return doc::Map{{"Version", "2012-10-17"}, {"Statement", std::move(statements)}};
}

std::string terraform_policy(Lowering& l, const Resource& owner, std::string_view suffix,
                             const PolicyDocument& policy) {
  std::vector<Properties> statements;
  for (const auto& s : policy.statements) {
    Properties out = l.object();
    if (!s.sid.empty()) out.terraform("sid", s.sid);
    out.terraform("effect", s.effect == Effect::Allow ? "Allow" : "Deny");
    out.terraform("actions", Value(s.actions));
    if (!s.resources.empty()) out.terraform("resources", ValueList(s.resources));
    std::vector<Properties> principals;
    for (const auto& p : s.principals) {
      Properties principal = l.object();
      principal.terraform("type", std::string(principal_key(p.kind)));
      principal.terraform("identifiers", ValueList(p.identifiers));
      principals.push_back(std::move(principal));
    }
    out.set({{}, "principals"}, principals);
    std::vector<Properties> conditions;
    for (const auto& c : s.conditions) {
      Properties condition = l.object();
      condition.terraform("test", c.test);
      condition.terraform("variable", c.variable);
      condition.terraform("values", ValueList(c.values));
      conditions.push_back(std::move(condition));
    }
    out.set({{}, "condition"}, conditions);
    statements.push_back(std::move(out));
  }
  Properties body = l.object();
  body.set({{}, "statement"}, statements);
  const std::string name = owner.terraform_name() + (suffix.empty() ? "" : "_" + snake_case(suffix));
  return "${" + l.add_terraform_data("aws_iam_policy_document", name, std::move(body)) + ".json}";
}

// Terraform: one aws_iam_role_policy_attachment per managed policy, named after the policy
// ("<role suffix>AmazonRDSEnhancedMonitoringRole", "<role suffix><PolicyLogicalId>"); returns
// their suffixes.
std::vector<std::string> attach_managed_policies(Lowering& l, const Resource& owner, std::string_view role_suffix,
                                                 const doc::Node& role_name, const std::vector<Value>& arns) {
  std::vector<std::string> suffixes;
  for (const auto& arn : arns) {
    std::string suffix = "Policy";
    if (const auto* interpolation = arn.get_if<Interpolation>()) {
      if (const auto* last = interpolation->parts.back().get_if<std::string>()) {
        suffix = last->substr(last->rfind('/') + 1);
      }
    } else if (const auto* ref = arn.get_if<AttributeRef>()) {
      suffix = ref->target->logical_id();
    }
    suffixes.push_back(std::string(role_suffix) + suffix);
    l.add(owner, "aws_iam_role_policy_attachment", suffixes.back())
        .properties()
        .set_node("role", role_name)
        .terraform("policy_arn", arn);
  }
  return suffixes;
}

}  // namespace

ServiceRoleResources lower_service_role(Lowering& l, const Resource& owner, std::string_view suffix,
                                        const ServiceRole& role) {
  Statement trust = allow({"sts:AssumeRole"}).principal(service(role.service));
  for (const auto& condition : role.trust_conditions) trust.when(condition);
  auto& target = l.add(owner, l.is_cloudformation() ? "AWS::IAM::Role" : "aws_iam_role", suffix);
  target.properties()
      .set({"Description", "description"}, role.description)
      .set_node(l.is_cloudformation() ? "AssumeRolePolicyDocument" : "assume_role_policy",
                lower_policy_document(l, owner, std::string(suffix) + "AssumeRolePolicy", PolicyDocument{{trust}}));
  if (l.is_cloudformation()) {
    if (!role.managed_policy_arns.empty()) {
      target.properties().cloudformation("ManagedPolicyArns", ValueList(role.managed_policy_arns));
    }
    return {&target, {}};
  }
  return {&target, attach_managed_policies(l, owner, suffix, target.reference({"", "name"}), role.managed_policy_arns)};
}

doc::Node lower_policy_document(Lowering& lowering, const Resource& owner, std::string_view suffix,
                                const PolicyDocument& policy) {
  if (lowering.is_cloudformation()) return cloudformation_policy(lowering, policy);
  return terraform_policy(lowering, owner, suffix, policy);
}

void Role::lower(Lowering& l) const {
  const auto& p = props();
  auto& role = l.add(*this);
  role.properties()
      .set({"RoleName", "name"}, p.role_name)
      .set({"Description", "description"}, p.description)
      .set_node(l.is_cloudformation() ? "AssumeRolePolicyDocument" : "assume_role_policy",
                lower_policy_document(l, *this, "AssumeRolePolicy", p.assume_role_policy));
  role.tags(p.tags);

  if (l.is_cloudformation()) {
    if (!p.managed_policy_arns.empty()) {
      role.properties().cloudformation("ManagedPolicyArns", ValueList(p.managed_policy_arns));
    }
    if (!p.inline_policies.empty()) {
      doc::List policies;
      for (const auto& [name, document] : p.inline_policies) {
        policies.push_back(
            doc::Map{{"PolicyName", name}, {"PolicyDocument", lower_policy_document(l, *this, name, document)}});
      }
      role.properties().set_node("Policies", std::move(policies));
    }
    return;
  }
  // Terraform: attachments and inline policies are resources of their own, which is what the
  // provider recommends over the deprecated managed_policy_arns / inline_policy arguments.
  (void)attach_managed_policies(l, *this, {}, l.render(role_name()), p.managed_policy_arns);
  for (const auto& [name, document] : p.inline_policies) {
    l.add(*this, "aws_iam_role_policy", name)
        .properties()
        .terraform("name", name)
        .terraform("role", role_name())
        .set_node("policy", lower_policy_document(l, *this, name, document));
  }
}

void Role::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.name(props().role_name, "role_name", 64, detail::is_iam_name_char, "A-Z a-z 0-9 +=,.@_-");
  check.required_list(props().assume_role_policy.statements, "assume_role_policy");
}

namespace {

// The same permissions: equal apart from the sid.
bool same_grant(const Statement& a, const Statement& b) {
  return a.effect == b.effect && a.actions == b.actions && same_values(a.resources, b.resources) &&
         std::ranges::equal(a.principals, b.principals,
                            [](const Principal& p, const Principal& q) {
                              return p.kind == q.kind && same_values(p.identifiers, q.identifiers);
                            }) &&
         std::ranges::equal(a.conditions, b.conditions, [](const Condition& c, const Condition& d) {
           return c.test == d.test && c.variable == d.variable && same_values(c.values, d.values);
         });
}

}  // namespace

bool Role::add_to_policy(Statement statement) {
  if (grants_ == nullptr) grants_ = &add<GrantPolicy>("Grants", {.role = *this});
  auto& statements = grants_->statements_;
  const auto taken = [&](const std::string& sid) {
    return std::ranges::any_of(statements, [&](const Statement& s) { return !sid.empty() && s.sid == sid; });
  };
  // The same permissions again (the same grant made twice) add nothing, whatever their sid.
  if (std::ranges::any_of(statements, [&](const Statement& s) { return same_grant(s, statement); })) return false;
  if (taken(statement.sid)) {
    const std::string base = statement.sid;
    for (int n = 2; taken(statement.sid); ++n) statement.sid = base + std::to_string(n);
  }
  statements.push_back(std::move(statement));
  return true;
}

void GrantPolicy::lower(Lowering& l) const {
  const Role* role = props().role.get();
  if (role == nullptr) return;
  auto& policy = l.add(*this);
  policy.properties()
      .set({"Description", "description"}, "Permissions granted to " + role->path())
      .set_node(l.is_cloudformation() ? "PolicyDocument" : "policy",
                lower_policy_document(l, *this, {}, PolicyDocument{statements_}));
  if (l.is_cloudformation()) {
    // Attached from the policy's side: the role does not wait for what it is granted.
    policy.properties().cloudformation("Roles", ValueList{role->role_name()});
    return;
  }
  l.add(*this, "aws_iam_role_policy_attachment", kAttachmentSuffix)
      .properties()
      .terraform("role", role->role_name())
      .terraform("policy_arn", arn());
}

void GrantPolicy::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.required(props().role, "role");
  if (props().role && props().role->grant_policy() != this) {
    check.error("HS2001",
                "a GrantPolicy holds the grants of " + props().role->path() +
                    " and is created by its "
                    "add_to_policy, not directly",
                "call role.add_to_policy(statement) or a grant method");
  }
}

Grantee::Grantee(lambda::Function& function)
    // A Ref holds a const node because properties only read the nodes they name; every node is
    // created non-const by scope.add<T>() and owned by the tree, so the role may be changed here.
    : role_(const_cast<Role*>(function.props().role.get())), function_(&function) {}

void Grantee::add_to_policy(Statement statement, std::string_view grant) const {
  if (role_ != nullptr) {
    role_->add_to_policy(std::move(statement));
    return;
  }
  if (function_ == nullptr) return;
  auto& pending = function_->grants_without_role_;
  if (std::ranges::find(pending, grant) == pending.end()) pending.emplace_back(grant);
}

void ManagedPolicy::lower(Lowering& l) const {
  const auto& p = props();
  l.add(*this)
      .properties()
      .set({"ManagedPolicyName", "name"}, p.policy_name)
      .set({"Description", "description"}, p.description)
      .set_node(l.is_cloudformation() ? "PolicyDocument" : "policy",
                lower_policy_document(l, *this, "Document", p.document));
}

void ManagedPolicy::validate(Diagnostics& out) const {
  detail::Checker check(*this, out);
  check.name(props().policy_name, "policy_name", 128, detail::is_iam_name_char, "A-Z a-z 0-9 +=,.@_-");
  check.required_list(props().document.statements, "document");
}

}  // namespace hipaa::iam
