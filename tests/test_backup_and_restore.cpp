// Crash safety of training: a training process is SIGKILLed at random moments, many times,
// and restarted with BackupAndRestore. The backup is never torn (it always reads back or
// is absent), at most the epoch in progress is lost, and the final weights are
// bit-identical to an uninterrupted run's. Also ModelCheckpoint's file names, formats and
// save_best_only.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "keras/callbacks.hpp"
#include "keras/input.hpp"
#include "keras/layers.hpp"
#include "keras/model.hpp"
#include "keras/optimizers.hpp"
#include "keras/saving.hpp"
#include "saving/h5/h5_file.hpp"
#include "test_util.hpp"

extern char** environ;

namespace keras {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

pid_t spawn_trainer(const std::string& backup, const std::string& out, const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::string program = KERAS_CRASH_TRAINER;
  std::vector<char*> argv = {program.data(), const_cast<char*>(backup.c_str()), const_cast<char*>(out.c_str()), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed");
  return pid;
}

// The last "epoch N" line a run printed (printed only after that epoch's backup was written).
int last_reported_epoch(const std::string& log) {
  std::istringstream in(read_file(log));
  int last = 0;
  for (std::string word; in >> word;) {
    if (word == "epoch") in >> last;
  }
  return last;
}

// The epoch a backup holds (its training_metadata attribute); IOError for a torn file.
int backup_epoch(const std::string& path) {
  return json::parse(saving::h5::File::open(path).read_string_attr("training_metadata")).at("epoch").get<int>();
}

// Every dataset of an HDF5 file, by path.
void collect(const saving::h5::Group& g, std::map<std::string, Tensor>& out) {
  for (const auto& child : g.children()) {
    if (g.has_group(child)) {
      collect(g.group(child), out);
    } else {
      out[g.child_path(child)] = g.read_dataset(child);
    }
  }
}

std::map<std::string, Tensor> datasets_of(const std::string& path) {
  std::map<std::string, Tensor> out;
  collect(saving::h5::File::open(path), out);
  return out;
}

double run_seconds(const std::string& dir) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = spawn_trainer(dir + "/timing_backup", dir + "/timing.weights.h5", dir + "/timing.log");
  int status = 0;
  waitpid(pid, &status, 0);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(BackupAndRestore, SurvivesRandomKillsAndEndsBitIdentical) {
  const std::string dir = ::testing::TempDir() + "/keras_crash_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // The uninterrupted reference run (also tells how long a run takes).
  const double seconds = run_seconds(dir);
  ASSERT_TRUE(fs::exists(dir + "/timing.weights.h5"));
  EXPECT_FALSE(fs::exists(dir + "/timing_backup")) << "the backup is deleted after a finished run";

  std::mt19937 rng(12345);
  std::uniform_real_distribution<double> when(0.0, seconds);
  const std::string backup = dir + "/backup";
  const std::string out = dir + "/resumed.weights.h5";
  int kills = 0;
  int backed_up_epoch = 0;
  for (int attempt = 0; attempt < 200; ++attempt) {
    const std::string log = dir + "/run" + std::to_string(attempt) + ".log";
    const pid_t pid = spawn_trainer(backup, out, log);
    // Kill within a short window (a tenth of a whole run) for the first 60 attempts, so runs
    // die at many points, before the first backup, mid-epoch and mid-write; then let it finish.
    std::this_thread::sleep_for(std::chrono::duration<double>(kills < 60 ? when(rng) * 0.1 : seconds * 10));
    const bool killed = kill(pid, SIGKILL) == 0;
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0) << read_file(log);
      break;
    }
    ASSERT_TRUE(killed && WIFSIGNALED(status));
    ++kills;
    // Killed after training wrote its final weights (while the backup was being removed or
    // the process was exiting): the job is done.
    if (fs::exists(out)) break;
    // The backup is whole (or not there yet), and holds every epoch the run reported.
    const std::string ckpt = backup + "/latest.weights.h5";
    if (fs::exists(ckpt)) {
      int epoch = -1;
      ASSERT_NO_THROW(epoch = backup_epoch(ckpt)) << "torn backup after kill " << kills;
      EXPECT_GE(epoch, last_reported_epoch(log));
      EXPECT_GE(epoch, backed_up_epoch) << "the backup went backwards";
      backed_up_epoch = epoch;
    } else {
      EXPECT_EQ(last_reported_epoch(log), 0);
    }
  }
  EXPECT_GE(kills, 20);
  ASSERT_TRUE(fs::exists(out)) << "training never finished";
  const auto reference = datasets_of(dir + "/timing.weights.h5");
  const auto resumed = datasets_of(out);
  ASSERT_EQ(reference.size(), resumed.size());
  for (const auto& [path, value] : reference) {
    ASSERT_TRUE(resumed.count(path)) << path;
    EXPECT_TRUE(testing::all_close(resumed.at(path), value, 0, 0)) << path;
  }
}

