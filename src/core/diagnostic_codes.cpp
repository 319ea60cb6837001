// Every diagnostic code hipaa-synth reports, with what it means and how to fix it. docs/diagnostics.md
// is generated from this table (`hipaa-synth codes --format markdown`), and tests/test_tree.cpp
// checks that every code reported in src/ is listed here and every code listed here is reported.
#include <algorithm>
#include <array>

#include "hipaa/diagnostic.hpp"

namespace hipaa {
namespace {

constexpr std::array kCodes = std::to_array<DiagnosticCode>({
    {"HS1001", "Duplicate construct id",
     "Two children of one construct have the same id. Ids must be unique among siblings; the message names where "
     "the first was created."},
    {"HS1002", "Invalid construct id", "A construct id is empty or contains '/', which separates path segments."},
    {"HS1003", "Colliding logical id or Terraform name",
     "Two resources of a stack derive the same CloudFormation logical id or Terraform name (ids are the path's "
     "letters and digits, so 'A/BC' and 'AB/C' collide). Rename one, or pin a distinct id."},
    {"HS1004", "Invalid logical id or Terraform name",
     "A pinned logical id is not 1-255 letters and digits, or a Terraform name is not a valid block label."},
    {"HS1005", "Suppression without a reason",
     "Every suppression of a compliance rule needs a reason: it is listed in reports and recorded in the output."},
    {"HS1006", "Compliance rule that cannot run",
     "A rule added to a rules::RuleSet has an empty id, an id with characters other than letters, digits, '-', "
     "'_' and '.', an id already in the set, no title, or no check function. No rule of the set runs until it is "
     "fixed."},
    {"HS1007", "Override path that does not parse",
     "An add_override path is empty, has an empty segment, blanks or brackets (a list element is its index as a "
     "segment: Properties.Tags.0.Value), starts at a key a CloudFormation resource does not have (Properties, "
     "Metadata, DependsOn, DeletionPolicy, UpdateReplacePolicy, UpdatePolicy, CreationPolicy, Condition) or "
     "names a property that is not a CloudFormation property name, or, for Terraform, does not start with an "
     "argument or block name. Reported at the add_override's line."},
    {"HS1008", "Call refused while building the tree",
     "A construct helper could not do what was asked and added nothing: a connection (connections().allow_from, "
     "allow_default_port_from, ...) for a node without a security group, without a default port, on a port "
     "outside 0-65535, or between security groups of different stacks. Reported at the line of the call."},
    {"HS2001", "Required property missing",
     "A property or reference the node needs is not set, a list has too few items, or a combination of settings "
     "is incomplete."},
    {"HS2002", "Invalid CIDR block",
     "A CIDR does not parse, has host bits set, has a prefix outside the range AWS accepts, or lies outside its "
     "VPC's range."},
    {"HS2003", "Name AWS would reject",
     "A name is too long or too short or has characters the service does not accept. Checked on the literal text, "
     "with stack parameters at their defaults."},
    {"HS2004", "Value out of range",
     "A number lies outside the range AWS accepts, or two settings contradict each other."},
    {"HS2005", "Resource policy written twice or from another stack",
     "Two resources write the resource policy of one resource (a bucket's policy by an s3::BucketPolicy and a "
     "trail), or the writer is in another stack. A resource has one resource policy: give all its statements to "
     "one writer, in the resource's own stack."},
    {"HS2006", "Unknown region",
     "A stack's region, or the region of its Terraform state bucket, is not a region of any partition hipaa-synth "
     "knows (aws, aws-cn, aws-us-gov). The message lists the regions of the partition the name belongs to."},
    {"HS2007", "Stack option outside its limits",
     "A healthcare stack option would be rejected by AWS or by the stack's own template: an environment suffix "
     "or name prefix with characters, hyphens or a length that a derived name (RDS and ElastiCache ids, Lambda "
     "names, buckets) does not allow, an empty or invalid database name or user name, negative throttling, or a "
     "route with an HTTP method API Gateway does not know. The suffix's limits are those of the emitted "
     "EnvironmentSuffix parameter. The message names the option, its value and its limit."},
    {"HS2008", "More availability zones than the region has",
     "Resources select an availability zone by index (select(i, availability_zones())) beyond the zones the "
     "stack's region has, so two of them would share a zone (Terraform's element() wraps) or the deploy would fail "
     "(CloudFormation's Fn::Select). The message names the resource, the zones it needs and the region's count."},
    {"HS2009", "Tag AWS would reject",
     "A tag set with Tags::of(scope) has an empty key, a key over 128 characters or starting with 'aws:', a value "
     "over 256 characters, or characters other than letters, digits, spaces and _ . : / = + - @; or a resource "
     "would carry more than 50 tags from its stack and scopes."},
    {"HS2010", "Raw resource that cannot be synthesized",
     "A RawResource has no type at all, a CloudFormation type that is not AWS::Service::Resource, a registry "
     "type Org::Service::Resource or Custom::Name, a Terraform type that is not provider_resource in lower-case "
     "snake case, properties without a type, a property name that is empty, has a '.', repeats or is not a "
     "name of its target (CloudFormation: letters and digits from an upper-case letter, except a custom "
     "resource's; Terraform: lower-case snake case), a Tags / tags property of its own while its tagging is not "
     "None, or tags while its tagging is None."},
    {"HS2011", "Lambda code that cannot be packaged",
     "The file or directory given to lambda::Code::from_file or Code::from_directory (relative to the working "
     "directory) does not exist, is not a regular file or directory, cannot be read, is an empty directory, holds "
     "something other than files and directories or a symbolic link that leads out of it or into a loop, or is "
     "over Lambda's quotas: 250 MB unzipped, or, for Terraform, which uploads the zip directly, 50 MB zipped. "
     "Reported at the line of the call."},
    {"HS3002", "Reference into another app",
     "A property refers to a resource of a different App; references may cross stacks but not apps."},
    {"HS3003", "Dependency cycle",
     "Resources of a stack depend on each other in a loop, through references or explicit dependencies."},
    {"HS3004", "Attribute without a Terraform equivalent",
     "A reference names an attribute that only CloudFormation has; it cannot be synthesized for Terraform."},
    {"HS3005", "Stack dependency cycle", "Stacks import each other's values in a loop, so no deploy order exists."},
    {"HS3006", "Node without a form in this target",
     "A node has no resource type in the target being synthesized (a raw resource given only the other target's "
     "type)."},
    {"HS3007", "Grant that cannot take effect",
     "A grant names a Lambda function with no iam::Role of the app to hold it, or asks for a connection the "
     "resource does not accept: grant_connect on a database with IAM database authentication off or as a user name "
     "an IAM policy cannot name, or on a Redis replication group none of whose users authenticates with IAM. "
     "Nothing is granted."},
    {"HS3010", "CloudFormation template limit exceeded",
     "A stack has more than 500 resources, 200 outputs or 200 parameters, or its template is over 1,000,000 bytes: "
     "CloudFormation cannot create it. Split the stack."},
    {"HS3011", "Template must be uploaded to S3",
     "A warning: the template is over 51,200 bytes, so it cannot be passed inline and must be deployed from an S3 "
     "bucket."},
    {"HS3012", "Override path that does not fit the resource",
     "An add_override path goes through a value that is neither an object nor a list (a string, a number), or "
     "gives a list index beyond the list's end. The override would silently replace what it goes through."},
    {"HS3013", "Terraform-only value",
     "A value holds a Terraform function call (call(\"jsonencode\", ...)) or a Terraform address, which "
     "CloudFormation has no form for, or the function name or address does not parse."},
    {"HS4001", "Cannot write output",
     "A file or directory of the output could not be created, written or renamed, a symbolic link inside the output "
     "directory stands where an output file or subdirectory goes, or a killed run's journal is unreadable; with "
     "--atomic (WriteOptions::atomic), the output directory is a real directory or a link the atomic layout did not "
     "make, or without it, a link that layout made. Nothing was replaced."},
    {"HS4002", "Output directory in use",
     "Another run holds the output directory's lock (.hipaa-synth.lock) and --no-wait (WriteOptions::wait = false) "
     "was given; the message names its pid. The CLI exits 3."},
    {"HS4003", "Cannot create the project",
     "`hipaa-synth init DIR`: DIR exists and is not an empty directory, the project name (--name, or DIR's own "
     "name) is not a letter followed by letters, digits, '-' or '_' (at most 64), or a file could not be written. "
     "The project is staged beside DIR and renamed into place, so nothing is left behind."},
    {"HS5001", "Config file is not valid YAML or JSON",
     "The --config file does not parse, holds more than one document, repeats a key, nests deeper than 200 levels, "
     "or has YAML aliases that form a cycle or expand to more than 100,000 nodes."},
    {"HS5002", "Unknown config key", "The --config file has a key the healthcare stack does not know."},
    {"HS5003", "Config value of the wrong type",
     "A --config value has the wrong type, is out of range (database.instances: 0 to 16) or a required field of a "
     "list item is missing."},
    {"HS5004", "Config file unreadable",
     "The --config file does not exist, is not a regular file (a directory, FIFO or device), is larger than 64 MiB or "
     "cannot be read."},
    {"HS6001", "Diff input unreadable",
     "A file given to diff or --check does not exist, is not a regular file, is larger than 64 MiB or cannot be read."},
    {"HS6002", "Diff input does not parse",
     "A file given to diff or --check is not valid YAML or JSON, nests deeper than 200 levels, or has YAML aliases "
     "that form a cycle or expand to more than 100,000 nodes."},
    {"HS6003", "Diff input of an unknown kind",
     "A file given to diff is neither a CloudFormation template nor a Terraform JSON configuration."},
    {"HS6004", "Diff inputs of different kinds", "diff compares two CloudFormation templates or two Terraform files."},
    {"HS7001", "Compliance errors",
     "A compliance rule reported an error that no suppression covers, so synthesize() (and the CLI) wrote nothing. "
     "Fix the findings printed above it, suppress a finding with its reason, or opt out with allow_noncompliant "
     "(--allow-noncompliant), which makes this a warning."},
    {"HS9001", "Internal: undeclared target type",
     "A node emitted a target resource type its NodeInfo does not declare. This is a bug in the node: declare the "
     "type in its kInfo."},
});

}  // namespace

std::span<const DiagnosticCode> diagnostic_codes() { return kCodes; }

const DiagnosticCode* find_diagnostic_code(std::string_view code) {
  const auto* it = std::ranges::find(kCodes, code, &DiagnosticCode::code);
  return it == kCodes.end() ? nullptr : it;
}

}  // namespace hipaa
