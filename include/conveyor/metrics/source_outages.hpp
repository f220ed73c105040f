// Outages of a live source: times frames did not exist at all (a camera
// unplugged and reconnected). They are not decoded frames, so they are not in
// the balance decoded = written + dropped; the report lists them beside it
// with their start, length and the frames the source's rate would have given.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace conveyor::metrics {

struct Outage {
  double start_s = 0;              // since the start of the run
  double length_s = 0;             // from the last frame before to the first after
  std::int64_t frames_missed = 0;  // estimated: round(length × fps) − 1, at least 0
};

class SourceOutages {
 public:
  void add(double start_s, double length_s, double fps);
  const std::vector<Outage>& list() const { return outages_; }
  std::int64_t frames_missed() const;
  // [{"start_s", "length_s", "frames_missed"}, ...]; [] when none.
  nlohmann::json to_json() const;
  // "" when there was none.
  std::string summary_line() const;

 private:
  std::vector<Outage> outages_;
};

}  // namespace conveyor::metrics