TEST(ModelCheckpoint, FormatsFileNamesAndKeepsOnlyTheBest) {
  EXPECT_EQ(callbacks::format_filepath("w.{epoch:02d}-{val_loss:.2f}.ckpt", {{"val_loss", 0.4567}}, {{"epoch", 3}}),
            "w.03-0.46.ckpt");
  EXPECT_EQ(callbacks::format_filepath("{{x}}-{epoch}-{loss}", {{"loss", 0.5}}, {{"epoch", 12}}), "{x}-12-0.5");
  EXPECT_THROW(callbacks::format_filepath("{missing}", {}, {}), ValueError);

  const std::string dir = ::testing::TempDir() + "/keras_checkpoints";
  fs::remove_all(dir);
  Tensor in = Input({2});
  Model model(in, layers::Dense(1)(in));
  model.compile({.optimizer = "sgd", .loss = "mse"});
  Tensor x = testing::test_input({16, 2}, 1).astype(DType::float32);
  Tensor y = testing::test_input({16, 1}, 2).astype(DType::float32);
  auto every = std::make_shared<callbacks::ModelCheckpoint>(
      dir + "/e{epoch:02d}.weights.h5", callbacks::ModelCheckpointOptions{.monitor = "loss", .save_weights_only = true});
  // mode "max" on a falling loss: only epoch 1 is "best". Whole models, as .keras and .h5.
  auto best = std::make_shared<callbacks::ModelCheckpoint>(
      dir + "/best{epoch}.keras", callbacks::ModelCheckpointOptions{.monitor = "loss", .save_best_only = true, .mode = "max"});
  auto last = std::make_shared<callbacks::ModelCheckpoint>(dir + "/last.h5",
                                                           callbacks::ModelCheckpointOptions{.monitor = "loss"});
  model.fit(x, y, {.epochs = 3, .verbose = 0, .callbacks = {every, best, last}});
  for (const char* name : {"e01.weights.h5", "e02.weights.h5", "e03.weights.h5", "best1.keras", "last.h5"}) {
    EXPECT_TRUE(fs::exists(dir + "/" + name)) << name;
  }
  EXPECT_FALSE(fs::exists(dir + "/best2.keras"));
  // The saved weights load back into the model; the saved models load whole.
  const Tensors trained = model.get_weights();
  model.load_weights(dir + "/e01.weights.h5");
  EXPECT_FALSE(testing::all_close(model.get_weights()[0], trained[0], 0, 0));
  model.load_weights(dir + "/e03.weights.h5");
  EXPECT_TRUE(testing::all_close(model.get_weights()[0], trained[0], 0, 0));
  EXPECT_TRUE(testing::all_close(saving::load_model(dir + "/last.h5")->get_weights()[0], trained[0], 0, 0));
  EXPECT_TRUE(saving::load_model(dir + "/best1.keras")->compiled());
  // Keras 3's filepath rules.
  EXPECT_NE(testing::value_error([&] {
              callbacks::ModelCheckpoint(dir + "/w.ckpt", {.save_weights_only = true});
            }).find("must end in `.weights.h5`"),
            std::string::npos);
  EXPECT_NE(testing::value_error([&] { callbacks::ModelCheckpoint(dir + "/w.ckpt"); }).find("must end in `.keras`"),
            std::string::npos);
  // Keras 3 refuses a weights file named .h5; .weights.h5 is Keras's own format.
  EXPECT_THROW(model.save_weights(dir + "/w.h5"), ValueError);
  model.save_weights(dir + "/w.weights.h5");
  model.load_weights(dir + "/w.weights.h5");
  EXPECT_TRUE(testing::all_close(model.get_weights()[0], trained[0], 0, 0));
}

}  // namespace
}  // namespace keras
