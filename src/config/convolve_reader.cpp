// The convolve stage's own keys: color, stride, border, bank, combine, post.
#include <algorithm>

#include "conveyor/config/convolve_spec.hpp"
#include "pipeline_bank_parts.hpp"

namespace conveyor::config {
namespace pipeline_detail {
namespace {

constexpr std::size_t kMaxBank = 64;

bool read_anchor(Context& ctx, const Value& value, FilterSpec& filter) {
  const std::string expect = "[x, y], the kernel cell placed on the output pixel";
  auto items = read_list(ctx, value, expect);
  if (!items) return false;
  if (items->size() != 2) {
    ctx.error(value.mark, value.path + ": a list of " + std::to_string(items->size()) +
                              " items; expected " + expect);
    return false;
  }
  int x = 0;
  int y = 0;
  const std::string cell = "a cell index from 0 to " + std::to_string(conv::kMaxKernelSize - 1);
  if (!read_int(ctx, (*items)[0], 0, conv::kMaxKernelSize - 1, x, cell) ||
      !read_int(ctx, (*items)[1], 0, conv::kMaxKernelSize - 1, y, cell))
    return false;
  filter.anchor_x = x;
  filter.anchor_y = y;
  return true;
}

FilterSpec read_filter(Context& ctx, const Value& value, const ConvolveParams& stage) {
  FilterSpec filter;
  filter.stride_x = stage.stride_x;
  filter.stride_y = stage.stride_y;
  filter.border = stage.border;
  if (value.node.IsScalar()) {  // `- sobel_x`: shorthand for {kernel: sobel_x}
    filter.where.mark = value.mark;
    if (read_kernel_ref(ctx, value, filter.kernel)) filter.name = filter.kernel.name;
    return filter;
  }
  MapReader map(ctx, value, "a bank filter");
  filter.where = map.where();
  if (!map.valid()) return filter;
  auto kernel = map.get("kernel");
  auto weights = map.get("weights");
  bool have_kernel = false;
  if (kernel && weights) {
    ctx.error(weights->mark,
              weights->path + ": both kernel and weights are given; expected one of them");
  } else if (kernel) {
    have_kernel = read_kernel_ref(ctx, *kernel, filter.kernel);
  } else if (weights) {
    filter.kernel.kind = KernelRefKind::Inline;
    filter.kernel.where.mark = weights->mark;
    have_kernel = read_matrix(ctx, *weights, filter.kernel.rows);
  } else {
    map.required("kernel",
                 "a library name (sobel_x), {gaussian: {size: 5, sigma: 1.2}} or "
                 "weights: [[...]]");
  }
  if (auto v = map.get("name")) {
    read_name(ctx, *v, filter.name, "filter name");
  } else if (have_kernel && filter.kernel.kind != KernelRefKind::Inline) {
    filter.name = filter.kernel.name;
  } else if (have_kernel) {
    map.required("name", "a name for the inline kernel (used by combine inputs and sinks)");
  }
  if (auto v = map.get("stride")) read_stride(ctx, *v, filter.stride_x, filter.stride_y);
  if (auto v = map.get("border")) read_border(ctx, *v, filter.border);
  if (auto v = map.get("flip")) read_bool(ctx, *v, filter.flip);
  if (auto v = map.get("anchor")) read_anchor(ctx, *v, filter);
  map.finish();
  return filter;
}

}  // namespace
}  // namespace pipeline_detail

std::shared_ptr<const ConvolveParams> read_convolve_params(Context& ctx, MapReader& map,
                                                           ColorMode input_color) {
  using namespace pipeline_detail;
  auto params = std::make_shared<ConvolveParams>();
  ConvolveParams& stage = *params;
  stage.color_mode = input_color;
  if (auto v = map.get("color"); v && read_color(ctx, *v, stage.color_mode)) {
    if (stage.color_mode == ColorMode::Bgr && input_color == ColorMode::Gray) {
      ctx.error(v->mark, v->path +
                             ": 'bgr' but this stage's input is gray; expected gray, or "
                             "source.color: bgr (and bgr in earlier stages)");
    }
  }
  if (auto v = map.get("stride")) read_stride(ctx, *v, stage.stride_x, stage.stride_y);
  if (auto v = map.get("border")) read_border(ctx, *v, stage.border);
  if (auto v = map.required("bank", "a list of filters, e.g. [{name: gx, kernel: sobel_x}]")) {
    if (auto items = read_list(ctx, *v, "a list of filters")) {
      if (items->empty() || items->size() > kMaxBank) {
        ctx.error(v->mark, v->path + ": " + std::to_string(items->size()) +
                               " filters; expected 1 to " + std::to_string(kMaxBank));
      }
      for (const auto& item : *items) {
        FilterSpec filter = read_filter(ctx, item, stage);
        const auto same = std::find_if(stage.bank.begin(), stage.bank.end(),
                                       [&](const FilterSpec& f) { return f.name == filter.name; });
        if (!filter.name.empty() && same != stage.bank.end()) {
          const Mark& mark = filter.where.of("name");
          ctx.error(mark, item.path + ": duplicate filter name '" + filter.name +
                              "' (first at line " + std::to_string(same->where.mark.line) +
                              "); expected unique names in a "
                              "bank (set name: to tell them apart)");
        }
        stage.bank.push_back(std::move(filter));
      }
    }
  }
  if (auto v = map.get("combine")) {
    CombineSpec combine;
    if (read_combine(ctx, *v, stage.bank, combine)) stage.combine = std::move(combine);
  }
  if (auto v = map.get("post")) {
    PostSpec post;
    if (read_post(ctx, *v, post)) stage.post = std::move(post);
  }
  return params;
}

}  // namespace conveyor::config
