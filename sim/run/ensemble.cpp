#include "run/ensemble.hpp"

#include "engine/parallel.hpp"
#include "engine/stop.hpp"

namespace fraudsim::run {

namespace {

class ThreadEnsemble final : public Ensemble {
 public:
  explicit ThreadEnsemble(bool one_at_a_time) : one_at_a_time_(one_at_a_time) {}

  std::vector<JobResult> run(const std::vector<std::int64_t>& jobs, const Job& job,
                             const std::function<void()>& done) override {
    std::vector<JobResult> results(jobs.size());
    const auto one = [&](std::int64_t k) {
      engine::throw_if_stopped();
      results[static_cast<std::size_t>(k)] = job(jobs[static_cast<std::size_t>(k)]);
      if (done) done();
    };
    const auto count = static_cast<std::int64_t>(jobs.size());
    if (one_at_a_time_)
      for (std::int64_t k = 0; k < count; ++k) one(k);
    else
      engine::run_jobs(count, one);
    return results;
  }

 private:
  bool one_at_a_time_;
};

}  // namespace

std::unique_ptr<Ensemble> thread_ensemble(bool one_at_a_time) { return std::make_unique<ThreadEnsemble>(one_at_a_time); }

}  // namespace fraudsim::run
