// Internal: the one way work is spread over threads. Callers give each index its own output slot
// and merge the slots in index order afterwards, so results never depend on scheduling.
#pragma once

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace hipaa::detail {

// The cores this process may run on: its CPU affinity (what taskset and container cpusets
// restrict), which std::thread::hardware_concurrency() ignores.
inline unsigned usable_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return static_cast<unsigned>(CPU_COUNT(&set));
  return std::max(1U, std::thread::hardware_concurrency());
}

// The number of threads for `jobs` (0: one per usable core), never more than there is work.
inline unsigned worker_count(unsigned jobs, std::size_t work_items) {
  const unsigned wanted = jobs != 0 ? jobs : usable_cores();
  return static_cast<unsigned>(std::clamp<std::size_t>(work_items, 1, wanted));
}

// Runs work(i) for every i in [0, count), on `threads` threads (the caller's one among them).
// `work` must touch only what index i owns. If work throws, the remaining indices are skipped and
// the first exception is rethrown here, on the caller's thread, once every thread has stopped.
template <typename Work>
void for_each_index(std::size_t count, unsigned threads, const Work& work) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto drain = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        work(i);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = count;
      }
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(drain);
    drain();
  }  // the helpers join here
  if (failure) std::rethrow_exception(failure);
}

}  // namespace hipaa::detail
