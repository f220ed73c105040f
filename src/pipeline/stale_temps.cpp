#include "stale_temps.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <functional>
#include <map>

#include "conveyor/config/node_registry.hpp"
#include "conveyor/util/frame_pattern.hpp"
#include "conveyor/util/temp_names.hpp"

namespace conveyor::pipeline {
namespace {

namespace fs = std::filesystem;
using NameTest = std::function<bool(const std::string& final_name)>;
using Clock = std::chrono::system_clock;

// The folder an output lives in (".", for a bare name).
fs::path folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

void add_file(std::multimap<fs::path, NameTest>& outputs, const std::string& path) {
  if (path.empty()) return;
  const std::string name = fs::path(path).filename().string();
  outputs.emplace(folder_of(path),
                  [name](const std::string& final_name) { return final_name == name; });
}

// An images sink writes one file per frame: any name the pattern makes.
void add_pattern(std::multimap<fs::path, NameTest>& outputs, const std::string& pattern) {
  std::optional<util::PrintfPattern> parsed;
  try {
    parsed = util::parse_printf_pattern(pattern);
  } catch (const std::exception&) {
    return;  // the sink reports a bad pattern itself
  }
  if (!parsed) return;
  const std::string prefix = fs::path(parsed->prefix + "x").filename().string();
  const std::string head = prefix.substr(0, prefix.size() - 1);
  const std::string tail = parsed->suffix;
  outputs.emplace(folder_of(pattern), [head, tail](const std::string& name) {
    if (name.size() <= head.size() + tail.size()) return false;
    if (name.compare(0, head.size(), head) != 0) return false;
    if (name.compare(name.size() - tail.size(), tail.size(), tail) != 0) return false;
    const std::string number = name.substr(head.size(), name.size() - head.size() - tail.size());
    return number.find_first_not_of("-0123456789") == std::string::npos;
  });
}

// A sink writing one file per map (maps: out_<name>.tif): any name the glob matches.
void add_glob(std::multimap<fs::path, NameTest>& outputs, const std::string& pattern) {
  const std::string name = fs::path(pattern).filename().string();
  outputs.emplace(folder_of(pattern), [name](const std::string& final_name) {
    return util::glob_match(name, final_name);
  });
}

bool process_is_gone(long pid) {
  if (pid <= 0 || pid == static_cast<long>(::getpid())) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == -1 && errno == ESRCH;
}

// A regular file (never a link or a folder) last written before `start`.
bool old_regular_file(const fs::path& path, Clock::time_point start) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  const auto modified = Clock::time_point(std::chrono::duration_cast<Clock::duration>(
      std::chrono::seconds(info.st_mtim.tv_sec) + std::chrono::nanoseconds(info.st_mtim.tv_nsec)));
  return modified < start;
}

void clean_folder(const fs::path& folder, const std::vector<NameTest>& tests,
                  Clock::time_point start) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const fs::path path = it->path();
    const auto name = util::parse_temporary_name(path.filename().string());
    if (!name || name->host != util::host_name()) continue;
    bool ours = false;
    for (const auto& test : tests) ours = ours || test(name->final_name);
    if (!ours || !process_is_gone(name->pid) || !old_regular_file(path, start)) continue;
    std::error_code removed;
    if (fs::remove(path, removed) && !removed) {
      spdlog::info(
          "removed '{}': a temporary left by an earlier run (pid {} on this host) that "
          "did not finish",
          path.string(), name->pid);
    }
  }
}

}  // namespace

void remove_stale_temporaries(const config::PipelineSpec& spec, Clock::time_point run_start) {
  std::multimap<fs::path, NameTest> outputs;
  for (std::size_t s = 0; s < spec.sinks.size(); ++s) {
    for (const auto& path : spec.sinks[s].params->paths_for(config::sink_input_maps(spec, s))) {
      if (path.on_demand) continue;  // written without a temporary
      switch (path.files.kind()) {
        case util::FileSet::Kind::Numbered:
          add_pattern(outputs, path.files.spelling());
          break;
        case util::FileSet::Kind::Glob:
          add_glob(outputs, path.files.spelling());
          break;
        case util::FileSet::Kind::File:
          add_file(outputs, path.files.spelling());
          break;
      }
    }
  }
  add_file(outputs, spec.metrics.trace);
  add_file(outputs, spec.metrics.report);
  for (auto it = outputs.begin(); it != outputs.end();) {
    const fs::path folder = it->first;
    std::vector<NameTest> tests;
    for (; it != outputs.end() && it->first == folder; ++it) tests.push_back(it->second);
    try {
      clean_folder(folder, tests, run_start);
    } catch (const std::exception& error) {  // e.g. an allocation failure: never fatal
      spdlog::debug("looking for stale temporaries in '{}': {}", folder.string(), error.what());
    }
  }
}

}  // namespace conveyor::pipeline
