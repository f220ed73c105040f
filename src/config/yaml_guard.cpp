#include "yaml_guard.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <unordered_map>
#include <vector>

namespace conveyor::config::detail {
namespace {

YAML::Mark at(int line, int column) {
  YAML::Mark mark;
  mark.line = line;
  mark.column = column;
  return mark;
}

[[noreturn]] void refuse(const YAML::Mark& mark, const std::string& message) {
  throw YamlGuardError(mark, message, false);
}

// Length of the UTF-8 sequence starting at text[i], 0 when invalid.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned min = 0;
  unsigned code = 0;
  if ((lead & 0xE0) == 0xC0)
    length = 2, min = 0x80, code = lead & 0x1Fu;
  else if ((lead & 0xF0) == 0xE0)
    length = 3, min = 0x800, code = lead & 0x0Fu;
  else if ((lead & 0xF8) == 0xF0)
    length = 4, min = 0x10000, code = lead & 0x07u;
  else
    return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3Fu);
  }
  const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
  return (code < min || code > 0x10FFFF || surrogate) ? 0 : length;
}

void check_bytes(std::string_view text) {
  int line = 0;
  int column = 0;
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // a UTF-8 byte order mark is fine
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) {
      refuse(at(line, column), std::string("byte 0x") + "0123456789abcdef"[c >> 4] +
                                   "0123456789abcdef"[c & 15] +
                                   " is not text; expected a UTF-8 YAML file (is this a binary "
                                   "file?)");
    }
    const std::size_t length = utf8_length(text, i);
    if (length == 0)
      refuse(at(line, column), "invalid UTF-8 byte sequence; expected a UTF-8 YAML file");
    if (c == '\n') {
      ++line;
      column = 0;
    } else {
      ++column;
    }
    i += length;
  }
}

// Counts what the parser reports and stops it at the first broken limit.
class Guard : public YAML::EventHandler {
 public:
  Guard(std::string_view text, const YamlLimits& limits)
      : text_(text),
        limits_(limits),
        deadline_(std::chrono::steady_clock::now() + limits.max_time) {}

  int documents = 0;

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents == 1) {
      first_start_ = mark;
      return;
    }
    if (mark.pos == first_start_.pos) {
      // No progress: yaml-cpp found a token that cannot start or continue a
      // document (", a" outside a flow collection) and would loop here.
      const char c = static_cast<std::size_t>(mark.pos) < text_.size() ? text_[mark.pos] : '?';
      refuse(mark, std::string("YAML syntax: unexpected '") + c +
                       "'; expected a value (',' separates items only inside [...] or {...})");
    }
    refuse(mark, "a second YAML document; expected one " + limits_.one);
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    leaf(mark, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = sizes_.find(anchor);
    if (it != sizes_.end() && it->second == kOpen) {
      refuse(mark,
             "an alias inside the anchor it repeats (a node containing itself); expected "
             "aliases only to earlier, complete nodes");
    }
    add(mark, it == sizes_.end() ? 1 : it->second);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  static constexpr std::uint64_t kOpen = ~std::uint64_t{0};

  struct Collection {
    YAML::anchor_t anchor;
    std::uint64_t nodes_before;
  };

  void add(const YAML::Mark& mark, std::uint64_t count) {
    nodes_ += count;
    if (nodes_ > limits_.max_nodes) {
      refuse(mark, "more than " + std::to_string(limits_.max_nodes) +
                       " values, counting each alias as the nodes it repeats; expected a "
                       "smaller document (are aliases repeating aliases?)");
    }
    if ((++events_ & 1023) == 0 && std::chrono::steady_clock::now() > deadline_) {
      refuse(mark, "parsing took longer than " + std::to_string(limits_.max_time.count()) +
                       " ms; expected a simpler document");
    }
  }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    add(mark, 1);
    if (anchor != YAML::NullAnchor) sizes_[anchor] = 1;
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      refuse(mark, "nesting deeper than " + std::to_string(limits_.max_depth) +
                       " levels; expected at most " + std::to_string(limits_.max_depth) +
                       " nested lists and mappings");
    }
    add(mark, 1);
    stack_.push_back({anchor, nodes_ - 1});
    if (anchor != YAML::NullAnchor) sizes_[anchor] = kOpen;
  }
  void close() {
    if (stack_.empty()) return;
    const Collection done = stack_.back();
    stack_.pop_back();
    if (done.anchor != YAML::NullAnchor) sizes_[done.anchor] = nodes_ - done.nodes_before;
  }

  std::string_view text_;
  YamlLimits limits_;
  std::chrono::steady_clock::time_point deadline_;
  YAML::Mark first_start_;
  std::vector<Collection> stack_;
  std::unordered_map<YAML::anchor_t, std::uint64_t> sizes_;
  std::uint64_t nodes_ = 0;
  std::uint64_t events_ = 0;
};

}  // namespace

std::string YamlGuardError::where() const {
  if (mark_.line < 0) return {};
  return std::to_string(mark_.line + 1) + ":" + std::to_string(mark_.column + 1);
}

std::optional<YAML::Node> load_guarded_yaml(std::string_view text, const YamlLimits& limits) {
  if (text.size() > limits.max_bytes) {
    refuse(YAML::Mark::null_mark(), "text is " + std::to_string(text.size()) +
                                        " bytes; expected at most " +
                                        std::to_string(limits.max_bytes) + " bytes");
  }
  check_bytes(text);
  const std::string input(text);
  try {
    std::istringstream stream(input);
    YAML::Parser parser(stream);
    Guard guard(text, limits);
    // At most two calls: the document, then proof that nothing follows.
    if (!parser.HandleNextDocument(guard)) return std::nullopt;
    parser.HandleNextDocument(guard);
    return YAML::Load(input);
  } catch (const YAML::Exception& e) {
    throw YamlGuardError(e.mark, e.msg, true);
  }
}

}  // namespace conveyor::config::detail
