// One benchmark row: the reference scenario at a given scale and thread
// count, timed phase by phase. Run each configuration in its own process
// (scripts/bench.sh does) so that peak memory belongs to that run alone.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/parallel.hpp"
#include "scenario/scenario.hpp"
#include "model/simulation.hpp"
#include "run/run.hpp"

using namespace fraudsim;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: fraudsim_bench SCENARIO.yaml SCALE THREADS [--phases | --setup-only]\n");
    return 2;
  }
  const std::string scale = argv[2];
  const int threads = std::atoi(argv[3]);
  const bool phases = argc > 4 && std::string(argv[4]) == "--phases";
  // --setup-only: the world set up, not run; prints "scale threads residents
  // setup_s peak_MiB user_s sys_s".
  const bool setup_only = argc > 4 && std::string(argv[4]) == "--setup-only";
  engine::ThreadLimit limit(threads);
  const auto begin = std::chrono::steady_clock::now();
  model::Simulation simulation = run::simulation_of(scenario::load_scenario(argv[1], {{"scale", scale}}), 1);
  const double setup = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  if (setup_only) {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
    std::printf("%8s %7d %12lld %8.3f %10.0f %8.2f %8.2f\n", scale.c_str(), threads,
                static_cast<long long>(simulation.world().residents.size()), setup, static_cast<double>(usage.ru_maxrss) / 1024.0,
                seconds(usage.ru_utime), seconds(usage.ru_stime));
    return 0;
  }
  simulation.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double peak_bytes = static_cast<double>(usage.ru_maxrss) * 1024.0;
  const double residents = static_cast<double>(simulation.world().residents.size());
  const double days = simulation.calendar().num_days();
  std::int64_t contacts = 0;
  for (const auto& day : simulation.daily_counts()) contacts += day[int(model::Series::contacts_delivered)];
  double contact_seconds = 0;
  for (const auto& timing : simulation.phase_timings())
    if (timing.name == "scam_contacts") contact_seconds = timing.seconds;

  // Processor time of the whole process (every thread), for the core-second goals.
  const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;

  std::printf("%8s %7d %12.0f %9.2f %8.2f %14.3g %14.3g %14.3g %10.0f %9.1f %8.2f\n", scale.c_str(), threads, residents,
              wall, setup, residents * days / wall, static_cast<double>(contacts) / wall,
              static_cast<double>(contacts) / contact_seconds, peak_bytes / 1048576.0, peak_bytes / residents, cpu);
  if (phases)
    for (const auto& timing : simulation.phase_timings())
      std::printf("           phase %-20s %8.3f s\n", timing.name.c_str(), timing.seconds);
  return 0;
}
