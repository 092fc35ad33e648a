#include "autodiff/record.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;

TEST(GradientTape, GradientOfWatchedTensor) {
  Tensor x({1.0, 2.0, 3.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::sum(x * x * x);
  // d/dx sum(x^3) = 3x^2
  EXPECT_TRUE(all_close(tape.gradient(y, x), Tensor({3.0, 12.0, 27.0})));
}

TEST(GradientTape, UnwatchedTensorHasNoGradient) {
  Tensor x({1.0, 2.0});
  GradientTape tape;
  Tensor y = ops::sum(x * 2.0);
  EXPECT_FALSE(tape.gradient(y, x).defined());
}

TEST(GradientTape, ZeroForUnconnectedWhenAsked) {
  Tensor x({1.0, 2.0});
  Tensor z({5.0, 6.0});
  GradientTape tape;
  tape.watch(x);
  tape.watch(z);
  Tensor y = ops::sum(x * 2.0);
  auto g = tape.gradient(y, std::vector<Tensor>{x, z}, {.unconnected_gradients = "zero"});
  EXPECT_TRUE(all_close(g[0], Tensor({2.0, 2.0})));
  EXPECT_TRUE(all_close(g[1], Tensor({0.0, 0.0})));
}

TEST(GradientTape, TrainableVariablesAreWatchedAutomatically) {
  Variable w(Tensor({1.0, -1.0}), {.name = "w"});
  Variable frozen(Tensor({2.0, 2.0}), {.name = "frozen", .trainable = false});
  GradientTape tape;
  Tensor y = ops::sum(w * frozen);
  auto g = tape.gradient(y, std::vector<Variable>{w, frozen});
  EXPECT_TRUE(all_close(g[0], Tensor({2.0, 2.0})));
  EXPECT_FALSE(g[1].defined());
}

TEST(GradientTape, WatchAccessedVariablesOff) {
  Variable w(Tensor({1.0}));
  GradientTape tape({.watch_accessed_variables = false});
  Tensor y = ops::sum(w * 3.0);
  EXPECT_FALSE(tape.gradient(y, std::vector<Variable>{w})[0].defined());
}

TEST(GradientTape, NonPersistentTapeRefusesSecondCall) {
  Tensor x({1.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::sum(x * x);
  tape.gradient(y, x);
  EXPECT_THROW(tape.gradient(y, x), RuntimeError);
}

TEST(GradientTape, PersistentTapeAllowsSeveralCalls) {
  Tensor x({3.0});
  GradientTape tape({.persistent = true});
  tape.watch(x);
  Tensor y = x * x;
  Tensor z = y * y;
  EXPECT_TRUE(all_close(tape.gradient(ops::sum(y), x), Tensor({6.0})));
  EXPECT_TRUE(all_close(tape.gradient(ops::sum(z), x), Tensor({108.0})));  // 4x^3
}

TEST(GradientTape, SecondOrderThroughNestedTapes) {
  Tensor x({2.0, -1.0});
  GradientTape outer;
  outer.watch(x);
  Tensor dy;
  {
    GradientTape inner;
    inner.watch(x);
    Tensor y = ops::sum(x * x * x);
    dy = inner.gradient(y, x);  // 3x^2, recorded by the outer tape
  }
  EXPECT_TRUE(all_close(outer.gradient(ops::sum(dy), x), Tensor({12.0, -6.0})));  // 6x
}

TEST(GradientTape, GradientsAccumulateOverUses) {
  Tensor x({1.5});
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::sum(x * 2.0 + x * x + x);
  EXPECT_TRUE(all_close(tape.gradient(y, x), Tensor({6.0})));  // 2 + 2x + 1
}

TEST(GradientTape, BroadcastGradientsSumBack) {
  Tensor a = ops::ones({2, 3});
  Tensor b({1.0, 2.0, 3.0});
  GradientTape tape;
  tape.watch(a);
  tape.watch(b);
  Tensor y = ops::sum(a * b);
  auto g = tape.gradient(y, std::vector<Tensor>{a, b});
  EXPECT_TRUE(all_close(g[0], Tensor({{1, 2, 3}, {1, 2, 3}})));
  EXPECT_TRUE(all_close(g[1], Tensor({2.0, 2.0, 2.0})));
}

TEST(GradientTape, OutputGradientsWeightTheTarget) {
  Tensor x({1.0, 2.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = x * 3.0;
  Tensor g = tape.gradient(y, std::vector<Tensor>{x}, {.output_gradients = Tensor({10.0, 100.0})})[0];
  EXPECT_TRUE(all_close(g, Tensor({30.0, 300.0})));
}

TEST(GradientTape, StopRecordingEndsTheTrace) {
  Tensor x({1.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = x * 2.0;
  Tensor s = ops::sum(y);
  tape.stop_recording();
  Tensor z = s * 5.0;
  EXPECT_TRUE(all_close(tape.gradient(s, x), Tensor({2.0})));
  EXPECT_FALSE(tape.recording());
  (void)z;
}

TEST(GradientTape, StopGradientCutsTheTape) {
  Tensor x({2.0});
  GradientTape tape;
  tape.watch(x);
  Tensor y = ops::sum(x * ops::stop_gradient(x));
  EXPECT_TRUE(all_close(tape.gradient(y, x), Tensor({2.0})));
}

TEST(GradientTape, IntegerTensorsAreNotDifferentiated) {
  Tensor i = Tensor::from_vector(std::vector<std::int32_t>{1, 2});
  GradientTape tape;
  tape.watch(i);
  Tensor y = ops::sum(ops::cast(i, DType::float32) * 2.0);
  EXPECT_FALSE(tape.gradient(y, i).defined());
}

TEST(Variable, SnapshotsDoNotSeeLaterAssignments) {
  Variable v(Tensor({1.0, 2.0}), {.name = "v"});
  Tensor before = v.value();
  v.assign(Tensor({5.0, 6.0}));
  EXPECT_TRUE(all_close(before, Tensor({1.0, 2.0})));
  EXPECT_TRUE(all_close(v.value(), Tensor({5.0, 6.0})));
  EXPECT_EQ(v.name(), "v");
}

TEST(Variable, CopiesReferToTheSameVariable) {
  Variable a(Tensor({1.0}));
  Variable b = a;
  b.assign_add(Tensor({2.0}));
  EXPECT_TRUE(all_close(a.value(), Tensor({3.0})));
  a.assign_sub(Tensor({1.0}));
  EXPECT_TRUE(all_close(b.value(), Tensor({2.0})));
}

TEST(Variable, AssignInPlaceDoesNotAllocate) {
  Variable v(ops::zeros({1024}));
  Tensor delta = ops::ones({1024});
  v.assign_add(delta);
  v.assign_add(delta);
  const auto before = memory::stats().system_allocations;
  for (int i = 0; i < 5; ++i) v.assign_add(delta);
  EXPECT_EQ(memory::stats().system_allocations, before);
  EXPECT_FLOAT_EQ(v.value().to_vector<float>()[7], 7.0f);
}

TEST(Variable, AssignChecksShapeAndCastsDtype) {
  Variable v(ops::zeros({2, 2}), {.name = "kernel"});
  try {
    v.assign(ops::zeros({3}));
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("(3,)"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("(2, 2)"), std::string::npos);
  }
  v.assign(ops::ones({2, 2}, DType::float64));
  EXPECT_EQ(v.dtype(), DType::float32);
  EXPECT_FLOAT_EQ(v.value().to_vector<float>()[3], 1.0f);
}

TEST(Autodiff, FiniteDifferenceCheckOfComposite) {
  Tensor x = testing::test_input({3, 4}, 1);
  Tensor y = testing::test_input({4}, 2);
  EXPECT_TRUE(testing::check_gradients(
      [](const std::vector<Tensor>& in) { return ops::exp(in[0]) * in[1] - in[0] / (in[1] + 3.0); },
      {x, y}));
}

// A backward rule learns which inputs the tape differentiates, so it can skip the rest
// (a first conv layer's input gradient); outside a backward pass every input counts.
TEST(GradientTape, BackwardRulesSeeWhichInputsNeedGradients) {
  Tensor watched({1.0, 2.0});
  Tensor data({3.0, 4.0});
  std::vector<bool> seen;
  GradientTape tape;
  tape.watch(watched);
  Tensor out = watched * data;
  autodiff::record("probe", {watched, data}, {out}, [&](const autodiff::Grads& g) {
    seen = {autodiff::needs_gradient(watched), autodiff::needs_gradient(data)};
    return autodiff::Grads{g[0], Tensor()};
  });
  tape.gradient(ops::sum(out), watched);
  EXPECT_EQ(seen, (std::vector<bool>{true, false}));
  EXPECT_TRUE(autodiff::needs_gradient(data));
}

// Two probe records, h = x then y = h: the later one's rule runs first. By the time the
// earlier rule runs, the later rule's saved tensor and the gradient it was handed must be
// gone (nothing holds them but the tape), unless the tape is persistent.
struct ReleaseProbe {
  bool saved_alive = false;
  bool handed_gradient_alive = false;
};

ReleaseProbe probe_release(bool persistent) {
  ReleaseProbe probe;
  Tensor x({1.0, 2.0});
  Tensor h({1.0, 2.0});
  Tensor y({1.0, 2.0});
  GradientTape tape({.persistent = persistent});
  tape.watch(x);
  std::weak_ptr<detail::TensorImpl> saved;
  std::weak_ptr<detail::TensorImpl> handed;
  autodiff::record("earlier", {x}, {h}, [&](const autodiff::Grads& g) {
    probe.saved_alive = !saved.expired();
    probe.handed_gradient_alive = !handed.expired();
    return autodiff::Grads{g[0]};
  });
  {
    Tensor big = ops::ones({1024});
    saved = big.impl();
    autodiff::record("later", {h}, {y}, [big, &handed](const autodiff::Grads& g) {
      handed = g[0].impl();
      return autodiff::Grads{g[0] * static_cast<double>(big.shape()[0])};
    });
  }
  EXPECT_TRUE(all_close(tape.gradient(y, x), Tensor({1024.0, 1024.0})));
  return probe;
}

TEST(GradientTape, OneShotTapeFreesSavedTensorsAndGradientsAsItGoes) {
  const ReleaseProbe probe = probe_release(false);
  EXPECT_FALSE(probe.saved_alive);
  EXPECT_FALSE(probe.handed_gradient_alive);
}

TEST(GradientTape, PersistentTapeKeepsSavedTensors) {
  EXPECT_TRUE(probe_release(true).saved_alive);
}

}  // namespace
}  // namespace keras
