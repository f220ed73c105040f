// Faults of the file itself: syntax, emptiness, binary data, size, nesting,
// several documents, a missing file or a directory.
#include <filesystem>
#include <fstream>
#include <type_traits>

#include "pipeline_test_util.hpp"

namespace conveyor::testing {
namespace {

using namespace conveyor::config;

TEST(PipelineText, SyntaxErrorHasLineAndColumn) {
  const std::string message = load_error("source: {type: testpattern\nstages: [\n");
  EXPECT_ERROR_AT(message, 2, "YAML syntax", "end of map flow not found");
  const std::string tab = load_error(minimal("runtime:\n  threads: [1, 2\n  mode: latency\n"));
  EXPECT_NE(tab.find("test.yaml:"), std::string::npos) << tab;
  EXPECT_NE(tab.find("YAML syntax"), std::string::npos) << tab;
}

TEST(PipelineText, EmptyAndBlankAndNullDocuments) {
  EXPECT_NE(load_error("").find("test.yaml: file is empty"), std::string::npos);
  EXPECT_NE(load_error("  \n\n\t\n").find("file is empty"), std::string::npos);
  EXPECT_NE(load_error("# only a comment\n").find("no content"), std::string::npos);
  EXPECT_NE(load_error("---\n...\n").find("no content"), std::string::npos);
}

TEST(PipelineText, BinaryAndInvalidUtf8) {
  const std::string nul = load_error(std::string("source: x\nst\0ages: []\n", 22));
  EXPECT_ERROR_AT(nul, 2, "byte 0x00", "binary", "expected a UTF-8 YAML file");
  EXPECT_NE(nul.find("test.yaml:2:3:"), std::string::npos) << nul;
  const std::string latin1 = load_error("name: caf\xe9\nsource: {}\n");
  EXPECT_ERROR_AT(latin1, 1, "invalid UTF-8", "expected a UTF-8");
  EXPECT_ERROR_AT(load_error("name: \xc0\xaf\n"), 1, "invalid UTF-8");  // overlong
  // A UTF-8 BOM and real UTF-8 text are fine.
  EXPECT_EQ(load("\xEF\xBB\xBF" + minimal("name: caf\xc3\xa9\n")).name, "caf\xc3\xa9");
}

TEST(PipelineText, OversizedText) {
  std::string text = minimal() + "# " + std::string(kMaxPipelineBytes, 'x') + "\n";
  const std::string message = load_error(text);
  EXPECT_NE(message.find("test.yaml: file is "), std::string::npos) << message;
  EXPECT_NE(message.find("expected at most 1048576 bytes"), std::string::npos) << message;
}

TEST(PipelineText, DeepFlowNestingIsRefusedBeforeParsing) {
  // Deep enough to overflow a recursive parser's stack if it got that far.
  const std::string deep = "name: x\nsource: " + std::string(100000, '[') + "\n";
  const std::string message = load_error(deep);
  EXPECT_ERROR_AT(message, 2, "nesting deeper than 32", "expected");
  const std::string maps = "source: " + std::string(40, '{') + "\n";
  EXPECT_ERROR_AT(load_error(maps), 1, "nesting deeper than 32");
}

TEST(PipelineText, DeepBlockNestingIsRefused) {
  std::string block;
  for (int i = 0; i < 40; ++i) block += std::string(static_cast<std::size_t>(2 * i), ' ') + "k:\n";
  EXPECT_ERROR_AT(load_error(block), 33, "nesting deeper than 32");
  std::string dashes = "stages:\n  ";
  for (int i = 0; i < 40; ++i) dashes += "- ";
  dashes += "x\n";
  EXPECT_ERROR_AT(load_error(dashes), 2, "nesting deeper than 32");
}

TEST(PipelineText, NestingIsCountedFromTheParsersEventsNotEstimated) {
  // A quote inside a plain scalar and a "# '" comment fooled the old line scanner.
  const std::string deep = std::string(1000, '[') + "1" + std::string(1000, ']');
  EXPECT_ERROR_AT(load_error("name: x 'y\nsource: " + deep + "\n# '\n" + minimal()), 2,
                  "nesting deeper than 32");
  // Exactly 32 levels load; 33 do not.
  const auto nested = [](int levels) {
    return minimal("extra: " + std::string(static_cast<std::size_t>(levels - 1), '[') + "1" +
                   std::string(static_cast<std::size_t>(levels - 1), ']') + "\n");
  };
  EXPECT_EQ(load_error(nested(32)).find("nesting"), std::string::npos);
  EXPECT_ERROR_AT(load_error(nested(33)), 5, "nesting deeper than 32");
}

TEST(PipelineText, AliasesCountAtTheSizeOfWhatTheyRepeat) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'g'; ++c) {
    const std::string p = "*" + std::string(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [" + p + ", " + p + ", " + p + ", " + p + ", " + p +
            ", " + p + ", " + p + ", " + p + ", " + p + ", " + p + "]\n";
  }
  EXPECT_ERROR_AT(load_error(bomb + minimal()), 6, "more than 1000000 values", "alias");
  EXPECT_ERROR_AT(load_error("source: &s {type: testpattern, more: [*s]}\n"), 1,
                  "alias inside the anchor");
  // Ordinary aliases are fine.
  const auto spec = load(
      "source: {type: testpattern, width: &w 64, height: *w, frames: 3}\n"
      "stages: [{bank: [{name: gx, kernel: sobel_x}]}]\nsinks: [{type: null}]\n");
  EXPECT_EQ(spec.sinks.size(), 1u);
}

TEST(PipelineText, TextThatStopsTheParserIsASyntaxErrorNotAHang) {
  EXPECT_ERROR_AT(load_error(", a"), 1, "unexpected ','");
  EXPECT_ERROR_AT(load_error(minimal() + ", b\n"), 5, "YAML syntax");
}

TEST(PipelineText, NestingInsideQuotesAndBlockScalarsIsText) {
  const std::string brackets(200, '[');
  const std::string yaml = minimal("name: \"" + brackets + "\"\n");
  EXPECT_EQ(load(yaml).name, brackets);
  std::string literal = "name: |\n";
  for (int i = 0; i < 50; ++i) literal += std::string(static_cast<std::size_t>(2 + i), ' ') + "x\n";
  EXPECT_NO_THROW(load(minimal(literal)));
}

TEST(PipelineText, SecondDocumentIsRefused) {
  const std::string message = load_error(minimal() + "---\nname: other\n");
  EXPECT_ERROR_AT(message, 5, "a second YAML document", "expected one pipeline per file");
}

TEST(PipelineText, MissingFileAndDirectory) {
  try {
    load_pipeline("no/such/pipeline.yaml", {}, &test_library());
    FAIL() << "loaded a missing file";
  } catch (const PipelineError& e) {
    EXPECT_NE(std::string(e.what()).find("no/such/pipeline.yaml: no such file"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(load_pipeline(config_data(""), {}, &test_library()), PipelineError);
}

TEST(PipelineText, OversizedFileIsRefusedBeforeReading) {
  const auto path = std::filesystem::temp_directory_path() / "conveyor_huge_pipeline.yaml";
  {
    std::ofstream out(path);
    out << minimal() << "# " << std::string(kMaxPipelineBytes, 'x') << "\n";
  }
  try {
    load_pipeline(path, {}, &test_library());
    ADD_FAILURE() << "loaded a huge file";
  } catch (const PipelineError& e) {
    EXPECT_NE(std::string(e.what()).find("expected at most"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

// The config layer's own type, which the CLI maps to exit 2; not the
// engine's conv::ConfigError.
TEST(PipelineText, PipelineErrorIsAConfigError) {
  static_assert(!std::is_base_of_v<conv::ConfigError, PipelineError>);
  try {
    load("");
  } catch (const config::ConfigError& e) {
    SUCCEED();
    return;
  }
  FAIL();
}

}  // namespace
}  // namespace conveyor::testing
