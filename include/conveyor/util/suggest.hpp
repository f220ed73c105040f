// "Did you mean" suggestions for unknown names and keys.
#pragma once

#include <string>
#include <vector>

namespace conveyor::util {

// The candidate closest to `word` by edit distance, or empty when nothing is
// reasonably close (more than about a third of the word would have to change).
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or an empty string.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace conveyor::util
