#include "conveyor/util/temp_names.hpp"

#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <random>

namespace conveyor::util {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMarker = ".partial.";
constexpr std::size_t kRandomDigits = 8;

std::string random_part() {
  static thread_local std::mt19937 engine{std::random_device{}()};
  std::array<char, kRandomDigits + 1> text{};
  std::snprintf(text.data(), text.size(), "%08x", static_cast<unsigned>(engine()));
  return text.data();
}

bool all_digits(const std::string& text) {
  if (text.empty() || text.size() > 9) return false;  // pids fit in 9 digits
  for (const char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool is_random_part(const std::string& text) {
  if (text.size() != kRandomDigits) return false;
  for (const char c : text)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// "<host>.<pid>.<random>" read from the right: host names may hold dots.
std::optional<TemporaryName> parse_middle(const std::string& middle) {
  const std::size_t last = middle.rfind('.');
  if (last == std::string::npos || last == 0) return std::nullopt;
  const std::size_t second = middle.rfind('.', last - 1);
  if (second == std::string::npos || second == 0) return std::nullopt;
  TemporaryName name;
  name.host = middle.substr(0, second);
  const std::string pid = middle.substr(second + 1, last - second - 1);
  name.random = middle.substr(last + 1);
  if (!all_digits(pid) || !is_random_part(name.random)) return std::nullopt;
  name.pid = std::stol(pid);
  return name;
}

}  // namespace

const std::string& host_name() {
  static const std::string name = [] {
    std::array<char, 256> buffer{};
    if (::gethostname(buffer.data(), buffer.size() - 1) != 0 || buffer[0] == '\0')
      return std::string("localhost");
    std::string host = buffer.data();
    for (char& c : host) {
      if (c == '/' || std::isspace(static_cast<unsigned char>(c))) c = '_';
    }
    return host;
  }();
  return name;
}

fs::path temporary_name_for(const fs::path& final_path) {
  std::string name = ".";  // appended step by step: GCC 12 warns falsely on "." + string
  name += final_path.filename().string();
  name += kMarker;
  name += host_name();
  name += ".";
  name += std::to_string(::getpid());
  name += ".";
  name += random_part();
  name += final_path.extension().string();
  return final_path.parent_path() / name;
}

std::optional<TemporaryName> parse_temporary_name(const std::string& file_name) {
  if (file_name.size() < 2 || file_name.front() != '.') return std::nullopt;
  // The output's own name may contain ".partial.": try each marker, last first.
  for (std::size_t at = file_name.rfind(kMarker); at != std::string::npos && at > 1;
       at = file_name.rfind(kMarker, at - 1)) {
    const std::string final_name = file_name.substr(1, at - 1);
    const std::string ext = fs::path(final_name).extension().string();
    const std::size_t begin = at + kMarker.size();
    if (file_name.size() < begin + ext.size() ||
        file_name.compare(file_name.size() - ext.size(), ext.size(), ext) != 0)
      continue;
    auto name = parse_middle(file_name.substr(begin, file_name.size() - ext.size() - begin));
    if (!name) continue;
    name->final_name = final_name;
    return name;
  }
  return std::nullopt;
}

}  // namespace conveyor::util
