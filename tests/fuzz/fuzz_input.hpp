// How a fuzz input is read, shared by the libFuzzer target and the corpus
// replay test: leading "--set key=value" lines are overrides, the rest YAML.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace conveyor::fuzz {

inline std::string_view split_fuzz_input(std::string_view text,
                                         std::vector<std::string>& overrides) {
  while (text.substr(0, 6) == "--set ") {
    const std::size_t end = text.find('\n');
    overrides.emplace_back(text.substr(6, end == std::string_view::npos ? text.npos : end - 6));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  return text;
}

}  // namespace conveyor::fuzz
