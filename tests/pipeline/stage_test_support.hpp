// Small helpers for the source and sink tests: specs read from YAML (as the
// loader fills them) and a reader that drains a source.
#pragma once

#include <chrono>
#include <filesystem>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "conveyor/config/pipeline_loader.hpp"
#include "conveyor/config/pipeline_spec.hpp"
#include "conveyor/pipeline/sink.hpp"
#include "conveyor/pipeline/source.hpp"

namespace conveyor::testing {

// A source or sink read from one YAML mapping, as the loader reads it.
inline config::SourceSpec source_yaml(const std::string& yaml,
                                      config::ColorMode color = config::ColorMode::Bgr) {
  config::SourceSpec spec = config::read_source_yaml(yaml);
  spec.color = color;
  return spec;
}

// A YAML string holding `text` (quotes and backslashes escaped).
inline std::string yaml_quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

inline config::SourceSpec file_source_spec(const std::filesystem::path& path,
                                           config::ColorMode color = config::ColorMode::Bgr,
                                           const std::string& more = "") {
  return source_yaml("{type: file, path: " + yaml_quoted(path.string()) +
                         ", open_timeout_ms: 5000, read_timeout_ms: 5000" + more + "}",
                     color);
}

inline config::SinkSpec file_sink_spec(const std::filesystem::path& path, std::string fourcc = "") {
  return config::read_sink_yaml("{type: file, path: " + yaml_quoted(path.string()) +
                                (fourcc.empty() ? "" : ", fourcc: " + yaml_quoted(fourcc)) + "}");
}

struct Drained {
  std::vector<cv::Mat> frames;
  std::vector<std::int64_t> indices;  // source_index of each frame
  std::vector<std::int64_t> gaps;     // source_index of each Gap
  bool ended = false;                 // End reached (not the safety cap)
};

// Reads until End (at most `cap` results, so a broken source cannot hang a test).
inline Drained drain(pipeline::Source& source, int cap = 10000) {
  Drained out;
  for (int i = 0; i < cap; ++i) {
    cv::Mat frame;
    std::int64_t index = -1;
    const auto status = source.read(frame, index);
    if (status == pipeline::ReadStatus::End) {
      out.ended = true;
      break;
    }
    if (status == pipeline::ReadStatus::Gap) {
      out.gaps.push_back(index);
    } else {
      out.frames.push_back(frame);
      out.indices.push_back(index);
    }
  }
  return out;
}

inline bool identical(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

}  // namespace conveyor::testing
