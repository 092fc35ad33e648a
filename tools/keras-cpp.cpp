// keras-cpp: a command-line tool over Keras model files (.keras, legacy .h5, or a JSON
// config with --weights).
//
//   keras-cpp summary FILE [--weights W]
//   keras-cpp plot FILE OUT.png|svg|pdf|dot [--weights W]
//   keras-cpp predict FILE INPUT.npy [INPUT2.npy ...] -o OUT.npy [--weights W] [--batch-size N]
//   keras-cpp convert IN OUT [--weights W]
//
// predict takes the inputs in the model's input order and writes one file per output:
// OUT.npy for one, OUT_0.npy, OUT_1.npy, ... for several. Exit status: 0 on success, 1 for
// an error (a message on stderr), 2 for bad usage.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "keras/errors.hpp"
#include "keras/model.hpp"
#include "keras/saving.hpp"
#include "keras/utils/model_visualization.hpp"
#include "keras/utils/npy.hpp"

namespace {

constexpr const char* kUsage =
    "usage: keras-cpp summary FILE [--weights W]\n"
    "       keras-cpp plot FILE OUT.png|svg|pdf|dot [--weights W]\n"
    "       keras-cpp predict FILE INPUT.npy [INPUT2.npy ...] -o OUT.npy [--weights W] [--batch-size N]\n"
    "       keras-cpp convert IN.(h5|keras|json) OUT.(keras|h5) [--weights W]\n"
    "FILE is a .keras archive, a legacy .h5 model, or a JSON config (model.to_json()) with --weights.\n";

struct UsageError {
  std::string message;
};

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::string weights;
  std::string output;
  std::optional<std::int64_t> batch_size;
};

std::string value_after(const std::vector<std::string>& argv, std::size_t& i) {
  if (i + 1 >= argv.size()) throw UsageError{argv[i] + " needs a value"};
  return argv[++i];
}

Args parse(const std::vector<std::string>& argv) {
  if (argv.empty()) throw UsageError{"no command"};
  Args args;
  args.command = argv[0];
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--weights") {
      args.weights = value_after(argv, i);
    } else if (a == "-o" || a == "--output") {
      args.output = value_after(argv, i);
    } else if (a == "--batch-size") {
      const std::string v = value_after(argv, i);
      char* end = nullptr;
      const long long n = std::strtoll(v.c_str(), &end, 10);
      if (*end != '\0' || n <= 0) throw UsageError{"--batch-size takes a positive integer, got '" + v + "'"};
      args.batch_size = n;
    } else if (a.size() > 1 && a[0] == '-') {
      throw UsageError{"unknown option " + a};
    } else {
      args.positional.push_back(a);
    }
  }
  return args;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw keras::IOError("Cannot open '" + path + "': no such file or not readable");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

keras::ModelPtr load(const std::string& file, const std::string& weights) {
  keras::ModelPtr model = ends_with(file, ".json") ? keras::models::model_from_json(read_text(file))
                                                   : keras::saving::load_model(file, {.compile = false});
  if (!weights.empty()) model->load_weights(weights);
  return model;
}

// OUT.npy for output 0 of 1; OUT_<i>.npy when there are several.
std::string output_path(const std::string& out, std::size_t i, std::size_t count) {
  if (count == 1) return out;
  const std::string stem = ends_with(out, ".npy") ? out.substr(0, out.size() - 4) : out;
  return stem + "_" + std::to_string(i) + ".npy";
}

void expect_positional(const Args& args, std::size_t n, const char* what) {
  if (args.positional.size() != n) throw UsageError{args.command + " takes " + what};
}

int run(const Args& args) {
  if (args.command == "summary") {
    expect_positional(args, 1, "one model file");
    load(args.positional[0], args.weights)->summary();
  } else if (args.command == "plot") {
    expect_positional(args, 2, "a model file and an output image");
    keras::utils::plot_model(*load(args.positional[0], args.weights), args.positional[1],
                             {.show_shapes = true, .show_layer_names = true});
  } else if (args.command == "predict") {
    if (args.positional.size() < 2) throw UsageError{"predict takes a model file and its input .npy files"};
    if (args.output.empty()) throw UsageError{"predict needs -o OUT.npy"};
    auto model = load(args.positional[0], args.weights);
    keras::Tensors inputs;
    for (std::size_t i = 1; i < args.positional.size(); ++i) inputs.push_back(keras::utils::load_npy(args.positional[i]));
    const keras::Outputs out = model->predict(keras::ArrayData(inputs), {.batch_size = args.batch_size, .verbose = 0});
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::string path = output_path(args.output, i, out.size());
      keras::utils::save_npy(path, out[i]);
      std::cout << path << "\n";
    }
  } else if (args.command == "convert") {
    expect_positional(args, 2, "an input and an output model file");
    load(args.positional[0], args.weights)->save(args.positional[1]);
  } else {
    throw UsageError{"unknown command '" + args.command + "'"};
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> argv_list(argv + 1, argv + argc);
  if (argv_list.size() == 1 && (argv_list[0] == "-h" || argv_list[0] == "--help")) {
    std::cout << kUsage;
    return 0;
  }
  try {
    return run(parse(argv_list));
  } catch (const UsageError& e) {
    std::cerr << "keras-cpp: " << e.message << "\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "keras-cpp: error: " << e.what() << "\n";
    return 1;
  }
}
