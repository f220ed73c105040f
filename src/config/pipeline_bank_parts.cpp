// Parts of a convolution stage: kernel references, inline matrices, combine
// and post-processing.
#include "pipeline_bank_parts.hpp"

#include <algorithm>

namespace conveyor::config::pipeline_detail {
namespace {

const std::string kMatrixExample =
    "a list of rows of numbers, e.g. [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]";
const std::size_t kMaxSide = static_cast<std::size_t>(conv::kMaxKernelSize);

}  // namespace

bool read_matrix(Context& ctx, const Value& value, std::vector<std::vector<float>>& rows) {
  auto items = read_list(ctx, value, kMatrixExample);
  if (!items) return false;
  if (items->empty() || items->size() > kMaxSide) {
    ctx.error(value.mark, value.path + ": " + std::to_string(items->size()) +
                              " rows; expected 1 to " + std::to_string(kMaxSide) +
                              " rows of weights");
    return false;
  }
  if (!items->front().node.IsSequence()) {
    ctx.error(value.mark, value.path + ": a flat list; expected " + kMatrixExample);
    return false;
  }
  bool ok = true;
  rows.clear();
  for (const auto& row : *items) {
    auto numbers = read_floats(ctx, row, kMaxSide,
                               "a row of 1 to " + std::to_string(kMaxSide) + " finite numbers");
    if (!numbers) {
      ok = false;
      continue;
    }
    if (!rows.empty() && numbers->size() != rows.front().size()) {
      ctx.error(row.mark, row.path + ": a row of " + std::to_string(numbers->size()) +
                              " weights; expected " + std::to_string(rows.front().size()) +
                              " like the first row (a rectangular matrix)");
      ok = false;
    }
    rows.push_back(std::move(*numbers));
  }
  return ok;
}

bool read_kernel_ref(Context& ctx, const Value& value, KernelRef& ref) {
  ref.where.mark = value.mark;
  const std::string expect =
      "a library kernel name (sobel_x), a family with parameters ({gaussian: {size: 5, sigma: "
      "1.2}}) or inline weights";
  if (value.node.IsSequence()) {
    ref.kind = KernelRefKind::Inline;
    return read_matrix(ctx, value, ref.rows);
  }
  if (value.node.IsScalar()) {
    ref.kind = KernelRefKind::Named;
    if (!read_name(ctx, value, ref.name, "kernel name")) return false;
    return true;
  }
  MapReader map(ctx, value, "a kernel family with its parameters");
  if (!map.valid()) return false;
  const auto keys = map.keys();
  if (keys.size() != 1) {
    ctx.error(value.mark,
              value.path + ": a mapping with " + std::to_string(keys.size()) +
                  " keys; expected exactly one kernel family, e.g. {gaussian: {size: 5}}");
    return false;
  }
  ref.kind = KernelRefKind::Parameterised;
  ref.name = keys.front();
  ref.where = map.where();
  auto params = map.get(ref.name);
  map.finish();
  if (!params) return true;  // `{gaussian: }`: the family's defaults
  MapReader param_map(ctx, *params, "the parameters of kernel '" + ref.name + "'");
  if (!param_map.valid()) return false;
  bool ok = true;
  for (const auto& key : param_map.keys()) {
    auto param = param_map.get(key);
    double number = 0;
    if (!param) {
      ctx.error(params->mark, join_path(params->path, key) + ": has no value; expected a number");
      ok = false;
    } else if (read_real(ctx, *param, -1e9, 1e9, number, "a finite number")) {
      ref.params.values[key] = number;
    } else {
      ok = false;
    }
  }
  param_map.finish();
  return ok;
}

namespace {

bool read_combine_op(Context& ctx, MapReader& map, CombineSpec& combine) {
  auto v = map.required("op", "one of " + join_names(conv::combine_names()));
  if (!v) return false;
  std::string text;
  if (!read_string(ctx, *v, text, "a combine op")) return true;  // reported; keep reading
  const auto op = conv::parse_combine(text);
  if (op) {
    combine.op = *op;
    return true;
  }
  ctx.error(v->mark, v->path + ": unknown combine op '" + text + "'; expected one of " +
                         join_names(conv::combine_names()) +
                         util::did_you_mean(text, conv::combine_names()));
  return false;
}

// `inputs:` names of the bank's filters, each once, at least one.
bool read_combine_inputs(Context& ctx, const Value& value, const std::vector<std::string>& names,
                         CombineSpec& combine) {
  auto items = read_list(ctx, value, "a list of filter names of this bank");
  if (!items) return false;
  bool ok = true;
  for (const auto& item : *items) {
    std::string name;
    if (!read_string(ctx, item, name, "a filter name")) continue;
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end()) {
      ctx.error(item.mark, item.path + ": '" + name +
                               "' is not a filter of this bank; expected one of " +
                               join_names(names) + util::did_you_mean(name, names));
      ok = false;
    } else if (std::find(combine.inputs.begin(), combine.inputs.end(), name) !=
               combine.inputs.end()) {
      ctx.error(item.mark,
                item.path + ": '" + name + "' is listed twice; expected each input once");
      ok = false;
    } else {
      combine.inputs.push_back(name);
      combine.input_indices.push_back(static_cast<int>(found - names.begin()));
    }
  }
  if (items->empty()) {
    ctx.error(value.mark, value.path + ": an empty list; expected at least one filter name");
    ok = false;
  }
  return ok;
}

// `weights:` for weighted_sum only, one per input (default 1 each).
bool read_combine_weights(Context& ctx, MapReader& map, CombineSpec& combine) {
  const bool weighted = combine.op == conv::CombineOp::WeightedSum;
  auto v = map.get("weights");
  if (!v) {
    if (weighted) combine.weights.assign(combine.inputs.size(), 1.0f);  // a plain sum
    return true;
  }
  if (!weighted) {
    ctx.error(v->mark, v->path + ": weights given for op '" + conv::to_string(combine.op) +
                           "'; expected weights only with op: weighted_sum");
    return false;
  }
  auto numbers = read_floats(ctx, *v, 1024, "one finite weight per input");
  if (!numbers) return true;  // reported by read_floats
  combine.weights = std::move(*numbers);
  if (combine.weights.size() == combine.inputs.size()) return true;
  ctx.error(v->mark, v->path + ": " + std::to_string(combine.weights.size()) + " weights for " +
                         std::to_string(combine.inputs.size()) +
                         " inputs; expected one weight per input (" + join_names(combine.inputs) +
                         ")");
  return false;
}

}  // namespace

