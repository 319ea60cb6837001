# bash completion for hipaa-synth. Installed as share/bash-completion/completions/hipaa-synth;
# works with or without the bash-completion package (source it from ~/.bashrc otherwise).
# Keep in step with src/cli/cli.cpp.

_hipaa_synth() {
  local cur prev
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev=""
  ((COMP_CWORD > 0)) && prev="${COMP_WORDS[COMP_CWORD - 1]}"

  # --opt=value: bash splits it at '=' (COMP_WORDBREAKS) into "--opt" "=" "value"; without
  # that split it is one word.
  if [[ "$cur" == "=" ]]; then
    cur=""
  elif [[ "$prev" == "=" ]] && ((COMP_CWORD > 1)); then
    prev="${COMP_WORDS[COMP_CWORD - 2]}"
  elif [[ "$cur" == --*=* ]]; then
    prev="${cur%%=*}"
    cur="${cur#*=}"
  fi

  # The subcommand, if one comes before the word being completed (option values skipped).
  local subcommand="" word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="${COMP_WORDS[i]}"
    case "$word" in
      check | rules | codes | nodes | schema | diff | bench-app | init)
        subcommand="$word"
        break
        ;;
      --target | --format | --preset | --config | --env-suffix | --region | --state-bucket | --state-key | --state-region | --state-kms-key | -o | --output | --stack | -j | --jobs | --source-root)
        ((i++))
        ;;
    esac
  done

  local words
  case "$prev" in
    --target) words="cfn tf" ;;
    --format)
      case "$subcommand" in
        check) words="text json sarif" ;;
        rules | codes | nodes) words="text markdown" ;;
        diff) words="text markdown json" ;;
        *) words="yaml json" ;;
      esac
      ;;
    --preset) words="processing records hardened" ;;
    --config)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return 0
      ;;
    -o | --output | --source-root)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      return 0
      ;;
    --name | --env-suffix | --region | --state-bucket | --state-key | --state-region | --state-kms-key | --stack | --stacks | --resources-per-stack | -j | --jobs)
      return 0  # free text
      ;;
  esac
  if [[ -n "${words:-}" ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
    return 0
  fi

  local stack_options="--preset --config --env-suffix --region --state-bucket --state-key --state-region --state-kms-key"
  local synth_options="--target --format -o --output --check --no-wait --atomic --stack --jobs --stats --allow-noncompliant --no-color"
  case "$subcommand" in
    check) words="--format --source-root $stack_options --help" ;;
    rules | codes | nodes) words="--format --help" ;;
    schema) words="--help" ;;
    diff)
      if [[ "$cur" != -* ]]; then  # OLD and NEW are files
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return 0
      fi
      words="--format --no-color --help"
      ;;
    init)
      if [[ "$cur" != -* ]]; then  # DIR
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return 0
      fi
      words="--name --help"
      ;;
    bench-app) words="--stacks --resources-per-stack $synth_options --help" ;;
    *)
      words="$synth_options $stack_options --help --version"
      [[ "$cur" == -* ]] || words="check rules codes nodes schema diff bench-app init $words"
      ;;
  esac
  mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
  return 0
}

complete -F _hipaa_synth hipaa-synth
