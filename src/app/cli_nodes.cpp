// `conveyor nodes`: every registered source, stage and sink type with its summary
// and parameters, generated from the descriptors (config/node_registry.hpp).
// `--markdown` prints the reference that docs/pipelines.md holds, which a
// test compares with this output so the docs cannot drift.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "command.hpp"
#include "conveyor/config/node_registry.hpp"
#include "conveyor/util/suggest.hpp"
#include "io/stdout_check.hpp"

namespace conveyor::app {
namespace {

using util::ExitCode;

struct NodesOptions {
  std::vector<std::string> types;
  bool markdown = false;
};

struct Listed {
  std::string kind;  // "source", "stage", "sink"
  const config::NodeDoc* doc;
};

std::vector<Listed> registered() {
  std::vector<Listed> all;
  for (const auto* source : config::all_sources()) all.push_back({"source", &source->doc});
  for (const auto* stage : config::all_stages()) all.push_back({"stage", &stage->doc});
  for (const auto* sink : config::all_sinks()) all.push_back({"sink", &sink->doc});
  return all;
}

void print_text(const Listed& node, std::ostream& out) {
  out << node.kind << " " << node.doc->type << ": " << node.doc->summary << "\n";
  for (const auto& param : node.doc->params)
    out << "    " << param.key << ": " << param.value << " - " << param.summary << "\n";
  out << "    e.g. " << node.doc->example << "\n";
}

// A table cell: '|' would end the cell.
std::string cell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void print_markdown(const Listed& node, std::ostream& out) {
  out << "### " << node.kind << " `" << node.doc->type << "`\n\n" << node.doc->summary << ".\n\n";
  if (!node.doc->params.empty()) {
    out << "| key | takes (default) | meaning |\n|---|---|---|\n";
    for (const auto& param : node.doc->params)
      out << "| `" << param.key << "` | " << cell(param.value) << " | " << cell(param.summary)
          << " |\n";
    out << "\n";
  }
  out << "`" << node.doc->example << "`\n";
}

ExitCode run_nodes(const NodesOptions& options) {
  std::vector<Listed> nodes = registered();
  std::vector<std::string> names;
  for (const auto& node : nodes) names.push_back(node.doc->type);
  for (const auto& type : options.types) {
    if (std::find(names.begin(), names.end(), type) == names.end()) {
      throw util::ExitError(ExitCode::Usage, "unknown node type '" + type + "'" +
                                                 util::did_you_mean(type, names) +
                                                 "; expected a type from 'conveyor nodes'");
    }
  }
  std::ostringstream out;
  bool first = true;
  for (const auto& node : nodes) {
    if (!options.types.empty() && std::find(options.types.begin(), options.types.end(),
                                            node.doc->type) == options.types.end())
      continue;
    if (!first) out << "\n";
    first = false;
    if (options.markdown)
      print_markdown(node, out);
    else
      print_text(node, out);
  }
  std::cout << out.str() << std::flush;
  io::check_stdout();
  return ExitCode::Ok;
}

}  // namespace

Command setup_nodes_command(CLI::App& root) {
  auto options = std::make_shared<NodesOptions>();
  CLI::App* app = root.add_subcommand(
      "nodes", "Lists every source, stage and sink type: its summary, parameters and an example.");
  app->footer(
      "\nEach type is one file in src/sources, src/stages or src/sinks that registers itself;\n"
      "this list is made from what they declare. docs/pipelines.md has the same reference.\n\n"
      "Exit codes: 0 success, 2 unknown type, 4 stdout cannot be written.");
  app->add_option("types", options->types, "Show only these types")->type_name("TYPE");
  app->add_flag("--markdown", options->markdown,
                "Print the reference as docs/pipelines.md holds it");
  return {app, [options] { return run_nodes(*options); }};
}

}  // namespace conveyor::app