bool read_combine(Context& ctx, const Value& value, const std::vector<FilterSpec>& bank,
                  CombineSpec& combine) {
  MapReader map(ctx, value, "a combine");
  combine.where = map.where();
  if (!map.valid()) return false;
  bool ok = read_combine_op(ctx, map, combine);
  std::vector<std::string> names;
  for (const auto& filter : bank) names.push_back(filter.name);
  if (auto v = map.get("inputs")) {
    ok = read_combine_inputs(ctx, *v, names, combine) && ok;
  } else {
    combine.inputs = names;
    for (std::size_t i = 0; i < names.size(); ++i)
      combine.input_indices.push_back(static_cast<int>(i));
  }
  ok = read_combine_weights(ctx, map, combine) && ok;
  map.finish();
  return ok;
}

bool read_post(Context& ctx, const Value& value, PostSpec& post) {
  MapReader map(ctx, value, "a post step");
  post.where = map.where();
  if (!map.valid()) return false;
  if (auto v = map.get("normalize"))
    read_enum(ctx, *v, normalize_names(), post.normalize, "normalize mode");
  double number = 1;
  if (auto v = map.get("scale"); v && read_real(ctx, *v, -1e9, 1e9, number, "a finite number"))
    post.scale = static_cast<float>(number);
  if (auto v = map.get("threshold"); v && read_real(ctx, *v, -1e9, 1e9, number, "a finite number"))
    post.threshold = static_cast<float>(number);
  post.to_u8 = post.normalize != Normalize::None;
  if (auto v = map.get("to_u8")) read_bool(ctx, *v, post.to_u8);
  map.finish();
  return true;
}

}  // namespace conveyor::config::pipeline_detail
