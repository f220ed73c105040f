// File-name patterns for image sequences: printf fields (frame_%04d.png),
// globs (*.png, frame_??.png) and the natural order of the names they match.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conveyor::util {

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

// A hole in the numbering of an image sequence: between `before` and `after`
// (consecutive names of the sorted list) `count` numbers are missing, the first
// of them named `missing`; `next` is the position of `after` in the list.
struct NumberingGap {
  std::string before;
  std::string after;
  std::string missing;
  std::int64_t count = 0;
  std::size_t next = 0;
};

// Numbering gaps of file names in natural order: two neighbours that differ
// only in one run of digits (f_09.png, f_11.png) whose numbers are more than
// one apart. Names that differ otherwise are not compared.
std::vector<NumberingGap> numbering_gaps(const std::vector<std::string>& names);

// "'g_3.png' is missing (the numbering jumps from 'g_2.png' to 'g_4.png'); gaps do not
// end the sequence: the 7 file(s) after it are read too", plus a count of further gaps.
std::string describe_gaps(const std::vector<NumberingGap>& gaps, std::size_t files);

}  // namespace conveyor::util
