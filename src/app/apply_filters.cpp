#include "apply_filters.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <optional>
#include <set>

#include "conveyor/config/kernel_library.hpp"
#include "conveyor/conv/errors.hpp"
#include "conveyor/util/exit_codes.hpp"
#include "conveyor/util/suggest.hpp"
#include "conveyor/util/text_matrix.hpp"

namespace conveyor::app {
namespace fs = std::filesystem;
using util::ExitCode;
using util::ExitError;

namespace {

[[noreturn]] void usage_error(const std::string& message) {
  throw ExitError(ExitCode::Usage, message);
}

conv::Kernel from_matrix(const util::TextMatrix& matrix, std::string name) {
  conv::Kernel kernel;
  kernel.name = std::move(name);
  kernel.width = matrix.width;
  kernel.height = matrix.height;
  kernel.weights = matrix.values;
  return kernel;
}

bool looks_like_path(const std::string& spec) {
  const std::string name = spec.substr(0, spec.find(':'));
  return name.find('/') != std::string::npos || name.find('.') != std::string::npos;
}

// Loaded on first use, so inline and file kernels work without a library.
class LazyLibrary {
 public:
  explicit LazyLibrary(const std::vector<std::string>& files) : files_(files) {}

  const config::KernelLibrary& get() {
    if (!library_) {
      config::KernelLibrary library = config::KernelLibrary::load_default();
      for (const auto& file : files_) library.load_file(file);
      library_ = std::move(library);
    }
    return *library_;
  }

 private:
  const std::vector<std::string>& files_;
  std::optional<config::KernelLibrary> library_;
};

std::string safe_name(std::string name) {
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
  }
  return name.empty() ? std::string("kernel") : name;
}

conv::Kernel resolve_kernel(const std::string& spec, std::size_t index, LazyLibrary& library) {
  const std::string quoted = "'" + spec + "'";
  if (util::looks_like_inline_matrix(spec)) {
    try {
      return from_matrix(util::parse_inline_matrix(spec, "--kernel"),
                         "kernel" + std::to_string(index + 1));
    } catch (const util::TextMatrixError& error) {
      usage_error(std::string("bad inline kernel: ") + error.what());
    }
  }
  std::error_code ec;
  if (fs::is_regular_file(spec, ec) || looks_like_path(spec)) {
    if (!fs::exists(spec, ec)) {
      usage_error("kernel file " + quoted +
                  " does not exist; expected a library name (see 'conveyor kernels'), an inline "
                  "matrix like [[0,1,0],[1,-4,1],[0,1,0]] or a text-matrix file");
    }
    try {
      return from_matrix(util::read_text_matrix(spec), safe_name(fs::path(spec).stem().string()));
    } catch (const util::TextMatrixError& error) {
      usage_error(std::string("bad kernel file: ") + error.what());
    }
  }
  const config::KernelReference reference = config::parse_kernel_reference(spec);
  const config::KernelLibrary& lib = library.get();
  if (!lib.contains(reference.name)) {
    usage_error("unknown kernel '" + reference.name + "'" +
                util::did_you_mean(reference.name, lib.names()) +
                "; expected a library name (see 'conveyor kernels'), an inline matrix like "
                "[[0,1,0],[1,-4,1],[0,1,0]] or a text-matrix file");
  }
  conv::Kernel kernel = lib.get(reference);
  kernel.name = safe_name(reference.name);
  return kernel;
}

// Checks the kernel's size, sets --anchor on it and refuses an even kernel
// without one (it has no centre) unless the border is valid.
void check_size_and_anchor(conv::Kernel& kernel, const std::string& label,
                           const std::string& anchor_text,
                           const std::optional<std::pair<int, int>>& anchor, conv::Border border) {
  if (kernel.width > conv::kMaxKernelSize || kernel.height > conv::kMaxKernelSize) {
    usage_error(label + " is " + std::to_string(kernel.width) + "x" +
                std::to_string(kernel.height) + "; expected at most " +
                std::to_string(conv::kMaxKernelSize) + "x" + std::to_string(conv::kMaxKernelSize));
  }
  if (anchor) {
    if (anchor->first < 0 || anchor->first >= kernel.width || anchor->second < 0 ||
        anchor->second >= kernel.height) {
      usage_error("--anchor " + anchor_text + " is outside " + label + " (" +
                  std::to_string(kernel.width) + "x" + std::to_string(kernel.height) +
                  "); expected X in 0.." + std::to_string(kernel.width - 1) + " and Y in 0.." +
                  std::to_string(kernel.height - 1));
    }
    kernel.anchor_x = anchor->first;
    kernel.anchor_y = anchor->second;
  }
  const bool even = kernel.width % 2 == 0 || kernel.height % 2 == 0;
  if (even && border != conv::Border::Valid && !(kernel.anchor_x && kernel.anchor_y)) {
    usage_error(label + " is " + std::to_string(kernel.width) + "x" +
                std::to_string(kernel.height) +
                " (even: it has no centre) and has no anchor; expected --anchor X,Y or "
                "--border valid");
  }
}

}  // namespace

