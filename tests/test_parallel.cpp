// Stacks are synthesized on several threads: the output must not depend on how many, or on
// scheduling.
#include <catch2/catch.hpp>

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "hipaa/synth.hpp"
#include "hipaa/synthetic.hpp"
#include "support/parallel.hpp"

using namespace hipaa;

TEST_CASE("Any number of jobs gives the same files, byte for byte", "[parallel]") {
  App app;
  add_synthetic_stacks(app, {.stacks = 24, .resources_per_stack = 30});  // every stack imports from the first
  for (const Target target : {Target::CloudFormation, Target::Terraform}) {
    const SynthesisResult serial = synthesize(app, {.target = target, .jobs = 1, .allow_noncompliant = true});
    REQUIRE(serial.ok());
    REQUIRE(serial.files.size() > 24);
    for (const unsigned jobs : {2U, 5U, 0U}) {
      const SynthesisResult parallel = synthesize(app, {.target = target, .jobs = jobs, .allow_noncompliant = true});
      REQUIRE(parallel.files.size() == serial.files.size());
      for (std::size_t i = 0; i < serial.files.size(); ++i) {
        CHECK(parallel.files[i].path == serial.files[i].path);
        CHECK(parallel.files[i].contents == serial.files[i].contents);
      }
      CHECK(parallel.statistics.resources == serial.statistics.resources);
    }
  }
}

TEST_CASE("Diagnostics from several stacks come in app order whatever the jobs", "[parallel]") {
  App app;
  add_synthetic_stacks(app, {.stacks = 8, .resources_per_stack = 600});  // over 500 resources each
  const SynthesisResult serial =
      synthesize(app, {.target = Target::CloudFormation, .jobs = 1, .allow_noncompliant = true});
  const SynthesisResult parallel =
      synthesize(app, {.target = Target::CloudFormation, .jobs = 4, .allow_noncompliant = true});
  REQUIRE(serial.diagnostics.size() >= 8);
  REQUIRE(parallel.diagnostics.size() == serial.diagnostics.size());
  for (std::size_t i = 0; i < serial.diagnostics.size(); ++i) {
    CHECK(format(parallel.diagnostics[i]) == format(serial.diagnostics[i]));
  }
  CHECK(serial.diagnostics.front().code == "HS3010");
  CHECK(parallel.files.empty());
}

TEST_CASE("for_each_index runs every index once and passes on the first exception", "[parallel]") {
  std::vector<std::atomic<int>> runs(1000);
  detail::for_each_index(runs.size(), 4, [&](std::size_t i) { ++runs[i]; });
  for (const auto& r : runs) CHECK(r == 1);

  CHECK_THROWS_WITH(detail::for_each_index(100, 3,
                                           [](std::size_t i) {
                                             if (i == 42) throw std::runtime_error("index 42 failed");
                                           }),
                    "index 42 failed");
  CHECK(detail::worker_count(0, 1) == 1);
  CHECK(detail::worker_count(3, 100) == 3);
  CHECK(detail::worker_count(8, 2) == 2);
}

TEST_CASE("One thread per usable core: the CPU affinity counts, not the machine's cores", "[parallel]") {
  cpu_set_t original;
  REQUIRE(sched_getaffinity(0, sizeof original, &original) == 0);
  int first = 0;
  while (!CPU_ISSET(first, &original)) ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  REQUIRE(sched_setaffinity(0, sizeof one, &one) == 0);  // this thread only, as taskset -c would
  const unsigned restricted = detail::worker_count(0, 100);
  REQUIRE(sched_setaffinity(0, sizeof original, &original) == 0);
  CHECK(restricted == 1);
  CHECK(detail::worker_count(0, 100) == std::min(100U, static_cast<unsigned>(CPU_COUNT(&original))));
}
