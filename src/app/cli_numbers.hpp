// Whole-number command-line options checked by hand, so that a value out of
// range gets a message a person can read ("--frames: '-1' is not a number of
// frames; expected 0 (every frame) or a positive number of frames") instead of
// CLI11's "Value -1 not in range 0.000000 to 1797693134862315708...".
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace conveyor::app {

// The largest thread count any command accepts, as runtime.threads in YAML.
inline constexpr int kMaxThreads = 1024;

// Accepts a decimal integer from `min` to `max` (an optional sign, no
// fraction, no exponent, no spaces). Otherwise CLI11 reports
// "<option>: '<value>' <problem>; expected <expected>" with exit code 2.
// `help` is what `--help` shows after the type, e.g. "0..1024".
CLI::Validator whole_number(std::int64_t min, std::int64_t max, const std::string& expected,
                            const std::string& help);

// --threads of every command: 0 means `zero_means`, otherwise 1 to kMaxThreads.
CLI::Validator thread_count(const std::string& zero_means);

// One of `names` (e.g. --log-level): "'loud' is not a <what>; expected one of
// a, b, c", with the closest name suggested.
CLI::Validator one_of(const std::vector<std::string>& names, const std::string& what);

}  // namespace conveyor::app
