// A file, or the files a name pattern stands for, compared as files
// (file_identity.hpp): what a command reads and writes, so that no output is
// an input or another output.
//
// Patterns: a printf pattern with one frame number (`out/f_%05d.png`, the
// images sink and source) or a glob (`frames/*.png`, the images source). The
// folder before the first patterned part is resolved like any path; the rest
// is matched by name. Two sets overlap when
//   - two files are the same file (same_file);
//   - a file lies in a pattern's folder under a name the pattern produces;
//   - two patterns in one folder produce a common name (tested on the numbers
//     0..999 and around each power of ten up to 10^18);
//   - a file that exists now, or one a pattern matches now, is the same file
//     (device, inode) as a file of the other set (hard links, symlinks).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "conveyor/util/file_identity.hpp"
#include "conveyor/util/frame_pattern.hpp"

namespace conveyor::util {

class FileSet {
 public:
  enum class Kind { File, Numbered, Glob };

  static FileSet file(const std::string& path);
  // nullopt when `pattern` has no valid frame-number field (%d, %5d, %05d;
  // "%%" is a literal percent sign) or more than one.
  static std::optional<FileSet> numbered(const std::string& pattern);
  // Wildcards '*' and '?'; names starting with '.' only match a pattern
  // whose name does (hidden files are skipped, as the images source does).
  static FileSet glob(const std::string& pattern);

  Kind kind() const { return kind_; }
  const std::string& spelling() const { return spelling_; }  // as written
  bool is_pattern() const { return kind_ != Kind::File; }

  // Whether the set holds the file at this canonical path, by name.
  bool names(const std::filesystem::path& canonical) const;
  // Canonical paths of some names a numbered set produces (see above); empty
  // for the other kinds.
  std::vector<std::filesystem::path> sample() const;
  // The regular files the set holds now (a folder scan for patterns, at most
  // kMaxScan entries looked at), computed once.
  const std::vector<FileIdentity>& existing() const;

  static constexpr std::size_t kMaxScan = 100000;

 private:
  friend bool overlap(const FileSet& a, const FileSet& b);
  friend bool overlap_existing(const FileSet& writes, const FileSet& reads);

  FileSet() = default;
  bool matches(const std::string& relative) const;
  // The file's folder is this pattern's folder by (device, inode) (a bind
  // mount) and its name matches.
  bool names_by_folder(const FileIdentity& file) const;
  bool same_folder(const FileSet& other) const;
  std::string with_number(long long number) const;

  Kind kind_ = Kind::File;
  std::string spelling_;
  FileIdentity file_;             // File
  std::filesystem::path folder_;  // patterns: the resolved folder
  FileIdentity folder_id_;        // patterns: the folder as a file
  std::string rest_;              // patterns: the part after it, '/'-separated
  PrintfPattern printf_;          // Numbered: prefix, %[0][width]d, suffix
  mutable std::optional<std::vector<FileIdentity>> existing_;
};

// The two sets share at least one file.
bool overlap(const FileSet& a, const FileSet& b);

// Only the files `reads` holds now: whether `writes` names one of them or is
// one of them (for writes that happen on demand, such as snapshots).
bool overlap_existing(const FileSet& writes, const FileSet& reads);

// "is the same file as" for two files; "names the same file as" otherwise.
std::string overlap_phrase(const FileSet& a, const FileSet& b);

}  // namespace conveyor::util
