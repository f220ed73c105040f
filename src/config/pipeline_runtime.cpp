// The `runtime:` and `metrics:` sections, and small values shared by sections.
#include "conveyor/util/fourcc.hpp"
#include "pipeline_schema.hpp"

namespace conveyor::config::pipeline_detail {

RuntimeSpec read_runtime(Context& ctx, const std::optional<Value>& value, bool live_source) {
  RuntimeSpec runtime;
  // Live sources overwrite frames by design; files must not lose any.
  runtime.max_drop_ratio = live_source ? 1.0 : 0.0;
  if (!value) return runtime;
  MapReader map(ctx, *value, "the runtime settings");
  runtime.where = map.where();
  if (!map.valid()) return runtime;
  if (auto v = map.get("threads")) {
    if (!(v->node.IsScalar() && v->node.Scalar() == "auto"))
      read_int(ctx, *v, 1, 1024, runtime.threads, "auto or a thread count from 1 to 1024");
  }
  if (auto v = map.get("max_in_flight"))
    read_int(ctx, *v, 1, 1024, runtime.max_in_flight, "frames in flight from 1 to 1024");
  if (auto v = map.get("tile")) {
    MapReader tile(ctx, *v, "the tile size");
    const std::string expect = "pixels from 0 (auto) to 16384";
    if (auto w = tile.get("width")) read_int(ctx, *w, 0, 16384, runtime.tile_width, expect);
    if (auto h = tile.get("height")) read_int(ctx, *h, 0, 16384, runtime.tile_height, expect);
    if (tile.valid()) tile.finish();
  }
  if (auto v = map.get("mode")) read_enum(ctx, *v, run_mode_names(), runtime.mode, "runtime mode");
  if (auto v = map.get("max_drop_ratio"))
    read_real(ctx, *v, 0, 1, runtime.max_drop_ratio, "a fraction from 0 to 1");
  if (auto v = map.get("drain_timeout_s"))
    read_real(ctx, *v, 0, 3600, runtime.drain_timeout_s, "seconds above 0, at most 3600", true);
  map.finish();
  return runtime;
}

MetricsSpec read_metrics(Context& ctx, const std::optional<Value>& value) {
  MetricsSpec metrics;
  if (!value) return metrics;
  MapReader map(ctx, *value, "the metrics settings");
  metrics.where = map.where();
  if (!map.valid()) return metrics;
  if (auto v = map.get("report")) read_string(ctx, *v, metrics.report, "a JSON file path");
  if (auto v = map.get("trace")) read_string(ctx, *v, metrics.trace, "a CSV file path");
  map.finish();
  return metrics;
}

bool read_color(Context& ctx, const Value& value, ColorMode& out) {
  return read_enum(ctx, value, color_names(), out, "color");
}

bool read_border(Context& ctx, const Value& value, conv::Border& out) {
  const auto& names = conv::border_names();
  std::string text;
  if (!read_string(ctx, value, text, "one of " + join_names(names))) return false;
  if (auto border = conv::parse_border(text)) {
    out = *border;
    return true;
  }
  ctx.error(value.mark, value.path + ": unknown border '" + text + "'; expected one of " +
                            join_names(names) + util::did_you_mean(text, names));
  return false;
}

bool read_int_pair(Context& ctx, const Value& value, int min, int max, int& x, int& y,
                   const std::string& expect) {
  if (value.node.IsSequence()) {
    auto items = read_list(ctx, value, expect);
    if (!items || items->size() != 2) {
      ctx.error(value.mark, value.path + ": a list of " +
                                std::to_string(items ? items->size() : 0) + " items; expected " +
                                expect);
      return false;
    }
    int first = min;
    int second = min;
    if (!read_int(ctx, (*items)[0], min, max, first, expect) ||
        !read_int(ctx, (*items)[1], min, max, second, expect))
      return false;
    x = first;
    y = second;
    return true;
  }
  int both = min;
  if (!read_int(ctx, value, min, max, both, expect)) return false;
  x = y = both;
  return true;
}

bool read_stride(Context& ctx, const Value& value, int& x, int& y) {
  return read_int_pair(ctx, value, 1, 64, x, y, "a step from 1 to 64, or [sx, sy]");
}

bool read_fps(Context& ctx, const Value& value, double& out) {
  return read_real(ctx, value, 0, 1000, out, "frames per second, a number above 0 and at most 1000",
                   true);
}

bool read_fourcc(Context& ctx, const Value& value, std::string& out, const std::string& example) {
  const std::string expect = "four characters, " + example;
  if (!read_string(ctx, value, out, expect)) return false;
  if (!util::is_fourcc(out)) {
    ctx.error(value.mark, value.path + ": '" + out + "' is not a fourcc; expected " + expect);
    return false;
  }
  return true;
}

}  // namespace conveyor::config::pipeline_detail
