// MapReader: one YAML mapping, read key by key, with duplicate and unknown
// keys reported (yaml-cpp keeps duplicates silently and ignores extra keys).
#include <algorithm>

#include "conveyor/config/yaml_reader.hpp"

namespace conveyor::config::pipeline_detail {

MapReader::MapReader(Context& ctx, const Value& value, std::string what)
    : ctx_(ctx), value_(value), what_(std::move(what)) {
  if (!value.node.IsMap()) {
    ctx.error(value.mark, (value.path.empty() ? std::string("the pipeline") : value.path) + ": " +
                              describe(value.node) + " is not a mapping; expected " + what_ +
                              " as key: value pairs");
    return;
  }
  valid_ = true;
  for (const auto& pair : value.node) {
    const YAML::Node& key = pair.first;
    const std::string parent = value.path.empty() ? std::string("the pipeline") : value.path;
    if (!key.IsScalar()) {
      ctx.error(ctx.mark(key, value.path, value.mark),
                parent + ": a key is " + describe(key) + "; expected a plain name");
      continue;
    }
    const std::string path = join_path(value.path, key.Scalar());
    const Mark key_mark = ctx.mark(key, path, value.mark);
    if (const Entry* first = find(key.Scalar())) {
      ctx.error(key_mark, path + ": duplicate key '" + key.Scalar() + "' (first at line " +
                              std::to_string(first->key_mark.line) + ", again at line " +
                              std::to_string(key_mark.line) + "); expected each key once in " +
                              what_);
      continue;
    }
    const YAML::Node& item = pair.second;
    const bool written = !item.Mark().is_null() &&
                         (ctx.from_override(path) || (item.Mark().line == key.Mark().line &&
                                                      item.Mark().column > key.Mark().column));
    entries_.push_back(Entry{key.Scalar(), Value{item, path, ctx.mark(item, path, key_mark)},
                             key_mark, item.IsNull() && written});
  }
}

const MapReader::Entry* MapReader::find(const std::string& key) const {
  for (const auto& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

bool MapReader::has(const std::string& key) const {
  const Entry* entry = find(key);
  return entry != nullptr && !entry->value.node.IsNull();
}

bool MapReader::explicit_null(const std::string& key) const {
  const Entry* entry = find(key);
  return entry != nullptr && entry->explicit_null;
}

std::vector<std::string> MapReader::keys() const {
  std::vector<std::string> keys;
  for (const auto& entry : entries_) keys.push_back(entry.key);
  return keys;
}

void MapReader::allow(const std::vector<std::string>& keys) {
  allowed_.insert(allowed_.end(), keys.begin(), keys.end());
}

std::optional<Value> MapReader::get(const std::string& key) {
  allowed_.push_back(key);
  const Entry* entry = find(key);
  if (entry == nullptr || entry->value.node.IsNull()) return std::nullopt;
  return entry->value;
}

std::optional<Value> MapReader::required(const std::string& key, const std::string& expect) {
  std::optional<Value> value = get(key);
  if (!value && valid_) {
    const Entry* entry = find(key);
    const std::string path = join_path(value_.path, key);
    if (entry != nullptr) {
      ctx_.error(entry->value.mark, path + ": has no value; expected " + expect);
    } else {
      const std::string line =
          value_.mark.line > 0 ? " (at line " + std::to_string(value_.mark.line) + ")" : "";
      ctx_.error(value_.mark, path + ": missing in " + what_ + line + "; expected " + expect);
    }
  }
  return value;
}

void MapReader::finish() {
  for (const auto& entry : entries_) {
    if (std::find(allowed_.begin(), allowed_.end(), entry.key) != allowed_.end()) continue;
    std::vector<std::string> names = allowed_;
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    ctx_.error(entry.key_mark, entry.value.path + ": unknown key '" + entry.key + "' in " + what_ +
                                   "; expected one of " + join_names(names) +
                                   util::did_you_mean(entry.key, names));
  }
}

Where MapReader::where() const {
  Where where{value_.mark, {}};
  for (const auto& entry : entries_) where.keys[entry.key] = entry.value.mark;
  return where;
}

}  // namespace conveyor::config::pipeline_detail
