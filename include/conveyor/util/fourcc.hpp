// Four-character codec codes (fourcc): the one rule for the codec a video file
// gets from its extension, and the one check of a written code. Used by the
// pipeline loader (file sink, webcam source), the file sink and the encoder.
#pragma once

#include <string>
#include <string_view>

namespace conveyor::util {

// The codec a video file gets when none is named, from its extension (any
// case; a whole path works too): .mkv FFV1 (lossless, survives a crash),
// .mp4 mp4v, .avi MJPG. Empty for any other extension.
std::string default_fourcc(std::string_view path);

// The rule above for messages: ".mkv: FFV1, .mp4: mp4v, .avi: MJPG".
const std::string& default_fourcc_list();

// The extensions that have a default, for messages: ".mkv, .mp4 or .avi".
const std::string& default_fourcc_extensions();

// True when `code` is four printable ASCII characters (space to '~').
bool is_fourcc(std::string_view code);

}  // namespace conveyor::util
