// The kernel library: the shipped file, OpenCV-exact generated kernels, and
// every loading error with its file:line.
#include "conveyor/config/kernel_library.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <opencv2/imgproc.hpp>
#include <string>

#include "conveyor/conv/errors.hpp"
#include "conveyor/conv/kernel_factory.hpp"
#include "support/temp_dir.hpp"

namespace conveyor::config {
namespace {

// The 2-D kernel OpenCV's separable filters apply: column * row, in double.
conv::Kernel outer(const cv::Mat& column, const cv::Mat& row) {
  conv::Kernel kernel;
  kernel.width = row.rows;
  kernel.height = column.rows;
  for (int y = 0; y < column.rows; ++y) {
    for (int x = 0; x < row.rows; ++x) {
      kernel.weights.push_back(static_cast<float>(column.at<double>(y) * row.at<double>(x)));
    }
  }
  return kernel;
}

void expect_same(const conv::Kernel& actual, const conv::Kernel& expected,
                 const std::string& what) {
  ASSERT_EQ(actual.width, expected.width) << what;
  ASSERT_EQ(actual.height, expected.height) << what;
  for (std::size_t i = 0; i < expected.weights.size(); ++i) {
    EXPECT_EQ(actual.weights[i], expected.weights[i]) << what << " weight " << i;
  }
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ConfigError& error) {  // the library's
    return error.what();
  } catch (const conv::ConfigError& error) {  // the engine's generators, called directly
    return error.what();
  }
  return "(no error)";
}

KernelLibrary from_text(const std::string& yaml) {
  KernelLibrary library;
  library.load_string(yaml, "test.yaml");
  return library;
}

TEST(KernelLibrary, ShippedFileHasEveryKernelWithADescription) {
  const KernelLibrary library = KernelLibrary::load_default();
  for (const char* name :
       {"identity",  "box",      "box3",      "box5",       "box7",       "gaussian",
        "sharpen",   "unsharp",  "laplacian", "laplacian4", "laplacian8", "sobel_x",
        "sobel_y",   "sobel_x3", "sobel_x5",  "sobel_x7",   "sobel_y3",   "sobel_y5",
        "sobel_y7",  "scharr_x", "scharr_y",  "prewitt_x",  "prewitt_y",  "roberts_x",
        "roberts_y", "emboss",   "outline",   "motion_blur"}) {
    ASSERT_TRUE(library.contains(name)) << name;
  }
  for (const auto& name : library.names()) {
    EXPECT_FALSE(library.description(name).empty()) << name;
    const conv::Kernel kernel = library.get(name);  // every entry resolves
    EXPECT_EQ(kernel.name, name);
    EXPECT_EQ(kernel.weights.size(), static_cast<std::size_t>(kernel.width) * kernel.height);
  }
  expect_same(library.get("laplacian4"), library.get("laplacian"), "alias");
  EXPECT_EQ(library.get("roberts_y").anchor_x, 0);
  EXPECT_EQ(library.get("box5").width, 5);
  // The unsharp mask keeps flat areas unchanged: its weights sum to 1.
  float sum = 0;
  for (const float w : library.get("unsharp").weights) sum += w;
  EXPECT_FLOAT_EQ(sum, 1.0f);
}

TEST(KernelLibrary, SobelMatchesGetDerivKernels) {
  const KernelLibrary library = KernelLibrary::load_default();
  for (const int size : {1, 3, 5, 7}) {
    for (const auto& [dx, dy] : {std::pair{1, 0}, {0, 1}, {1, 1}, {2, 0}, {0, 2}}) {
      cv::Mat kx, ky;
      cv::getDerivKernels(kx, ky, dx, dy, size, false, CV_64F);
      const std::string what = "dx=" + std::to_string(dx) + " dy=" + std::to_string(dy) +
                               " size=" + std::to_string(size);
      expect_same(conv::sobel_kernel(dx, dy, size), outer(ky, kx), what);
    }
    if (size == 1) continue;
    cv::Mat kx, ky;
    cv::getDerivKernels(kx, ky, 1, 0, size, false, CV_64F);
    KernelParams params;
    params.values["size"] = size;
    expect_same(library.get("sobel_x", params), outer(ky, kx),
                "sobel_x size " + std::to_string(size));
    expect_same(library.get("sobel_x" + std::to_string(size)), outer(ky, kx), "sobel_xN");
    cv::getDerivKernels(kx, ky, 0, 1, size, false, CV_64F);
    expect_same(library.get("sobel_y" + std::to_string(size)), outer(ky, kx), "sobel_yN");
  }
}

TEST(KernelLibrary, GaussianMatchesGetGaussianKernel) {
  // Bit for bit: the 1-D factors equal OpenCV's (its soft-float exp rounds to
  // the same doubles here), and the 2-D weight is their product rounded once.
  for (int size = 1; size <= 31; size += 2) {
    for (const double sigma : {0.0, -1.0, 0.1, 0.3, 0.8, 1.0, 1.2, 2.5, 3.3, 7.0, 10.0}) {
      const cv::Mat g = cv::getGaussianKernel(size, sigma, CV_64F);
      expect_same(conv::gaussian_kernel(size, sigma), outer(g, g),
                  "size " + std::to_string(size) + " sigma " + std::to_string(sigma));
    }
  }
  const KernelLibrary library = KernelLibrary::load_default();
  KernelParams params;
  params.values = {{"size", 11}, {"sigma", 0}};
  const cv::Mat g = cv::getGaussianKernel(11, 0, CV_64F);  // 0.3*((11-1)*0.5-1)+0.8 = 2
  expect_same(library.get("gaussian", params), outer(g, g), "gaussian:size=11");
  const cv::Mat g3 = cv::getGaussianKernel(3, 0, CV_64F);
  expect_same(library.get("gaussian"), outer(g3, g3), "default gaussian");
}

TEST(KernelLibrary, BoxAndMotionBlurAreNormalised) {
  const conv::Kernel box = conv::box_kernel(5);
  for (const float w : box.weights) EXPECT_EQ(w, 1.0f / 25.0f);
  const conv::Kernel motion = conv::motion_blur_kernel(3);
  EXPECT_EQ(motion.weights, (std::vector<float>{0, 0, 0, 1.0f / 3, 1.0f / 3, 1.0f / 3, 0, 0, 0}));
  EXPECT_NE(error_of([] { conv::box_kernel(4); }).find("expected an odd integer"),
            std::string::npos);
  EXPECT_NE(error_of([] { conv::sobel_kernel(1, 0, 9); }).find("1, 3, 5 or 7"), std::string::npos);
}

TEST(KernelLibrary, DuplicateKeyIsAnErrorWithItsLine) {
  const std::string message = error_of([] {
    from_text(
        "kernels:\n  a:\n    weights: [[1]]\n  b:\n    weights: [[2]]\n  a:\n    weights: [[3]]\n");
  });
  EXPECT_NE(message.find("test.yaml:6:"), std::string::npos) << message;
  EXPECT_NE(message.find("duplicate key 'a'"), std::string::npos) << message;
  EXPECT_NE(message.find("first at line 2, again at line 6"), std::string::npos) << message;
  const std::string nested = error_of([] {
    from_text("kernels:\n  a:\n    weights: [[1]]\n    description: x\n    weights: [[2]]\n");
  });
  EXPECT_NE(nested.find("test.yaml:5:"), std::string::npos) << nested;
  EXPECT_NE(nested.find("duplicate key 'weights'"), std::string::npos) << nested;
}

TEST(KernelLibrary, UnknownNameSuggestsTheClosest) {
  const KernelLibrary library = KernelLibrary::load_default();
  const std::string message = error_of([&] { library.get("sobelx"); });
  EXPECT_NE(message.find("unknown kernel 'sobelx'"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'sobel_x'"), std::string::npos) << message;
  KernelParams params;
  params.values["sigmma"] = 1;
  const std::string param = error_of([&] { library.get("gaussian", params); });
  EXPECT_NE(param.find("did you mean 'sigma'"), std::string::npos) << param;
  const std::string fixed = error_of([&] { library.get("sharpen", params); });
  EXPECT_NE(fixed.find("takes no parameters"), std::string::npos) << fixed;
}

TEST(KernelLibrary, UserFileOverridesAKernel) {
  KernelLibrary library = KernelLibrary::load_default();
  const conv::Kernel laplacian8 = library.get("laplacian8");
  const testing::TempDir dir;
  const auto file = dir.write(
      "mine.yaml",
      "version: 1\nkernels:\n  sharpen:\n    description: Mine.\n"
      "    weights: [[1, 2, 3]]\n  laplacian:\n    weights: [[0, 1, 0], [1, -5, 1], [0, 1, 0]]\n");
  library.load_file(file);
  expect_same(library.get("sharpen"), conv::Kernel{"", 3, 1, {1, 2, 3}, {}, {}}, "override");
  EXPECT_EQ(library.description("sharpen"), "Mine.");
  EXPECT_EQ(library.definition("sharpen").source, file.string() + ":3:3");
  EXPECT_EQ(library.get("laplacian4").weights[4], -5.0f);  // the alias follows the override
  expect_same(library.get("laplacian8"), laplacian8, "untouched");
}

TEST(KernelLibrary, BadFilesNameTheLineAndLeaveTheLibraryUnchanged) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
      {"kernels:\n  a:\n    weights: [[1, .nan, 1]]\n", {"test.yaml:3:", ".nan", "finite"}},
      {"kernels:\n  a:\n    weights: [[1, .inf]]\n    anchor: [0, 0]\n", {".inf", "finite"}},
      {"kernels:\n  a:\n    weights: [[1, 2, 3],\n              [4, 5]]\n",
       {"test.yaml:4:", "row 2 has 2 values", "expected 3"}},
      {"kernels:\n  a:\n    weights: []\n", {"test.yaml:3:", "empty"}},
      {"kernels:\n  a:\n    weights: [[1, 0], [0, 1]]\n", {"2x2", "anchor"}},
      {"kernels:\n  a:\n    weights: [[1, 0], [0, 1]]\n    anchor: [2, 0]\n", {"outside"}},
      {"kernels:\n  a:\n    weigths: [[1]]\n",
       {"test.yaml:3:", "'weigths'", "did you mean 'weights'"}},
      {"kernels:\n  a:\n    family: gausian\n", {"'gausian'", "did you mean 'gaussian'"}},
      {"kernels:\n  a:\n    family: box\n    params: {size: 4}\n",
       {"test.yaml:2:", "size 4", "odd"}},
      {"kernels:\n  a:\n    family: box\n    params: {sise: 3}\n",
       {"'sise'", "did you mean 'size'"}},
      {"kernels:\n  a:\n    alias: nowhere\n", {"test.yaml:2:", "'nowhere'", "not defined"}},
      {"kernels:\n  a:\n    alias: b\n  b:\n    alias: a\n", {"leads back"}},
      {"kernels:\n  a:\n    weights: [[1]]\n    family: box\n", {"exactly one"}},
      {"kernels:\n  a:\n    description: no kernel\n", {"no weights, family or alias"}},
      {"kernels:\n  a: [[1]]\n", {"not a map"}},
      {"kernels:\n  2bad:\n    weights: [[1]]\n", {"'2bad'", "not valid"}},
      {"kernel:\n  a:\n    weights: [[1]]\n", {"'kernel'", "did you mean 'kernels'"}},
      {"version: 2\nkernels: {}\n", {"version 2", "expected 1"}},
      {"kernels:\n  a:\n    weights: [[1, \"2\"]]\n",
       {"test.yaml:3:19", "quoted string", "expected a finite number"}},
      {"kernels:\n  a: {weights: [[1]]\n", {"test.yaml:", "invalid YAML"}},
      {"kernels: {}\n---\nkernels: {}\n", {"second YAML document"}},
      {"", {"empty"}},
  };
  std::string big = "kernels:\n  a:\n    weights: [[";
  for (int i = 0; i < 32; ++i) big += i > 0 ? ", 1" : "1";
  big += "]]\n    anchor: [0, 0]\n";
  KernelLibrary library = from_text("kernels:\n  keep:\n    weights: [[7]]\n");
  auto all_cases = cases;
  all_cases.push_back({big, {"32x1", "31x31"}});
  for (const auto& [yaml, fragments] : all_cases) {
    const std::string message = error_of([&] { library.load_string(yaml, "test.yaml"); });
    for (const auto& fragment : fragments) {
      EXPECT_NE(message.find(fragment), std::string::npos)
          << "'" << fragment << "' not in: " << message << "\nfor:\n"
          << yaml;
    }
  }
  EXPECT_EQ(library.names(), std::vector<std::string>{"keep"});
}

// The kernel file is read by the pipeline's reader: every problem at once, in
// file order, each with its position, key path, value and a did-you-mean.
TEST(KernelLibrary, BadFileReportsEveryProblemWithPathAndPosition) {
  const std::string message = error_of([] {
    from_text(
        "versoin: 1\nkernels:\n  a:\n    weights: [[1, yes]]\n  b:\n    family: box\n"
        "    params: {size: 3, sise: 5}\n  c:\n    weights: [[1]]\n    anchr: [0, 0]\n"
        "  d:\n    family: sobel\n    params: {dx: '1'}\n  e:\n    alias: [a]\n");
  });
  for (const char* fragment :
       {"test.yaml:1:1: versoin: unknown key 'versoin' in a kernel library (version, kernels)",
        "did you mean 'version'?", "test.yaml:4:19: kernels.a.weights.0.1: 'yes' is not a number",
        "test.yaml:7:23: kernels.b.params.sise: unknown key 'sise'", "did you mean 'size'?",
        "test.yaml:10:5: kernels.c.anchr: unknown key 'anchr' in a kernel definition",
        "did you mean 'anchor'?", "test.yaml:13:18: kernels.d.params.dx: '1' is a quoted string",
        "test.yaml:15:12: kernels.e.alias: a list is not text"}) {
    EXPECT_NE(message.find(fragment), std::string::npos) << "'" << fragment << "' not in:\n"
                                                         << message;
  }
  EXPECT_LT(message.find("test.yaml:1:1"), message.find("test.yaml:4:19")) << message;
  EXPECT_EQ(error_of([] { from_text("- a\n- b\n"); }),
            "test.yaml:1:1: the kernel file: a list is not a mapping; expected a kernel library "
            "(version, kernels) as key: value pairs");
}

TEST(KernelLibrary, ValidFilesReadAsBefore) {
  // Whole numbers written as reals, a flat row, scale and anchor, quoted names.
  const KernelLibrary library = from_text(
      "version: 1.0\nkernels:\n  flat:\n    weights: [1, 2, 1]\n    scale: 0.25\n"
      "  even:\n    weights: [[1, -1]]\n    anchor: [1.0, 0]\n  'g5':\n    family: gaussian\n"
      "    params: {size: 5, sigma: 1.5}\n  same:\n    alias: flat\n    description:\n");
  expect_same(library.get("flat"), conv::Kernel{"", 3, 1, {0.25f, 0.5f, 0.25f}, {}, {}}, "flat");
  EXPECT_EQ(library.get("even").anchor_col(), 1);
  EXPECT_EQ(library.definition("g5").defaults.values.at("sigma"), 1.5);
  EXPECT_EQ(library.get("same").weights, library.get("flat").weights);
  EXPECT_EQ(library.definition("same").source, "test.yaml:12:3");
}

TEST(KernelLibrary, ParsesReferences) {
  const KernelReference plain = parse_kernel_reference("sobel_x");
  EXPECT_EQ(plain.name, "sobel_x");
  EXPECT_TRUE(plain.params.values.empty());
  const KernelReference gaussian = parse_kernel_reference("gaussian:size=5,sigma=1.5");
  EXPECT_EQ(gaussian.name, "gaussian");
  EXPECT_EQ(gaussian.params.values.at("size"), 5);
  EXPECT_EQ(gaussian.params.values.at("sigma"), 1.5);
  EXPECT_NE(error_of([] { parse_kernel_reference("gaussian:size"); }).find("key=number"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_kernel_reference("gaussian:size=nan"); }).find("key=number"),
            std::string::npos);
}

}  // namespace
}  // namespace conveyor::config
