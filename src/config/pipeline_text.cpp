#include "pipeline_text.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <vector>

#include "conveyor/config/pipeline_loader.hpp"

namespace conveyor::config::pipeline_detail {
namespace {

[[noreturn]] void fail(const std::string& file, int line, int column, const std::string& message) {
  throw PipelineError(Mark{file, line, column}, message);
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

void check_bytes(std::string_view text, const std::string& file) {
  int line = 1;
  int column = 1;
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // a UTF-8 byte order mark is fine
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) {
      fail(file, line, column,
           "byte 0x" + std::string(1, "0123456789abcdef"[c >> 4]) +
               std::string(1, "0123456789abcdef"[c & 15]) +
               " is not text; expected a UTF-8 YAML file (is this a binary file?)");
    }
    const std::size_t length = utf8_length(text, i);
    if (length == 0) {
      fail(file, line, column, "invalid UTF-8 byte sequence; expected a UTF-8 YAML file");
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
}

// Conservative nesting estimate, line by line: indentation levels of the
// block structure + "- " / "? " items opening on the line + open flow
// brackets. Quoted strings, comments and block scalars are skipped.
class DepthScanner {
 public:
  DepthScanner(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}

  void run() {
    std::size_t start = 0;
    int line = 1;
    while (start <= text_.size()) {
      std::size_t end = text_.find('\n', start);
      if (end == std::string_view::npos) end = text_.size();
      scan_line(text_.substr(start, end - start), line);
      start = end + 1;
      ++line;
    }
  }

 private:
  void check(int depth, int line, int column) {
    if (depth > kMaxPipelineDepth) {
      fail(file_, line, column,
           "nesting deeper than " + std::to_string(kMaxPipelineDepth) +
               " levels; expected a pipeline of at most " + std::to_string(kMaxPipelineDepth) +
               " nested lists and mappings");
    }
  }

  void scan_line(std::string_view text, int line) {
    std::size_t i = 0;
    while (i < text.size() && text[i] == ' ') ++i;
    const int indent = static_cast<int>(i);
    if (block_scalar_indent_ >= 0) {
      if (i == text.size() || indent > block_scalar_indent_) return;  // block scalar content
      block_scalar_indent_ = -1;
    }
    if (quote_ == 0 && flow_ == 0) {
      if (i == text.size() || text[i] == '#' || text[i] == '\r') return;
      while (!indents_.empty() && indents_.back() > indent) indents_.pop_back();
      if (indents_.empty() || indents_.back() < indent) indents_.push_back(indent);
    }
    int items = 0;
    bool leading = true;  // only item markers and spaces seen so far on the line
    char previous = ' ';
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (quote_ != 0) {
        if (quote_ == '"' && c == '\\')
          ++i;
        else if (c == quote_)
          quote_ = 0;
        previous = c;
        continue;
      }
      const bool token_start = previous == ' ' || previous == '\t' || previous == '[' ||
                               previous == '{' || previous == ',' || previous == ':';
      if (c == '#' && (previous == ' ' || previous == '\t' || i == 0)) break;
      if ((c == '"' || c == '\'') && token_start) quote_ = c;
      const bool marker = (c == '-' || c == '?' || c == ':') && flow_ == 0 && token_start &&
                          (i + 1 == text.size() || text[i + 1] == ' ');
      if (marker && leading) ++items;  // "- - x" nests one level per item marker
      if (!marker && c != ' ' && c != '\t') leading = false;
      if ((c == '[' || c == '{') && (token_start || flow_ > 0)) ++flow_;
      if ((c == ']' || c == '}') && flow_ > 0) --flow_;
      check(static_cast<int>(indents_.size()) + items + flow_, line, static_cast<int>(i) + 1);
      if (c != ' ' && c != '\t')
        previous = c;
      else
        previous = ' ';
    }
    if (quote_ == 0 && flow_ == 0) detect_block_scalar(text, indent);
  }

  // "key: |" or "- >-": the following more-indented lines are text.
  void detect_block_scalar(std::string_view text, int indent) {
    std::size_t end = text.find(" #");
    if (end == std::string_view::npos) end = text.size();
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\r')) --end;
    std::size_t k = end;
    while (k > 0 &&
           (text[k - 1] == '-' || text[k - 1] == '+' || (text[k - 1] >= '0' && text[k - 1] <= '9')))
      --k;
    if (k > 0 && (text[k - 1] == '|' || text[k - 1] == '>') && (k == 1 || text[k - 2] == ' ')) {
      block_scalar_indent_ = indent;
    }
  }

  std::string_view text_;
  std::string file_;
  std::vector<int> indents_;
  int flow_ = 0;
  char quote_ = 0;
  int block_scalar_indent_ = -1;
};

// Ignores every parse event except where documents start.
struct DocumentCounter : YAML::EventHandler {
  YAML::Mark last_start = YAML::Mark::null_mark();
  void OnDocumentStart(const YAML::Mark& mark) override { last_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

void check_text(std::string_view text, const std::string& file) {
  if (text.size() > kMaxPipelineBytes) {
    fail(file, 0, 0,
         "file is " + std::to_string(text.size()) + " bytes; expected at most " +
             std::to_string(kMaxPipelineBytes) + " bytes for a pipeline");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    fail(file, 0, 0, "file is empty; expected a pipeline (source, stages, sinks)");
  }
  check_bytes(text, file);
  DepthScanner(text, file).run();
}

YAML::Node parse_document(std::string_view text, const std::string& file) {
  const std::string input(text);
  YAML::Node root;
  int documents = 0;
  YAML::Mark second;
  try {
    root = YAML::Load(input);
    // Not YAML::LoadAll: in yaml-cpp 0.7 it loops forever on inputs such as
    // ", a" (jbeder/yaml-cpp#1040). Counting up to two documents is bounded.
    std::istringstream stream(input);
    YAML::Parser parser(stream);
    DocumentCounter counter;
    while (documents < 2 && parser.HandleNextDocument(counter)) ++documents;
    second = counter.last_start;
  } catch (const YAML::ParserException& e) {
    fail(file, e.mark.line + 1, e.mark.column + 1, "YAML syntax: " + e.msg);
  } catch (const YAML::Exception& e) {
    fail(file, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1,
         "YAML: " + e.msg);
  }
  if (!root.IsDefined() || root.IsNull()) {
    fail(file, 0, 0, "no content; expected a pipeline (source, stages, sinks)");
  }
  if (documents > 1) {
    fail(file, second.is_null() ? 0 : second.line + 1, second.is_null() ? 0 : second.column + 1,
         "a second YAML document; expected one pipeline per file");
  }
  return root;
}

}  // namespace conveyor::config::pipeline_detail
