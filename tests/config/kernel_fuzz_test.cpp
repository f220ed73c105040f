// Mutated kernel files and text matrices: the readers either accept the input
// or throw their documented error, never crash or throw anything else.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "conveyor/config/kernel_library.hpp"
#include "conveyor/conv/errors.hpp"
#include "conveyor/util/text_matrix.hpp"
#include "support/paths.hpp"

namespace conveyor::config {
namespace {

std::string shipped_library() {
  std::ifstream in(std::string(testing::source_dir()) + "/configs/kernels.yaml");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Flips, inserts and deletes a few bytes, favouring YAML's structural characters.
std::string mutate(std::string text, std::mt19937& random) {
  static const std::string kSpecial = "[]{}:,-#&*!|>'\"%@` \n\t0.9e+nNaIf";
  std::uniform_int_distribution<int> edits(1, 6);
  for (int n = edits(random); n > 0 && !text.empty(); --n) {
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(random);
    const char c =
        kSpecial[std::uniform_int_distribution<std::size_t>(0, kSpecial.size() - 1)(random)];
    switch (std::uniform_int_distribution<int>(0, 2)(random)) {
      case 0:
        text[at] = c;
        break;
      case 1:
        text.insert(at, 1, c);
        break;
      default:
        text.erase(at, 1);
        break;
    }
  }
  return text;
}

TEST(KernelFileFuzz, MutatedLibrariesLoadOrFailWithConfigError) {
  const std::string original = shipped_library();
  ASSERT_FALSE(original.empty());
  std::mt19937 random(2024);
  int accepted = 0;
  for (int i = 0; i < 1500; ++i) {
    const std::string text = mutate(original, random);
    KernelLibrary library;
    try {
      library.load_string(text, "fuzz.yaml");
      for (const auto& name : library.names()) library.get(name);
      ++accepted;
    } catch (const config::ConfigError& error) {
      EXPECT_EQ(std::string(error.what()).rfind("fuzz.yaml", 0), 0u) << error.what();
    }
  }
  EXPECT_GT(accepted, 0);  // harmless edits (in comments, say) still load
}

TEST(KernelFileFuzz, DeepNestingIsAnError) {
  const std::string deep = "kernels:\n  a:\n    weights: " + std::string(5000, '[') + "1" +
                           std::string(5000, ']') + "\n";
  KernelLibrary library;
  try {
    library.load_string(deep, "deep.yaml");
    FAIL() << "loaded";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("deep.yaml:3:", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("nesting deeper than 32"), std::string::npos) << e.what();
  }
}

// Shapes that make yaml-cpp's LoadAll loop forever (jbeder/yaml-cpp#1040) or
// allocate without end: each is one error naming the file and line.
TEST(KernelFileFuzz, FlowShapesAreErrorsNotHangs) {
  for (const std::string text : {", a", "[", "{a: [b, {c: ,}]}", "kernels: {}\n, b\n",
                                 "kernels: &k {a: {weights: [*k]}}\n", "kernels: {}\n---\n"}) {
    SCOPED_TRACE(text);
    KernelLibrary library;
    try {
      library.load_string(text, "k.yaml");
      ADD_FAILURE() << "loaded";
    } catch (const config::ConfigError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("k.yaml:", 0), 0u) << e.what();
      EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(e.what()[7]))) << e.what();
    }
  }
}

TEST(TextMatrixFuzz, MutatedMatricesParseOrFailWithTextMatrixError) {
  const std::string original = "# detector\n0 1 0\n1, -4, 1\n0 1 0\n";
  std::mt19937 random(7);
  for (int i = 0; i < 3000; ++i) {
    const std::string text = mutate(original, random);
    try {
      const util::TextMatrix m = util::parse_text_matrix(text, "fuzz.txt");
      EXPECT_EQ(m.values.size(), static_cast<std::size_t>(m.width) * m.height);
    } catch (const util::TextMatrixError&) {
    }
    try {
      util::parse_inline_matrix("[[" + text + "]]", "fuzz");
    } catch (const util::TextMatrixError&) {
    }
  }
}

}  // namespace
}  // namespace conveyor::config
