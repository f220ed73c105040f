// Load sharing decided at plan time (bank_sharing.cpp). Each pairing keeps
// every output's operation sequence, so results do not depend on it.
#pragma once

#include <vector>

#include "conv/bank_layout.hpp"

namespace conveyor::conv::detail {

// Sets RowPass::mirrored, mirror_center and mirror_terms when the pass's taps
// (at least two) mirror around a centre with equal weights.
void plan_mirror(RowPass& pass);

// Pairs row passes of one border group where one's tap offsets are a subset
// of the other's (sets RowPass::partner / by_partner / partner_weights / mask).
void pair_row_passes(std::vector<RowPass>& passes);

// Pairs direct filters with the same tap offsets, rows and strides (sets
// PlannedFilter::partner on the first, by_partner on the second).
void pair_shared_taps(std::vector<PlannedFilter>& planned);

// A separable filter with stride_y 1 whose column taps lie on consecutive
// rows: its output rows can run in pairs (PlannedFilter::column_pairs).
bool taps_on_consecutive_rows(const PlannedFilter& f, int row_stride);

// Plans a direct filter's output rows in pairs (PlannedFilter::pair_taps and
// pair_runs) when it has stride_y 1, no shared-taps partner, and taps on at
// least two rows; `row_step` is the padded tile's row stride.
void plan_row_pairs(PlannedFilter& f, std::ptrdiff_t row_step);

}  // namespace conveyor::conv::detail
