// The one default-fourcc rule and the one fourcc check, directly and through
// the loader's readers that use them (file sink, webcam source).
#include "conveyor/util/fourcc.hpp"

#include <gtest/gtest.h>

#include "conveyor/config/node_registry.hpp"
#include "pipeline_test_util.hpp"

namespace conveyor::testing {
namespace {

const std::string kSource = "source: {type: testpattern, width: 64, height: 48}\n";

TEST(Fourcc, DefaultFromTheExtensionInAnyCaseAndAnyFolder) {
  EXPECT_EQ(util::default_fourcc("out.mkv"), "FFV1");
  EXPECT_EQ(util::default_fourcc("a/b.c/OUT.MKV"), "FFV1");
  EXPECT_EQ(util::default_fourcc("clip.Mp4"), "mp4v");
  EXPECT_EQ(util::default_fourcc("x.avi"), "MJPG");
  EXPECT_EQ(util::default_fourcc(".avi"), "");  // a hidden file named .avi, no extension
  EXPECT_EQ(util::default_fourcc("mkv"), "");
  EXPECT_EQ(util::default_fourcc("a.mkv/clip"), "");
  EXPECT_EQ(util::default_fourcc("out.webm"), "");
  EXPECT_EQ(util::default_fourcc_list(), ".mkv: FFV1, .mp4: mp4v, .avi: MJPG");
  EXPECT_EQ(util::default_fourcc_extensions(), ".mkv, .mp4 or .avi");
}

TEST(Fourcc, FourPrintableAsciiCharacters) {
  for (const char* good : {"FFV1", "mp4v", "MJPG", "Y 8 ", "~~~~", "    "}) {
    EXPECT_TRUE(util::is_fourcc(good)) << good;
  }
  for (const std::string& bad :
       {std::string("H264X"), std::string("abc"), std::string(), std::string("AB\tC"),
        std::string("AB\x7F"
                    "C"),
        std::string("\xC3\xA9"
                    "AB"),
        std::string("AB\0C", 4)}) {
    EXPECT_FALSE(util::is_fourcc(bad)) << bad;
  }
}

TEST(Fourcc, LoaderUsesTheRuleForEveryFileSinkAndTheCheckForEveryKey) {
  const config::PipelineSpec spec =
      load(kSource +
           "stages: [{bank: [box]}]\nsinks:\n  - {type: file, path: A.MKV}\n"
           "  - {type: file, path: b.Mp4}\n  - {type: file, path: c.avi}\n"
           "  - {type: file, path: d.ts, fourcc: avc1}\n");
  // The file sink describes itself as "path (fourcc)".
  const auto described = [&](std::size_t i) { return spec.sinks[i].params->describe(); };
  EXPECT_EQ(described(0), "A.MKV (FFV1)");
  EXPECT_EQ(described(1), "b.Mp4 (mp4v)");
  EXPECT_EQ(described(2), "c.avi (MJPG)");
  EXPECT_EQ(described(3), "d.ts (avc1)");
  const auto sink = [&](const std::string& text) {
    return load_error(kSource + "stages: [{bank: [box]}]\nsinks: [" + text + "]\n");
  };
  EXPECT_ERROR_AT(sink("{type: file, path: out.webm}"), 3,
                  "'out.webm' has no known video extension",
                  "expected .mkv, .mp4 or .avi, or a fourcc: key");
  EXPECT_ERROR_AT(sink("{type: file, path: out.mkv, fourcc: \"AB\\tC\"}"), 3, "is not a fourcc");
  EXPECT_ERROR_AT(sink("{type: file, path: out.mkv, fourcc: MJP}"), 3, "'MJP' is not a fourcc");
  const auto webcam = [&](const std::string& code) {
    return load_error("source: {type: webcam, fourcc: " + code +
                      "}\nstages: [{bank: [box]}]\nsinks: [{type: null}]\n");
  };
  EXPECT_ERROR_AT(webcam("YUYV2"), 1, "source.fourcc: 'YUYV2' is not a fourcc",
                  "four characters, e.g. MJPG or YUYV");
  EXPECT_ERROR_AT(webcam("\"\\xE9UYV\""), 1, "is not a fourcc");
  EXPECT_NO_THROW(load(
      "source: {type: webcam, fourcc: YUYV}\nstages: [{bank: [box]}]\nsinks: [{type: null}]\n"));
}

}  // namespace
}  // namespace conveyor::testing