std::pair<int, int> parse_int_pair(const std::string& text, const std::string& option,
                                   const std::string& expected) {
  const std::size_t comma = text.find(',');
  const std::string parts[2] = {text.substr(0, comma), comma == std::string::npos
                                                           ? text.substr(0, comma)
                                                           : text.substr(comma + 1)};
  int values[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    const std::string& part = parts[i];
    const auto result = std::from_chars(part.data(), part.data() + part.size(), values[i]);
    if (part.empty() || result.ec != std::errc{} || result.ptr != part.data() + part.size()) {
      usage_error(option + " '" + text + "' is not valid; expected " + expected);
    }
  }
  return {values[0], values[1]};
}

std::vector<conv::Filter> build_filters(const ApplyOptions& options) {
  if (options.kernels.empty()) usage_error("no --kernel given; expected at least one");
  const auto border = conv::parse_border(options.border);
  if (!border) {
    usage_error("unknown border '" + options.border + "'" +
                util::did_you_mean(options.border, conv::border_names()) +
                "; expected valid, zero, replicate, reflect or wrap");
  }
  // The pipeline's stride range (stages.N.stride): a step of 1 to 64.
  const std::string stride_expected = "an integer of at least 1 and at most 64, or SX,SY";
  const auto [stride_x, stride_y] = parse_int_pair(options.stride, "--stride", stride_expected);
  if (stride_x < 1 || stride_y < 1 || stride_x > 64 || stride_y > 64) {
    usage_error("--stride '" + options.stride + "' is out of range; expected " + stride_expected);
  }
  std::optional<std::pair<int, int>> anchor;
  if (!options.anchor.empty()) {
    anchor = parse_int_pair(options.anchor, "--anchor", "X,Y (column and row from 0)");
  }

  LazyLibrary library(options.kernel_files);
  if (!options.kernel_files.empty()) library.get();  // a bad --kernels-file fails even if unused
  std::vector<conv::Filter> filters;
  std::set<std::string> used;
  for (std::size_t i = 0; i < options.kernels.size(); ++i) {
    conv::Filter filter;
    filter.kernel = resolve_kernel(options.kernels[i], i, library);
    conv::Kernel& kernel = filter.kernel;
    check_size_and_anchor(kernel, "kernel '" + options.kernels[i] + "'", options.anchor, anchor,
                          *border);
    filter.name = kernel.name;
    for (int n = 2; !used.insert(filter.name).second; ++n) {
      filter.name = kernel.name + "_" + std::to_string(n);
    }
    filter.stride_x = stride_x;
    filter.stride_y = stride_y;
    filter.border = *border;
    filter.flip = options.flip;
    conv::validate_filter(filter);  // the engine's own rules, ConfigError -> exit 2
    filters.push_back(std::move(filter));
  }
  return filters;
}

}  // namespace conveyor::app
