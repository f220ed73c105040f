// The `stages:` section: stages in sequence; each type reads its own keys
// (node_registry.hpp), `type` and `name` belong to every stage.
#include <algorithm>

#include "conveyor/config/node_registry.hpp"
#include "pipeline_schema.hpp"

namespace conveyor::config::pipeline_detail {
namespace {

const std::vector<std::string> kReserved = {"output", "combined", "source"};

StageSpec read_stage(Context& ctx, const Value& value, std::size_t index, ColorMode input_color) {
  StageSpec stage;
  stage.name = "stage" + std::to_string(index);
  stage.color = input_color;
  MapReader map(ctx, value, "a stage");
  stage.where = map.where();
  if (!map.valid()) return stage;
  const StageDescriptor* node = nullptr;
  if (map.has("type")) {
    node = read_node_type(ctx, map, &find_stage, &stage_names, "stage type");
  } else if ((node = find_stage("convolve")) == nullptr) {  // a stage without a type convolves
    ctx.error(stage.where.mark, value.path +
                                    ": no type, and this program has no convolve stage; "
                                    "expected a type: one of " +
                                    join_names(stage_names()));
  }
  if (auto v = map.get("name")) read_name(ctx, *v, stage.name, "stage name");
  if (node == nullptr) {
    map.allow(map.keys());  // the type decides its keys; do not guess them
    return stage;
  }
  stage.type = node->doc.type;
  stage.node = node;
  stage.params = node->read(ctx, map, input_color);
  if (stage.params) stage.color = stage.params->color(input_color);
  map.finish();
  return stage;
}

}  // namespace

std::vector<StageSpec> read_stages(Context& ctx, const Value& value, ColorMode input_color) {
  std::vector<StageSpec> stages;
  auto items = read_list(ctx, value, "a list of stages, e.g. [{bank: [sobel_x]}]");
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
