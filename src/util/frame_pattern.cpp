// Image-sequence name patterns. Formatting is done by hand, never by passing a
// user's pattern to printf, so a stray "%s" cannot read the stack.
#include "conveyor/util/frame_pattern.hpp"

#include <cctype>
#include <optional>
#include <stdexcept>
#include <string>

namespace conveyor::util {
namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

std::string PrintfPattern::format(std::int64_t number) const {
  std::string digits = std::to_string(number < 0 ? -number : number);
  const std::size_t sign = number < 0 ? 1 : 0;
  const auto wanted = static_cast<std::size_t>(width);
  std::string body;
  if (digits.size() + sign < wanted) {
    const std::string pad(wanted - digits.size() - sign, zero_pad ? '0' : ' ');
    body = zero_pad ? std::string(sign, '-') + pad + digits : pad + std::string(sign, '-') + digits;
  } else {
    body = std::string(sign, '-') + digits;
  }
  return prefix + body + suffix;
}

std::optional<PrintfPattern> parse_printf_pattern(const std::string& pattern) {
  PrintfPattern out;
  std::string* part = &out.prefix;
  bool found = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') {
      *part += pattern[i];
      continue;
    }
    if (i + 1 < pattern.size() && pattern[i + 1] == '%') {
      *part += '%';
      ++i;
      continue;
    }
    if (found) throw std::invalid_argument("more than one %d field");
    std::size_t k = i + 1;
    if (k < pattern.size() && pattern[k] == '0') {
      out.zero_pad = true;
      ++k;
    }
    const std::size_t digits = k;
    while (k < pattern.size() && is_digit(pattern[k])) ++k;
    if (k - digits > 2) throw std::invalid_argument("field width above 99");
    if (k >= pattern.size() || pattern[k] != 'd')
      throw std::invalid_argument("'" + pattern.substr(i, k - i + 1) + "' is not a %d field");
    out.width = k > digits ? std::stoi(pattern.substr(digits, k - digits)) : 0;
    found = true;
    part = &out.suffix;
    i = k;
  }
  if (!found) return std::nullopt;
  return out;
}

bool has_glob(std::string_view text) {
  return text.find_first_of("*?") != std::string_view::npos;
}

bool glob_match(std::string_view pattern, std::string_view name) {
  // Iterative matcher with one backtrack point: linear in practice, no recursion.
  std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && is_digit(a[ei])) ++ei;
      while (ej < b.size() && is_digit(b[ej])) ++ej;
      // Compare by value: skip leading zeros, then longer is larger, then bytewise.
      std::size_t si = i, sj = j;
      while (si + 1 < ei && a[si] == '0') ++si;
      while (sj + 1 < ej && b[sj] == '0') ++sj;
      const std::string_view da = a.substr(si, ei - si), db = b.substr(sj, ej - sj);
      if (da.size() != db.size()) return da.size() < db.size();
      if (da != db) return da < db;
      if (ei - i != ej - j) return ei - i < ej - j;  // "01" vs "1": fewer zeros first
      i = ei;
      j = ej;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

namespace {

// The digit run of `name` that starts at `begin`: its end.
std::size_t digits_end(std::string_view name, std::size_t begin) {
  while (begin < name.size() && is_digit(name[begin])) ++begin;
  return begin;
}

// The gap between two neighbours, if they differ in one digit run only.
std::optional<NumberingGap> gap_between(std::string_view a, std::string_view b) {
  std::size_t at = 0;
  while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
  while (at > 0 && is_digit(a[at - 1])) --at;  // back to the start of the run
  const std::size_t end_a = digits_end(a, at), end_b = digits_end(b, at);
  if (end_a == at || end_b == at || end_a - at > 18 || end_b - at > 18) return std::nullopt;
  if (a.substr(end_a) != b.substr(end_b)) return std::nullopt;
  const std::int64_t first = std::stoll(std::string(a.substr(at, end_a - at)));
  const std::int64_t second = std::stoll(std::string(b.substr(at, end_b - at)));
  if (second - first < 2) return std::nullopt;
  std::string number = std::to_string(first + 1);
  const bool padded = end_a - at > 1 && a[at] == '0';
  if (padded && number.size() < end_a - at) number.insert(0, end_a - at - number.size(), '0');
  NumberingGap gap;
  gap.before = std::string(a);
  gap.after = std::string(b);
  gap.missing = std::string(a.substr(0, at)) + number + std::string(a.substr(end_a));
  gap.count = second - first - 1;
  return gap;
}

}  // namespace

std::vector<NumberingGap> numbering_gaps(const std::vector<std::string>& names) {
  std::vector<NumberingGap> gaps;
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (auto gap = gap_between(names[i - 1], names[i])) {
      gap->next = i;
      gaps.push_back(std::move(*gap));
    }
  }
  return gaps;
}

std::string describe_gaps(const std::vector<NumberingGap>& gaps, std::size_t files) {
  if (gaps.empty()) return {};
  const NumberingGap& first = gaps.front();
  std::string text = "'" + first.missing + "' is missing";
  if (first.count > 1) text += " (and " + std::to_string(first.count - 1) + " more after it)";
  text += ": the numbering jumps from '" + first.before + "' to '" + first.after +
          "'; gaps do not end the sequence: the " + std::to_string(files - first.next) +
          " file(s) after it are read too";
  if (gaps.size() > 1) {
    std::int64_t missing = 0;
    for (const auto& gap : gaps) missing += gap.count;
    text += " (" + std::to_string(gaps.size()) + " gaps in all, " + std::to_string(missing) +
            " numbers missing)";
  }
  return text;
}

}  // namespace conveyor::util
