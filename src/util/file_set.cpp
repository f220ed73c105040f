// FileSet and overlap(): see file_set.hpp.
#include "conveyor/util/file_set.hpp"

#include <cctype>
#include <set>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

namespace conveyor::util {
namespace {

namespace fs = std::filesystem;

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// The folder before the first component holding one of `special`, and the
// rest. The last component (the name) always belongs to the rest.
std::pair<std::string, std::string> split_pattern(const std::string& pattern,
                                                  std::string_view special) {
  std::size_t start = 0;
  std::size_t folder_end = std::string::npos;
  while (true) {
    const std::size_t slash = pattern.find('/', start);
    if (slash == std::string::npos) break;
    const std::string_view part = std::string_view(pattern).substr(start, slash - start);
    if (part.find_first_of(special) != std::string_view::npos) break;
    folder_end = slash;
    start = slash + 1;
  }
  if (folder_end == std::string::npos) return {".", pattern};
  const std::string folder = folder_end == 0 ? "/" : pattern.substr(0, folder_end);
  return {folder, pattern.substr(start)};
}

std::string name_of(std::string_view relative) {
  const std::size_t slash = relative.rfind('/');
  return std::string(slash == std::string_view::npos ? relative : relative.substr(slash + 1));
}

FileIdentity stat_identity(const fs::path& path) {
  FileIdentity id;
  id.canonical = path;
  stat_file(path, id);
  return id;
}

}  // namespace

FileSet FileSet::file(const std::string& path) {
  FileSet set;
  set.kind_ = Kind::File;
  set.spelling_ = path;
  set.file_ = identify(path);
  return set;
}

std::optional<FileSet> FileSet::numbered(const std::string& pattern) {
  FileSet set;
  set.kind_ = Kind::Numbered;
  set.spelling_ = pattern;
  auto [folder, rest] = split_pattern(pattern, "%");
  try {
    const auto parsed = parse_printf_pattern(rest);
    if (!parsed) return std::nullopt;
    set.printf_ = *parsed;
  } catch (const std::invalid_argument&) {
    return std::nullopt;  // not a pattern the images sink or source would take
  }
  set.folder_id_ = identify(folder);
  set.folder_ = set.folder_id_.canonical;
  set.rest_ = rest;
  return set;
}

FileSet FileSet::glob(const std::string& pattern) {
  FileSet set;
  set.kind_ = Kind::Glob;
  set.spelling_ = pattern;
  auto [folder, rest] = split_pattern(pattern, "*?");
  set.folder_id_ = identify(folder);
  set.folder_ = set.folder_id_.canonical;
  set.rest_ = rest;
  return set;
}

std::string FileSet::with_number(long long number) const {
  return printf_.format(number);
}

bool FileSet::matches(const std::string& relative) const {
  if (kind_ == Kind::Glob) {
    if (name_of(relative).rfind('.', 0) == 0 && name_of(rest_).rfind('.', 0) != 0) return false;
    return glob_match(rest_, relative);
  }
  if (relative.size() <= printf_.prefix.size() + printf_.suffix.size()) return false;
  if (relative.compare(0, printf_.prefix.size(), printf_.prefix) != 0) return false;
  if (relative.compare(relative.size() - printf_.suffix.size(), printf_.suffix.size(),
                       printf_.suffix) != 0)
    return false;
  const std::string middle = relative.substr(
      printf_.prefix.size(), relative.size() - printf_.prefix.size() - printf_.suffix.size());
  std::size_t i = middle.find_first_not_of(' ');
  if (i == std::string::npos) return false;
  const bool negative = middle[i] == '-';
  if (negative) ++i;
  const std::size_t digits = middle.size() - i;
  if (digits == 0 || digits > 18) return false;
  for (std::size_t k = i; k < middle.size(); ++k) {
    if (!is_digit(middle[k])) return false;
  }
  const long long value = std::stoll(middle.substr(i));
  // The same digits, padded the way this pattern pads: "007" is not %d's.
  return with_number(negative ? -value : value) == relative;
}

bool FileSet::names(const fs::path& canonical) const {
  if (kind_ == Kind::File) return canonical == file_.canonical;
  const fs::path relative = canonical.lexically_relative(folder_);
  const std::string text = relative.generic_string();
  if (text.empty() || text == "." || text == ".." || text.rfind("../", 0) == 0) return false;
  return matches(text);
}

bool FileSet::names_by_folder(const FileIdentity& file) const {
  if (kind_ == Kind::File || rest_.find('/') != std::string::npos) return false;
  if (!file.folder_exists || !folder_id_.exists) return false;
  if (file.folder_device != folder_id_.device || file.folder_inode != folder_id_.inode)
    return false;
  return matches(file.canonical.filename().string());
}

bool FileSet::same_folder(const FileSet& other) const {
  if (rest_.find('/') != std::string::npos || other.rest_.find('/') != std::string::npos)
    return false;
  return folder_id_.exists && other.folder_id_.exists &&
         folder_id_.device == other.folder_id_.device && folder_id_.inode == other.folder_id_.inode;
}

std::vector<fs::path> FileSet::sample() const {
  std::vector<fs::path> names;
  if (kind_ != Kind::Numbered) return names;
  for (long long n = 0; n < 1000; ++n) names.push_back(folder_ / with_number(n));
  // 10^3 .. 10^18 and the number below each: every width change of a field.
  long long power = 100;
  for (int k = 3; k <= 18; ++k) {
    power *= 10;  // multiplied before use, so it never passes 10^18
    names.push_back(folder_ / with_number(power - 1));
    names.push_back(folder_ / with_number(power));
  }
  return names;
}

const std::vector<FileIdentity>& FileSet::existing() const {
  if (existing_) return *existing_;
  existing_.emplace();
  if (kind_ == Kind::File) {
    if (file_.regular) existing_->push_back(file_);
    return *existing_;
  }
  if (rest_.find('/') != std::string::npos) return *existing_;  // a patterned folder: not scanned
  std::error_code error;
  std::size_t seen = 0;
  for (fs::directory_iterator it(folder_, fs::directory_options::skip_permission_denied, error);
       !error && it != fs::directory_iterator() && seen < kMaxScan; it.increment(error), ++seen) {
    if (!matches(it->path().filename().string())) continue;
    FileIdentity id = stat_identity(it->path());
    id.folder_exists = folder_id_.exists;
    id.folder_device = folder_id_.device;
    id.folder_inode = folder_id_.inode;
    if (id.regular) existing_->push_back(std::move(id));
  }
  return *existing_;
}

bool overlap(const FileSet& a, const FileSet& b) {
  if (!a.is_pattern() && !b.is_pattern()) return same_file(a.file_, b.file_);
  if (!a.is_pattern()) {
    const FileIdentity& id = a.file_;
    if (id.exists && !id.regular) return false;
    if (b.names(id.canonical) || b.names_by_folder(id)) return true;
    if (!id.exists) return false;
    for (const auto& other : b.existing()) {
      if (same_file(id, other)) return true;
    }
    return false;
  }
  if (!b.is_pattern()) return overlap(b, a);
  // The same folder reached by two paths (a bind mount): compare names only.
  const bool same_folder = a.same_folder(b);
  for (const auto& name : a.sample()) {
    if (b.names(name) || (same_folder && b.matches(name.filename().string()))) return true;
  }
  for (const auto& name : b.sample()) {
    if (a.names(name) || (same_folder && a.matches(name.filename().string()))) return true;
  }
  // Two globs: one matches the other's text (`*.png` and `f_*.png`).
  if (a.names(a.folder_ / a.rest_) && b.names(a.folder_ / a.rest_)) return true;
  if (a.names(b.folder_ / b.rest_) && b.names(b.folder_ / b.rest_)) return true;
  std::set<std::pair<std::uint64_t, std::uint64_t>> inodes;
  for (const auto& file : a.existing()) inodes.insert({file.device, file.inode});
  if (inodes.empty()) return false;
  for (const auto& file : b.existing()) {
    if (inodes.count({file.device, file.inode}) > 0) return true;
  }
  return false;
}

bool overlap_existing(const FileSet& writes, const FileSet& reads) {
  for (const auto& file : reads.existing()) {
    if (writes.names(file.canonical) || writes.names_by_folder(file)) return true;
    for (const auto& written : writes.existing()) {
      if (same_file(file, written)) return true;
    }
  }
  return false;
}

std::string overlap_phrase(const FileSet& a, const FileSet& b) {
  return a.is_pattern() || b.is_pattern() ? "names the same file as" : "is the same file as";
}

}  // namespace conveyor::util
