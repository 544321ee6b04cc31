#pragma once
// The phases of a simulated day, in order, each timed.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fraudsim::engine {

class DayPlan {
 public:
  using Phase = std::function<void(std::int32_t day)>;

  DayPlan& then(std::string name, Phase phase) {
    phases_.push_back({std::move(name), std::move(phase), 0.0});
    return *this;
  }
  void run_day(std::int32_t day) {
    for (Entry& entry : phases_) {
      const auto begin = std::chrono::steady_clock::now();
      entry.phase(day);
      entry.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    }
  }
  // Runs one phase by name, untimed; false if there is none of that name.
  bool run_phase(std::string_view name, std::int32_t day) {
    for (Entry& entry : phases_)
      if (entry.name == name) {
        entry.phase(day);
        return true;
      }
    return false;
  }
  struct Timing {
    std::string name;
    double seconds;
  };
  std::vector<Timing> timings() const {
    std::vector<Timing> out;
    for (const Entry& entry : phases_) out.push_back({entry.name, entry.seconds});
    return out;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const Entry& entry : phases_) out.push_back(entry.name);
    return out;
  }

 private:
  struct Entry {
    std::string name;
    Phase phase;
    double seconds;
  };
  std::vector<Entry> phases_;
};

}  // namespace fraudsim::engine
