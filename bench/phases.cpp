// Per-phase micro-benchmarks over a generated app (bench-app's generator): build the tree,
// validate, run the rules, lower + link + assemble, and serialize, for each target.
//   build/bench/hipaa_synth_bench --benchmark_filter=Lower
#include <benchmark/benchmark.h>

#include "backend/stack_lowering.hpp"
#include "hipaa/document.hpp"
#include "hipaa/healthcare.hpp"
#include "hipaa/rules.hpp"
#include "hipaa/synth.hpp"
#include "hipaa/synthetic.hpp"

namespace {

using namespace hipaa;

constexpr int kStacks = 20;
constexpr int kResourcesPerStack = 50;

std::unique_ptr<App> generated() {
  auto app = std::make_unique<App>();
  add_synthetic_stacks(*app, {.stacks = kStacks, .resources_per_stack = kResourcesPerStack});
  return app;
}

void set_items(benchmark::State& state, const App& app) {
  std::size_t resources = 0;
  for (const Stack* s : app.stacks()) resources += s->resources().size();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * resources));
}

void BuildTree(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(generated());
  set_items(state, *generated());
}

void Validate(benchmark::State& state) {
  const auto app = generated();
  for (auto _ : state) benchmark::DoNotOptimize(validate(*app));
  set_items(state, *app);
}

void Rules(benchmark::State& state) {
  const auto app = generated();
  for (auto _ : state) benchmark::DoNotOptimize(rules::check(*app));
  set_items(state, *app);
}

// Lowering, linking and assembling every stack, without serialization.
void Lower(benchmark::State& state, Target target) {
  const auto app = generated();
  for (auto _ : state) {
    for (const Stack* stack : app->stacks()) {
      auto lowering = target == Target::CloudFormation ? detail::cloudformation_lowering(*stack)
                                                       : detail::terraform_lowering(*stack);
      lowering->lower_all();
      benchmark::DoNotOptimize(lowering->assemble());
    }
  }
  set_items(state, *app);
}

void Serialize(benchmark::State& state, Target target, Format format) {
  const auto app = generated();
  std::vector<doc::Node> documents;
  for (const Stack* stack : app->stacks()) {
    auto lowering =
        target == Target::CloudFormation ? detail::cloudformation_lowering(*stack) : detail::terraform_lowering(*stack);
    lowering->lower_all();
    documents.push_back(lowering->assemble());
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (const auto& d : documents) {
      const std::string text = format == Format::Yaml ? doc::to_yaml(d) : doc::to_json(d);
      bytes += text.size();
      benchmark::DoNotOptimize(text.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

// The whole synthesis (validate, lower, link, serialize) on state.range(0) threads (0: one per
// core), to show what the threads buy.
void Synthesize(benchmark::State& state, Target target) {
  const auto app = generated();
  const auto jobs = static_cast<unsigned>(state.range(0));
  for (auto _ : state)
    benchmark::DoNotOptimize(synthesize(*app, {.target = target, .jobs = jobs, .allow_noncompliant = true}));
  set_items(state, *app);
}

void HealthcareStackEndToEnd(benchmark::State& state, Target target) {
  for (auto _ : state) {
    App app;
    app.add<HealthcareStack>("HealthcareStack", HealthcareOptions::preset(Preset::Hardened));
    benchmark::DoNotOptimize(synthesize(app, {.target = target}));  // validates, checks the rules, lowers
  }
}

}  // namespace

BENCHMARK(BuildTree)->Unit(benchmark::kMillisecond);
BENCHMARK(Validate)->Unit(benchmark::kMillisecond);
BENCHMARK(Rules)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Lower, CloudFormation, Target::CloudFormation)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Lower, Terraform, Target::Terraform)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Serialize, CloudFormationYaml, Target::CloudFormation, Format::Yaml)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Serialize, CloudFormationJson, Target::CloudFormation, Format::Json)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Serialize, TerraformJson, Target::Terraform, Format::Json)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Synthesize, CloudFormation, Target::CloudFormation)
    ->ArgName("jobs")
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(Synthesize, Terraform, Target::Terraform)
    ->ArgName("jobs")
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(HealthcareStackEndToEnd, CloudFormation, Target::CloudFormation)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(HealthcareStackEndToEnd, Terraform, Target::Terraform)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
