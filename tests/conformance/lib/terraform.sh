# Terraform helpers shared by run.sh and selftest.sh (source this file).
#
# Terraform runs fully offline: providers come only from the filesystem mirror
# (default /opt/tf-plugins, override with TF_PLUGIN_MIRROR), through a CLI
# config file passed in TF_CLI_CONFIG_FILE.

TF_PLUGIN_MIRROR=${TF_PLUGIN_MIRROR:-/opt/tf-plugins}
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

# True when terraform and the offline aws provider mirror are both present.
tf_available() {
  command -v terraform >/dev/null 2>&1 && [ -d "$TF_PLUGIN_MIRROR/registry.terraform.io/hashicorp/aws" ]
}

# Write the mirror-only CLI config into directory $1 and export TF_CLI_CONFIG_FILE.
tf_use_mirror() {
  local cfg="$1/terraform-mirror.tfrc"
  cat >"$cfg" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$TF_PLUGIN_MIRROR"
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
EOF
  export TF_CLI_CONFIG_FILE="$cfg"
}

# Print the path of a cached `terraform providers schema -json` dump for the
# mirrored aws provider, creating it if needed (needs tf_use_mirror first).
# $1: cache directory. Returns non-zero (with the log on stderr) on failure.
tf_provider_schema() {
  local cache_dir="$1" versions key out work
  versions=$(ls "$TF_PLUGIN_MIRROR/registry.terraform.io/hashicorp/aws" | tr '\n' '_')
  key="aws-provider-schema-${versions%_}.json"
  out="$cache_dir/$key"
  if [ -s "$out" ]; then
    echo "$out"
    return 0
  fi
  mkdir -p "$cache_dir"
  work=$(mktemp -d)
  printf '%s\n' '{"terraform":{"required_providers":{"aws":{"source":"hashicorp/aws"}}}}' >"$work/main.tf.json"
  if (cd "$work" && terraform init -backend=false -input=false -no-color >"$work/log" 2>&1 &&
    terraform providers schema -json >"$out.tmp" 2>>"$work/log"); then
    mv "$out.tmp" "$out"
    rm -rf "$work"
    echo "$out"
  else
    cat "$work/log" >&2
    rm -rf "$work" "$out.tmp"
    return 1
  fi
}
