#include "hipaa/aws/kms.hpp"
#include "hipaa/raw_resource.hpp"
#include "showcase.hpp"

namespace hipaa::showcase {

// A raw resource in both forms, with a reference to a typed node, a map of tags (the stack's and
// its own) and a reference to it from another raw resource: the conformance check validates what
// it writes against the resource specification and the provider schema like any node's.
void add_raw(Stack& stack) {
  Construct& group = stack.add_group("Raw");
  auto& key = group.add<kms::Key>("Key", {.description = "Showcase raw resources key"});
  auto& parameter =
      group.add<RawResource>("KeyArn", {.cloudformation = {.type = "AWS::SSM::Parameter",
                                                           .properties = {{"Name", "/showcase/raw/key-arn"},
                                                                          {"Type", "String"},
                                                                          {"Value", key.arn()},
                                                                          {"Description", "The showcase key's ARN"}}},
                                        .terraform = {.type = "aws_ssm_parameter",
                                                      .arguments = {{"name", "/showcase/raw/key-arn"},
                                                                    {"type", "String"},
                                                                    {"value", key.arn()},
                                                                    {"description", "The showcase key's ARN"}}},
                                        .tagging = Tagging::Map,
                                        .tags = {{"Purpose", "raw"}}});
  group.add<RawResource>("KeyName", {.cloudformation = {.type = "AWS::SSM::Parameter",
                                                        .properties = {{"Name", "/showcase/raw/key-parameter"},
                                                                       {"Type", "String"},
                                                                       {"Value", parameter.ref()}}},
                                     .terraform = {.type = "aws_ssm_parameter",
                                                   .arguments = {{"name", "/showcase/raw/key-parameter"},
                                                                 {"type", "String"},
                                                                 {"value", parameter.attribute({"", "name"})}}},
                                     .tagging = Tagging::Map});
}

}  // namespace hipaa::showcase
