// The `stages:` section: convolution stages in sequence, each a bank of filters.
#include <algorithm>

#include "pipeline_bank_parts.hpp"

namespace conveyor::config::pipeline_detail {
namespace {

constexpr std::size_t kMaxBank = 64;
const std::vector<std::string> kReserved = {"output", "combined", "source"};

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

FilterSpec read_filter(Context& ctx, const Value& value, const StageSpec& stage) {
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

StageSpec read_stage(Context& ctx, const Value& value, std::size_t index, ColorMode input_color) {
  StageSpec stage;
  stage.name = "stage" + std::to_string(index);
  stage.color = input_color;
  MapReader map(ctx, value, "a stage");
  stage.where = map.where();
  if (!map.valid()) return stage;
  if (auto v = map.get("type")) {
    std::string type;
    if (read_string(ctx, *v, type, "convolve") && type != "convolve") {
      ctx.error(v->mark, v->path + ": unknown stage type '" + type + "'; expected convolve" +
                             util::did_you_mean(type, {"convolve"}));
    }
  }
  if (auto v = map.get("name")) read_name(ctx, *v, stage.name, "stage name");
  if (auto v = map.get("color"); v && read_color(ctx, *v, stage.color)) {
    if (stage.color == ColorMode::Bgr && input_color == ColorMode::Gray) {
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
  map.finish();
  return stage;
}

}  // namespace

std::vector<StageSpec> read_stages(Context& ctx, const Value& value, ColorMode input_color) {
  std::vector<StageSpec> stages;
  auto items = read_list(ctx, value, "a list of stages, each with a bank of filters");
  if (!items) return stages;
  if (items->empty()) {
    ctx.error(value.mark, value.path + ": an empty list; expected at least one stage");
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    StageSpec stage = read_stage(ctx, (*items)[i], i, input_color);
    input_color = stage.color;
    for (const auto& other : stages) {
      if (other.name == stage.name) {
        ctx.error(stage.where.of("name"),
                  (*items)[i].path + ": duplicate stage name '" + stage.name + "' (first at line " +
                      std::to_string(other.where.mark.line) + "); expected unique stage names");
      }
    }
    stages.push_back(std::move(stage));
  }
  return stages;
}

bool read_name(Context& ctx, const Value& value, std::string& out, const std::string& what) {
  const std::string expect = "a " + what + " of letters, digits, _ and -";
  if (!read_string(ctx, value, out, expect)) return false;
  bool ok = !out.empty() && out.size() <= 64;
  for (const char c : out) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  }
  if (!ok) {
    ctx.error(value.mark, value.path + ": '" + out + "' is not a valid name; expected " + expect +
                              " (at most 64)");
    return false;
  }
  if (what != "kernel name" &&
      std::find(kReserved.begin(), kReserved.end(), out) != kReserved.end()) {
    ctx.error(value.mark,
              value.path + ": '" + out + "' is reserved for sink inputs; expected another " + what);
    return false;
  }
  return true;
}

}  // namespace conveyor::config::pipeline_detail
