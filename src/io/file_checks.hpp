// Filesystem checks shared by the file-based sources and sinks, so that a
// missing, empty or misplaced file is reported in words before a codec
// library gets to fail on it vaguely.
#pragma once

#include <filesystem>
#include <string>

namespace conveyor::io {

// Throws InputError "<what> '<path>': <reason>" unless `path` names an
// existing, non-empty, readable file (FIFOs and devices pass unchecked size).
void check_readable_file(const std::filesystem::path& path, const std::string& what);

// True for an MP4/MOV file whose top-level boxes hold no `moov` (its index):
// the writer was killed before finalizing, FFmpeg cannot open it.
bool mp4_index_missing(const std::filesystem::path& path);

// `.<name>.partial.<host>.<pid>.<random><ext>` beside `final_path`
// (util::temporary_name_for): hidden, unique per host, process and call, and
// with the real extension last so FFmpeg picks the container.
std::filesystem::path temporary_path_for(const std::filesystem::path& final_path);

// Creates the parent folder of `path` if needed; throws OutputError
// "<what> '<path>': cannot create folder '<parent>': <reason>".
void ensure_parent_folder(const std::filesystem::path& path, const std::string& what);

// Moves `from` onto `to` (atomic on one filesystem); throws OutputError.
void rename_into_place(const std::filesystem::path& from, const std::filesystem::path& to,
                       const std::string& what);

std::string lower_extension(const std::filesystem::path& path);  // ".mkv"

}  // namespace conveyor::io
