#include "cli_numbers.hpp"

#include <charconv>
#include <system_error>

#include "conveyor/util/suggest.hpp"

namespace conveyor::app {
namespace {

// "'abc' is not a whole number", "'5000' is too large", "'-1' is out of range",
// or "" when accepted.
std::string check_whole_number(const std::string& text, std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  const char* const end = text.data() + text.size();
  const char* const begin =
      text.size() > 1 && text[0] == '+' && text[1] != '-' ? text.data() + 1 : text.data();
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (text.empty() || (ec != std::errc{} && ec != std::errc::result_out_of_range) || ptr != end) {
    return "'" + text + "' is not a whole number";
  }
  const bool negative = text.front() == '-';
  if ((ec == std::errc::result_out_of_range && !negative) || value > max) {
    return "'" + text + "' is too large";
  }
  if (ec == std::errc::result_out_of_range || value < min) return "'" + text + "' is out of range";
  return {};
}

}  // namespace

CLI::Validator whole_number(std::int64_t min, std::int64_t max, const std::string& expected,
                            const std::string& help) {
  return CLI::Validator(
      [min, max, expected](std::string& text) {
        const std::string problem = check_whole_number(text, min, max);
        return problem.empty() ? problem : problem + "; expected " + expected;
      },
      help);
}

CLI::Validator thread_count(const std::string& zero_means) {
  return whole_number(
      0, kMaxThreads,
      "0 (" + zero_means + ") or a thread count from 1 to " + std::to_string(kMaxThreads),
      "0.." + std::to_string(kMaxThreads));
}

CLI::Validator one_of(const std::vector<std::string>& names, const std::string& what) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  return CLI::Validator(
      [names, what, list](std::string& text) {
        for (const auto& name : names) {
          if (text == name) return std::string();
        }
        return "'" + text + "' is not a " + what + util::did_you_mean(text, names) +
               "; expected one of " + list;
      },
      "{" + list + "}");
}

}  // namespace conveyor::app
