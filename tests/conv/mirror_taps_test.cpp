// Row passes whose taps mirror around a centre run folded: each mirrored pair
// of inputs is added, then multiplied once. The vector loops are checked
// against a scalar model of that sum for every term count (the fixed loops
// of 1-4 terms and the run-time loop), with and without a centre tap; a pass
// sharing its loads with a partner must give the bytes of the two passes run
// alone. Banks of mirrored row factors (nested like a Gaussian inside a box,
// or not) must give the bytes of single-filter plans and stay near the
// reference.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "conv/simd_kernels.hpp"
#include "conv_test_support.hpp"
#include "conveyor/conv/reference.hpp"

namespace conveyor::conv::test {
namespace {

using detail::MirrorTerm;
using detail::MirrorTerms;

std::vector<MirrorTerm> random_terms(std::mt19937& rng, int count, bool centre) {
  std::uniform_real_distribution<float> weight(-2.0f, 2.0f);
  std::vector<MirrorTerm> terms;
  std::ptrdiff_t distance = centre ? 0 : 1;
  for (int t = 0; t < count; ++t) {
    terms.push_back({distance, weight(rng)});
    distance += std::uniform_int_distribution<std::ptrdiff_t>(1, 2)(rng);  // gaps: zero taps
  }
  return terms;
}

// The folded sum in plain scalar code, with double accumulation: the oracle.
double folded_sum(const float* row, std::ptrdiff_t center, const std::vector<MirrorTerm>& terms) {
  double sum = 0.0;
  for (const MirrorTerm& term : terms) {
    const double value = term.distance == 0 ? row[center]
                                            : static_cast<double>(row[center - term.distance]) +
                                                  row[center + term.distance];
    sum += term.weight * value;
  }
  return sum;
}

TEST(MirrorTaps, FoldedSumsMatchTheScalarModel) {
  std::mt19937 rng(53);
  std::uniform_real_distribution<float> pixel(-100.0f, 100.0f);
  for (int count = 1; count <= detail::kMaxMirrorTerms; ++count) {
    for (const bool centre : {true, false}) {
      for (const int n : {16, 32, 48, 80}) {  // one and two vectors per step, any width
        SCOPED_TRACE(std::to_string(count) + " terms, centre " + std::to_string(centre) + ", n " +
                     std::to_string(n));
        const std::vector<MirrorTerm> terms = random_terms(rng, count, centre);
        const std::ptrdiff_t reach = terms.back().distance;
        std::vector<float> row(static_cast<std::size_t>(n + 2 * reach));
        for (float& v : row) v = pixel(rng);
        const MirrorTerms all{reach, terms.data(), count};
        std::vector<float> got(static_cast<std::size_t>(n));
        detail::mirror_taps(row.data(), all, got.data(), n);
        double magnitude = 0.0;
        for (const MirrorTerm& term : terms) magnitude += std::abs(term.weight) * 200.0;
        for (int i = 0; i < n; ++i) {
          ASSERT_NEAR(got[static_cast<std::size_t>(i)], folded_sum(row.data() + i, reach, terms),
                      magnitude * 1e-6)
              << "at " << i;
        }
      }
    }
  }
}

TEST(MirrorTaps, SharedLoopGivesTheBytesOfTwoPasses) {
  std::mt19937 rng(59);
  std::uniform_real_distribution<float> pixel(-100.0f, 100.0f);
  for (int count = 1; count <= 7; ++count) {
    for (const bool centre : {true, false}) {
      for (int sub_count = 1; sub_count <= count; ++sub_count) {
        SCOPED_TRACE(std::to_string(count) + " terms, centre " + std::to_string(centre) + ", " +
                     std::to_string(sub_count) + " shared");
        const int n = 48;
        const std::vector<MirrorTerm> terms = random_terms(rng, count, centre);
        std::vector<MirrorTerm> sub_terms(terms.begin(), terms.begin() + sub_count);
        for (MirrorTerm& term : sub_terms) {
          term.weight = std::uniform_real_distribution<float>(-2.0f, 2.0f)(rng);
        }
        const std::ptrdiff_t reach = terms.back().distance;
        std::vector<float> row(static_cast<std::size_t>(n + 2 * reach));
        for (float& v : row) v = pixel(rng);
        // Sums that cancel to zero check the sign of zero too.
        row[static_cast<std::size_t>(reach)] = 0.0f;
        const MirrorTerms all{reach, terms.data(), count};
        const MirrorTerms sub{reach, sub_terms.data(), sub_count};
        std::vector<float> want_all(n), want_sub(n), got_all(n), got_sub(n);
        detail::mirror_taps(row.data(), all, want_all.data(), n);
        detail::mirror_taps(row.data(), sub, want_sub.data(), n);
        detail::mirror_subset_taps(row.data(), all, sub, got_all.data(), got_sub.data(), n);
        EXPECT_EQ(0, std::memcmp(got_all.data(), want_all.data(), sizeof(float) * n));
        EXPECT_EQ(0, std::memcmp(got_sub.data(), want_sub.data(), sizeof(float) * n));
      }
    }
  }
}

// A row factor of `size` taps mirrored around its middle, some of them zero
// (dropped taps); even sizes have no centre tap.
std::vector<float> mirrored_row(std::mt19937& rng, int size) {
  std::uniform_real_distribution<float> weight(0.25f, 2.0f);
  std::vector<float> row(static_cast<std::size_t>(size));
  for (int i = 0; i < (size + 1) / 2; ++i) {
    // The outermost pair stays, so the row keeps its full width.
    const float w = i > 0 && std::bernoulli_distribution(0.2)(rng) ? 0.0f : weight(rng);
    row[static_cast<std::size_t>(i)] = w;
    row[static_cast<std::size_t>(size - 1 - i)] = w;
  }
  return row;
}

TEST(MirrorTaps, BanksOfMirroredRowsMatchSinglePlansAndTheReference) {
  std::mt19937 rng(61);
  constexpr Border kBorders[] = {Border::Zero, Border::Replicate, Border::Reflect, Border::Wrap};
  for (int round = 0; round < 24; ++round) {
    const int size = std::uniform_int_distribution<int>(3, 15)(rng);
    const std::vector<float> big_row = mirrored_row(rng, size);
    // The partner: the big row's middle (a prefix of its terms) or, every
    // third round, its outer taps only (mirrored but not a prefix).
    std::vector<float> small_row = big_row;
    for (int i = 0; i < size; ++i) {
      const bool outer_tap = i < size / 4 || i >= size - size / 4;
      if (round % 3 == 2 ? !outer_tap : outer_tap) small_row[static_cast<std::size_t>(i)] = 0.0f;
      if (small_row[static_cast<std::size_t>(i)] != 0.0f)
        small_row[static_cast<std::size_t>(i)] *= 0.5f;
    }
    const int channels = round % 2 == 0 ? 1 : 3;
    const PixelType type = round % 3 == 0 ? PixelType::U8 : PixelType::F32;
    const int width = std::uniform_int_distribution<int>(size, 90)(rng);
    const int height = std::uniform_int_distribution<int>(5, 23)(rng);
    const OwnedImage image = random_image(rng, width, height, channels, type, {2, 1, 4});
    Filter big;
    big.name = "big";
    big.kernel = outer_product({1.0f, 2.0f, 1.0f, 3.0f, 1.0f}, big_row, "big");
    big.kernel.anchor_x = size / 2;  // even sizes need a stated anchor
    big.kernel.anchor_y = 2;
    big.border = kBorders[round % 4];
    Filter small = big;
    small.name = "small";
    small.kernel = outer_product({1.5f, -1.0f, 0.5f}, small_row, "small");
    small.kernel.anchor_x = size / 2;
    small.kernel.anchor_y = 1;
    small.stride_x = 1 + round % 3;
    small.stride_y = 1 + round % 2;
    SCOPED_TRACE(describe(big) + " and " + describe(small));
    for (const PlanOptions& options : {PlanOptions{1, 0, 0}, PlanOptions{2, 9, 4}}) {
      expect_bank_maps_match_singles({small, big}, image.view, options);
    }
  }
}

// Rows that only look mirrored (the outer pair matches, the rest does not)
// must run plain and stay near the reference.
TEST(MirrorTaps, AlmostMirroredRowsRunPlain) {
  std::mt19937 rng(67);
  const std::vector<std::vector<float>> rows = {
      {1.0f, 2.0f, 0.0f, 0.0f, 1.0f},        // odd tap count, middle tap off the centre
      {1.0f, 0.0f, 0.0f, 3.0f, 1.0f},        // the same, mirrored
      {1.0f, 2.0f, 5.0f, 2.5f, 1.0f},        // inner weights differ
      {-1.0f, -2.0f, 0.0f, 2.0f, 1.0f},      // antisymmetric
      {2.0f, 1.0f, 0.0f, 1.0f, 0.0f, 2.0f},  // even width, inner pair off the centre
  };
  const OwnedImage image = random_image(rng, 61, 17, 1, PixelType::F32, {1, 1, 2});
  for (const std::vector<float>& row : rows) {
    Filter f;
    f.name = "almost";
    f.kernel = outer_product({1.0f, -2.0f, 0.5f}, row, "almost");
    f.kernel.anchor_x = static_cast<int>(row.size()) / 2;
    f.border = Border::Reflect;
    SCOPED_TRACE(describe(f));
    const BankPlan plan({f}, {61, 17, 1, PixelType::F32}, {1, 0, 0});
    ASSERT_TRUE(plan.info().filters[0].separable);
    std::vector<FeatureMap> maps;
    plan.run(image.view, maps);
    EXPECT_TRUE(maps_near(maps[0], reference_filter(image.view, f), tolerance_for(f, image.view)));
  }
}

}  // namespace
}  // namespace conveyor::conv::test
