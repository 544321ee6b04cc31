#pragma once
// What a run hands to a writer: plain arrays with names, units and
// descriptions. Knows nothing of HDF5; the model fills it, output/ writes it.
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace fraudsim::output {

// How a series aggregates over time: a flow is summed over the days of a
// period, a stock is read on the period's last day.
enum class Kind : std::uint8_t { flow, stock };

// A series over time: one value per day or per month. Counts are stored as
// integers, amounts as doubles. Written with the attributes `kind` ("flow"
// or "stock") and `scaled` (1 if multiplied by the scenario's scale to real
// people, cases, yuan; 0 if simulated one for one or not a count), so that
// readers need not know the series by name.
struct Series {
  std::string name;
  std::string units;
  std::string description;
  std::variant<std::vector<std::int64_t>, std::vector<double>> values;
  Kind kind = Kind::flow;
  bool scaled = false;
};

// A column of a table (one row per entry: an intervention, a compound, an
// event). With `width` > 0 it is 2-D, [rows, width] in row-major order (a
// compound's workforce by month, say).
struct Column {
  std::string name;
  std::string units;  // "" for text or labels
  std::string description;
  std::variant<std::vector<std::int64_t>, std::vector<double>, std::vector<std::string>> values;
  std::size_t width = 0;
};

// A table is written as an HDF5 group `/<group>` holding one 1-D dataset per
// column (all of equal length), with a `description` attribute on the group.
struct Table {
  std::string group;  // e.g. "interventions"; may be nested ("compounds/info")
  std::string description;
  std::vector<Column> columns;
  bool ragged = false;  // columns of different lengths (a group of related arrays rather than rows)
};

using MetaValue = std::variant<std::string, std::int64_t, double>;

struct RunOutput {
  std::vector<std::pair<std::string, MetaValue>> meta;  // attributes of /meta
  std::vector<std::string> daily_dates;                 // YYYY-MM-DD, one per simulated day
  std::vector<Series> daily;                            // each of length daily_dates.size()
  std::vector<std::string> monthly_months;              // YYYY-MM
  std::vector<Series> monthly;                          // each of length monthly_months.size()
  std::vector<Table> tables;
  // Wall-clock timings (seconds) by name: the only data that differ between
  // runs of the same scenario and seed, so they go under /perf and nowhere
  // else (the /meta attribute `threads` records the request, not a result).
  std::vector<std::pair<std::string, double>> perf_seconds;
};

}  // namespace fraudsim::output
