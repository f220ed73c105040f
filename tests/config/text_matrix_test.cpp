// Text matrices: parsing (with errors that name line, column and token),
// inline matrices, and shortest round-trip writing.
#include "conveyor/util/text_matrix.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <sstream>

#include "support/temp_dir.hpp"

namespace conveyor::util {
namespace {

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const TextMatrixError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(TextMatrix, ParsesSpacesCommasCommentsAndBlankLines) {
  const TextMatrix m = parse_text_matrix(
      "\xEF\xBB\xBF# header comment\n\n 0 1\t0  # trailing comment\r\n1, -2.5 ,1\n\n+0,1e-3,0,\n");
  EXPECT_EQ(m.width, 3);
  EXPECT_EQ(m.height, 3);
  EXPECT_EQ(m.values, (std::vector<float>{0, 1, 0, 1, -2.5f, 1, 0, 1e-3f, 0}));
  EXPECT_EQ(m.rows()[1], (std::vector<float>{1, -2.5f, 1}));
}

TEST(TextMatrix, ErrorsNameLineColumnAndToken) {
  const std::string ragged = error_of([] { parse_text_matrix("1 2 3\n\n4 5\n", "m.txt"); });
  EXPECT_NE(ragged.find("m.txt:3:1: row 2 has 2 values; expected 3"), std::string::npos) << ragged;
  const std::string word = error_of([] { parse_text_matrix("1 2 x3\n", "m.txt"); });
  EXPECT_NE(word.find("m.txt:1:5: expected a number, got 'x3'"), std::string::npos) << word;
  const std::string nan = error_of([] { parse_text_matrix("1\n nan\n", "m.txt"); });
  EXPECT_NE(nan.find("m.txt:2:2:"), std::string::npos) << nan;
  EXPECT_NE(nan.find("'nan' is not finite"), std::string::npos) << nan;
  EXPECT_NE(error_of([] { parse_text_matrix("inf 1\n"); }).find("not finite"), std::string::npos);
  EXPECT_NE(error_of([] { parse_text_matrix("3.5e38\n"); }).find("32-bit float"),
            std::string::npos);
  // The largest float as printed (a hair above it as a double) still reads back.
  EXPECT_EQ(
      parse_text_matrix("3.4028235e+38 -3.4028235e+38\n").values,
      (std::vector<float>{std::numeric_limits<float>::max(), -std::numeric_limits<float>::max()}));
  EXPECT_NE(error_of([] { parse_text_matrix("1e999\n"); }).find("out of range"), std::string::npos);
  EXPECT_NE(error_of([] { parse_text_matrix("1,,2\n"); }).find(":1:3: empty value"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_text_matrix("# only\n\n"); }).find("no numbers"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_text_matrix(""); }).find("no numbers"), std::string::npos);
  EXPECT_NE(error_of([] { parse_text_matrix("0x10\n"); }).find("'0x10'"), std::string::npos);
}

TEST(TextMatrix, ReadsFilesAndReportsMissingOnes) {
  const testing::TempDir dir;
  const auto file = dir.write("k.csv", "1,2\n3,4\n");
  EXPECT_EQ(read_text_matrix(file).values, (std::vector<float>{1, 2, 3, 4}));
  EXPECT_NE(error_of([&] { read_text_matrix(dir / "none.txt"); }).find("cannot open"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_text_matrix(dir.path()); }).find("directory"), std::string::npos);
  const auto binary = dir.write("b.txt", std::string("1 2\0\x01", 5));
  EXPECT_NE(error_of([&] { read_text_matrix(binary); }).find("binary"), std::string::npos);
}

TEST(TextMatrix, ParsesInlineMatrices) {
  const TextMatrix m = parse_inline_matrix(" [[0, 1,0],[1,-4,1] , [0,1,0]] ");
  EXPECT_EQ(m.width, 3);
  EXPECT_EQ(m.height, 3);
  EXPECT_EQ(m.values, (std::vector<float>{0, 1, 0, 1, -4, 1, 0, 1, 0}));
  const TextMatrix row = parse_inline_matrix("[1, 2, 1]");
  EXPECT_EQ(row.width, 3);
  EXPECT_EQ(row.height, 1);
  EXPECT_TRUE(looks_like_inline_matrix("  [[1]]"));
  EXPECT_FALSE(looks_like_inline_matrix("sobel_x"));
}

TEST(TextMatrix, InlineErrorsNameTheColumn) {
  auto message = [](const char* text) {
    return error_of([&] { parse_inline_matrix(text, "-k"); });
  };
  EXPECT_NE(message("[[1,2],[3]]").find("row 2 has 1 values; expected 2"), std::string::npos);
  EXPECT_NE(message("[[]]").find("-k:1:3: expected at least one number"), std::string::npos)
      << message("[[]]");
  EXPECT_NE(message("[[1,x]]").find("-k:1:5: expected a number, got 'x'"), std::string::npos)
      << message("[[1,x]]");
  EXPECT_NE(message("[[1,nan]]").find("not finite"), std::string::npos);
  EXPECT_NE(message("[[1,2]").find("the end of the text"), std::string::npos) << message("[[1,2]");
  EXPECT_NE(message("[[1]] x").find("nothing after"), std::string::npos);
  EXPECT_NE(message("1,2").find("'[' to open"), std::string::npos);
}

TEST(TextMatrix, FormatsShortestRoundTrip) {
  EXPECT_EQ(format_number(3.0f), "3");
  EXPECT_EQ(format_number(0.5f), "0.5");
  EXPECT_EQ(format_number(0.1f), "0.1");
  EXPECT_EQ(format_number(-2.25f), "-2.25");
  EXPECT_EQ(format_number(-0.0f), "0");
  EXPECT_EQ(format_number(1.0f / 3.0f), "0.33333334");
  std::mt19937 random(42);
  std::uniform_int_distribution<std::uint32_t> bits;
  for (int i = 0; i < 20000; ++i) {
    const std::uint32_t pattern = bits(random);
    float value = 0;
    std::memcpy(&value, &pattern, sizeof value);
    if (!std::isfinite(value) || value == 0.0f) continue;
    const TextMatrix back = parse_text_matrix(format_number(value));
    EXPECT_EQ(back.values.front(), value) << format_number(value);
  }
}

TEST(TextMatrix, WritesRowsWithSingleSpacesAndNothingElse) {
  TextMatrix m;
  m.width = 3;
  m.height = 2;
  m.values = {0, 1.5f, -2, 1e-7f, 100, 3};
  EXPECT_EQ(format_text_matrix(m), "0 1.5 -2\n1e-07 100 3\n");
  EXPECT_EQ(format_text_matrix(m, ','), "0,1.5,-2\n1e-07,100,3\n");
  EXPECT_EQ(parse_text_matrix(format_text_matrix(m)).values, m.values);
  // A view with padding between rows: only `width` values per row are written.
  const float padded[] = {1, 2, 99, 3, 4, 99};
  std::ostringstream out;
  write_text_matrix(out, padded, 2, 2, 3);
  EXPECT_EQ(out.str(), "1 2\n3 4\n");
}

}  // namespace
}  // namespace conveyor::util
