// File-name patterns for image sequences: printf fields (frame_%04d.png),
// globs (*.png, frame_??.png) and the natural order of the names they match.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace conveyor::stages {

// A pattern with exactly one integer field: prefix, %[0][width]d, suffix.
struct PrintfPattern {
  std::string prefix;
  std::string suffix;
  int width = 0;
  bool zero_pad = false;

  std::string format(std::int64_t number) const;
};

// nullopt when the pattern has no field ("%%" is a literal percent sign).
// Throws std::invalid_argument naming the problem when it has a field that is
// not %d / %Nd / %0Nd, or more than one.
std::optional<PrintfPattern> parse_printf_pattern(const std::string& pattern);

// Glob wildcards are '*' (any run) and '?' (one character).
bool has_glob(std::string_view text);
bool glob_match(std::string_view pattern, std::string_view name);

// "f2.png" before "f10.png": digit runs compare by value, the rest bytewise.
bool natural_less(std::string_view a, std::string_view b);

}  // namespace conveyor::stages
