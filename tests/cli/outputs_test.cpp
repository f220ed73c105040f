// What `apply` writes: exact float TIFFs, 8-bit pictures, text matrices, one
// file per map, and what --print shows.
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "cli_fixture.hpp"

namespace conveyor::testing {
namespace {

class OutputTest : public CliTest {};

// Values that need every bit of a float: thirds, tiny and huge magnitudes.
constexpr const char* kAwkward =
    "0.1 0.33333334 -2.5e-08 1e+30\n"
    "-0.7 3.4028235e+38 1.17549435e-38 7\n"
    "0.2 0.3 -0.4 123456.79\n";

TEST_F(OutputTest, TiffRoundTripsFloatValuesExactly) {
  write("in.txt", kAwkward);
  const auto result = conveyor({"apply", "-k", "identity", "in.txt", "-o", "out.tif"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const cv::Mat written = cv::imread((dir / "out.tif").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(written.type(), CV_32FC1);
  ASSERT_EQ(written.size(), cv::Size(4, 3));
  std::istringstream expected(kAwkward);
  for (int y = 0; y < 3; ++y) {
    for (int x = 0; x < 4; ++x) {
      float value = 0;
      expected >> value;
      EXPECT_EQ(written.at<float>(y, x), value) << "at " << x << "," << y;
    }
  }
}

TEST_F(OutputTest, TiffHoldsTheSameFloatsAsPrint) {
  write("in.txt",
        "0.1 0.33333334 -2.5e-08 1e+20\n-0.7 3 1.17549435e-38 7\n0.2 0.3 -0.4 123456.79\n");
  const auto result = conveyor(
      {"apply", "-k", "gaussian:size=3,sigma=0.7", "--print", "in.txt", "-o", "blur.tiff"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const cv::Mat written = cv::imread((dir / "blur.tiff").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(written.type(), CV_32FC1);
  std::istringstream printed(result.out);
  for (int y = 0; y < written.rows; ++y) {
    for (int x = 0; x < written.cols; ++x) {
      std::string token;
      printed >> token;
      EXPECT_EQ(written.at<float>(y, x), std::stof(token)) << "at " << x << "," << y;
    }
  }
}

TEST_F(OutputTest, ColourInputGivesAThreeChannelFloatTiff) {
  cv::Mat picture(5, 6, CV_8UC3);
  cv::randu(picture, 0, 255);
  ASSERT_TRUE(cv::imwrite((dir / "in.png").string(), picture));
  const auto result = conveyor({"apply", "-k", "identity", "in.png", "-o", "out.tif"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const cv::Mat written = cv::imread((dir / "out.tif").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(written.type(), CV_32FC3);
  cv::Mat expected;
  picture.convertTo(expected, CV_32F);
  EXPECT_EQ(cv::norm(written, expected, cv::NORM_INF), 0.0);
}

TEST_F(OutputTest, SeveralMapsGiveOneFilePerMap) {
  write("in.txt", "1 2 3 4\n5 6 7 8\n9 10 11 12\n");
  const auto result = conveyor(
      {"apply", "-k", "sobel_x", "-k", "sobel_y", "-k", "sobel_x", "in.txt", "-o", "out.tif"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  for (const char* name : {"out_sobel_x.tif", "out_sobel_y.tif", "out_sobel_x_2.tif"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / name)) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "out.tif"));
  const auto text = conveyor({"apply", "-k", "sobel_x", "-k", "sobel_y", "in.txt", "-o", "m.csv"});
  ASSERT_EQ(text.exit_code, 0) << describe(text);
  // Reflect border: the edge columns mirror onto themselves and give 0; inside,
  // (I[x+1] - I[x-1]) * (1 + 2 + 1) = 2 * 4.
  const std::string csv = read("m_sobel_x.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "0,8,8,0");
  EXPECT_TRUE(std::filesystem::exists(dir / "m_sobel_y.csv"));
}

TEST_F(OutputTest, CombinedMapIsOneFile) {
  write("in.txt", "0 0 0 0\n0 3 4 0\n0 0 0 0\n");
  const auto result = conveyor({"apply", "-k", "[[1]]", "-k", "[[2]]", "--combine", "magnitude",
                                "--print", "in.txt", "-o", "mag.txt"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  // sqrt(v^2 + (2v)^2) = v * sqrt(5): 0 stays 0; one header-less map.
  EXPECT_EQ(result.out.find('#'), std::string::npos) << result.out;
  EXPECT_EQ(read("mag.txt"), result.out);
  const auto weighted = conveyor({"apply", "-k", "[[1]]", "-k", "[[2]]", "--combine",
                                  "weighted_sum", "--weights", "1,-0.5", "--print", "in.txt"});
  ASSERT_EQ(weighted.exit_code, 0) << describe(weighted);
  EXPECT_EQ(weighted.out, "0 0 0 0\n0 0 0 0\n0 0 0 0\n");
}

TEST_F(OutputTest, PicturesAreEightBit) {
  write("in.txt", "0 1 2\n3 4 5\n6 7 8\n");
  const auto result = conveyor({"apply", "-k", "identity", "in.txt", "-o", "out.png"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  const cv::Mat written = cv::imread((dir / "out.png").string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(written.type(), CV_8UC1);
  double low = 0, high = 0;
  cv::minMaxLoc(written, &low, &high);
  EXPECT_EQ(low, 0);     // minmax: the smallest value maps to 0
  EXPECT_EQ(high, 255);  // and the largest to 255
}

TEST_F(OutputTest, PrintUsesShortestNumbers) {
  write("in.txt", "1 2\n3 4\n");
  const auto result = conveyor({"apply", "-k", "[[0.5]]", "--print", "in.txt"});
  ASSERT_EQ(result.exit_code, 0) << describe(result);
  EXPECT_EQ(result.out, "0.5 1\n1.5 2\n");
}

TEST_F(OutputTest, FlipTurnsCorrelationIntoConvolution) {
  write("in.txt", "0 0 0\n0 1 0\n0 0 0\n");
  const auto plain = conveyor(
      {"apply", "--border", "zero", "-k", "[[1,2,3],[4,5,6],[7,8,9]]", "--print", "in.txt"});
  const auto flipped = conveyor({"apply", "--border", "zero", "-k", "[[1,2,3],[4,5,6],[7,8,9]]",
                                 "--flip", "--print", "in.txt"});
  // Correlation with an impulse shows the kernel rotated; convolution shows it as written.
  EXPECT_EQ(plain.out, "9 8 7\n6 5 4\n3 2 1\n") << describe(plain);
  EXPECT_EQ(flipped.out, "1 2 3\n4 5 6\n7 8 9\n") << describe(flipped);
}

}  // namespace
}  // namespace conveyor::testing
