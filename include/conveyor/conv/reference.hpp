// The plain reference convolution: obvious loops, double accumulation, no
// tricks. It is the definition of what the engine computes and the oracle the
// fast paths are tested against. Slow by design; never used in production.
#pragma once

#include "conveyor/conv/image.hpp"
#include "conveyor/conv/kernel.hpp"

namespace conveyor::conv {

// Reads input pixel (x, y, c) as float, extending the image by the border rule.
// Valid has no extension: callers never ask it for outside pixels.
float reference_sample(const ImageView& input, int x, int y, int c, Border border);

// out(ox, oy) = sum_{ky,kx} w(ky,kx) * in(ox*sx + kx - ax, oy*sy + ky - ay)
// (ax = ay = 0 for valid, the anchor otherwise; kernel flipped first for `flip`).
FeatureMap reference_filter(const ImageView& input, const Filter& filter);

}  // namespace conveyor::conv
