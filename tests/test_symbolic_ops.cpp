// Ops on symbolic tensors (keras::Input): every public op records one graph node named
// after the op, infers the output shape (None propagates) and dtype, and a functional
// Model built from that node reproduces the op's eager result on data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "graph/node.hpp"
#include "keras/input.hpp"
#include "keras/model.hpp"
#include "ops/common.hpp"
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;

// A symbolic input: the shape without the batch axis, the dtype, and for integer inputs
// the values' upper bound (data is drawn in [0, high)).
struct In {
  Shape shape;
  DType dtype = DType::float32;
  std::int64_t high = 4;
  std::optional<std::int64_t> batch_size;
};

struct Case {
  std::string op;  // the name the op's node must carry
  std::vector<In> inputs;
  std::function<Tensors(const Tensors&)> fn;
  std::vector<Shape> shapes;  // the expected symbolic output shapes (None: unknown)
  DType dtype = DType::float32;
};

constexpr std::int64_t N = None;
constexpr std::int64_t kBatch = 2;  // the batch size of the data runs

// Deterministic constants (weights, statistics, indices) that the ops mix with inputs.
Tensor constant(const Shape& shape, std::uint64_t seed) {
  return random::uniform(shape, {.minval = 0.5, .maxval = 1.5, .seed = seed});
}
Tensor int_constant(const std::vector<std::int32_t>& values) { return Tensor::from_vector(values); }

Tensor data_for(const In& in, std::uint64_t seed) {
  Shape shape{in.batch_size.value_or(kBatch)};
  shape.insert(shape.end(), in.shape.begin(), in.shape.end());
  if (in.dtype == DType::bool_) return ops::less(random::uniform(shape, {.seed = seed}), 0.5);
  if (is_integer(in.dtype)) {
    const auto u = random::uniform(shape, {.maxval = static_cast<double>(in.high), .seed = seed});
    return ops::cast(ops::floor(u), in.dtype);
  }
  // Positive, away from 0 and 1, so log, sqrt, divide and the crossentropies are finite.
  return random::uniform(shape, {.minval = 0.1, .maxval = 0.9, .dtype = in.dtype, .seed = seed});
}

// Shorthands for the table.
In F(Shape shape) { return In{.shape = std::move(shape)}; }
In I(Shape shape, std::int64_t high) { return In{.shape = std::move(shape), .dtype = DType::int32, .high = high}; }
In B(Shape shape) { return In{.shape = std::move(shape), .dtype = DType::bool_}; }

#define UNARY(NAME) \
  Case { #NAME, {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::NAME(t[0])}; }, {{N, 3, 4}} }
#define BINARY(NAME, DTYPE)                                                                     \
  Case {                                                                                        \
    #NAME, {F({3, 4}), F({1, 4})}, [](const Tensors& t) { return Tensors{ops::NAME(t[0], t[1])}; }, \
        {{N, 3, 4}}, DTYPE                                                                      \
  }
#define LOGICAL(NAME) \
  Case { #NAME, {B({3, 4}), B({1, 4})}, [](const Tensors& t) { return Tensors{ops::NAME(t[0], t[1])}; }, {{N, 3, 4}}, DType::bool_ }
#define REDUCE(NAME, AXIS, KEEP, SHAPE, DTYPE) \
  Case { #NAME, {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::NAME(t[0], AXIS, KEEP)}; }, {SHAPE}, DTYPE }

std::vector<Case> math_cases() {
  const DType f = DType::float32;
  const DType b = DType::bool_;
  return {
      BINARY(add, f), BINARY(subtract, f), BINARY(multiply, f), BINARY(divide, f), BINARY(true_divide, f),
      BINARY(floor_divide, f), BINARY(mod, f), BINARY(power, f), BINARY(minimum, f), BINARY(maximum, f),
      BINARY(equal, b), BINARY(not_equal, b), BINARY(less, b), BINARY(less_equal, b), BINARY(greater, b),
      BINARY(greater_equal, b), LOGICAL(logical_and), LOGICAL(logical_or), LOGICAL(logical_xor),
      UNARY(negative), UNARY(abs), UNARY(absolute), UNARY(sign), UNARY(square), UNARY(sqrt), UNARY(rsqrt),
      UNARY(reciprocal), UNARY(exp), UNARY(expm1), UNARY(log), UNARY(log1p), UNARY(sin), UNARY(cos),
      UNARY(tan), UNARY(tanh), UNARY(erf), UNARY(floor), UNARY(ceil), UNARY(round), UNARY(stop_gradient),
      {"logical_not", {B({3, 4})}, [](const Tensors& t) { return Tensors{ops::logical_not(t[0])}; }, {{N, 3, 4}}, b},
      {"isnan", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::isnan(t[0])}; }, {{N, 3, 4}}, b},
      {"isfinite", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::isfinite(t[0])}; }, {{N, 3, 4}}, b},
      // Weak scalars are inputs too: they are stored in the node and passed to the rerun.
      {"clip", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::clip(t[0], 0.3, 0.7)}; }, {{N, 3, 4}}},
      {"clip", {F({3, 4}), F({1, 4}), F({1, 4})},
       [](const Tensors& t) { return Tensors{ops::clip(t[0], t[1], t[2])}; }, {{N, 3, 4}}},
      {"where", {B({3, 4}), F({3, 4})}, [](const Tensors& t) { return Tensors{ops::where(t[0], t[1], 0.0)}; },
       {{N, 3, 4}}},
      {"cast", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::cast(t[0], DType::float64)}; },
       {{N, 3, 4}}, DType::float64},
      // The Tensor operators and members route through the hooked ops.
      {"multiply", {F({3, 4})}, [](const Tensors& t) { return Tensors{t[0] * 2.0}; }, {{N, 3, 4}}},
      {"subtract", {F({3, 4})}, [](const Tensors& t) { return Tensors{1.0 - t[0]}; }, {{N, 3, 4}}},
      {"add", {F({3, 4}), F({3, 4})}, [](const Tensors& t) { return Tensors{t[0] + t[1]}; }, {{N, 3, 4}}},
      {"divide", {I({3, 4}, 5)}, [](const Tensors& t) { return Tensors{t[0] / 2}; }, {{N, 3, 4}}},
      {"negative", {I({3, 4}, 5)}, [](const Tensors& t) { return Tensors{-t[0]}; }, {{N, 3, 4}}, DType::int32},
      {"cast", {F({3, 4})}, [](const Tensors& t) { return Tensors{t[0].astype(DType::int64)}; }, {{N, 3, 4}},
       DType::int64},
      {"reshape", {F({3, 4})}, [](const Tensors& t) { return Tensors{t[0].reshape({-1, 2, 6})}; }, {{N, 2, 6}}},
  };
}

std::vector<Case> reduction_cases() {
  const DType f = DType::float32;
  return {
      REDUCE(sum, 0, false, (Shape{3, 4}), f),
      REDUCE(sum, 1, false, (Shape{N, 4}), f),
      REDUCE(mean, (ops::Axes{1, 2}), false, (Shape{N}), f),
      REDUCE(max, -1, true, (Shape{N, 3, 1}), f),
      REDUCE(min, {}, false, (Shape{}), f),
      REDUCE(prod, 1, false, (Shape{N, 4}), f),
      REDUCE(var, 2, false, (Shape{N, 3}), f),
      REDUCE(std, 2, true, (Shape{N, 3, 1}), f),
      REDUCE(logsumexp, 1, false, (Shape{N, 4}), f),
      REDUCE(argmax, 1, false, (Shape{N, 4}), DType::int32),
      REDUCE(argmin, {}, false, (Shape{}), DType::int32),
      {"all", {B({3, 4})}, [](const Tensors& t) { return Tensors{ops::all(t[0], 1)}; }, {{N, 4}}, DType::bool_},
      {"any", {B({3, 4})}, [](const Tensors& t) { return Tensors{ops::any(t[0], 0)}; }, {{3, 4}}, DType::bool_},
      {"moments", {F({3, 4})},
       [](const Tensors& t) {
         auto [m, v] = ops::moments(t[0], {0, 2});
         return Tensors{m, v};
       },
       {{3}, {3}}},
  };
}

std::vector<Case> manipulation_cases() {
  return {
      {"reshape", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::reshape(t[0], {-1, 12})}; }, {{N, 12}}},
      {"transpose", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::transpose(t[0])}; }, {{4, 3, N}}},
      {"transpose", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::transpose(t[0], {0, 2, 1})}; },
       {{N, 4, 3}}},
      {"permute_dimensions", {F({3, 4})},
       [](const Tensors& t) { return Tensors{ops::permute_dimensions(t[0], {1, 0, 2})}; }, {{3, N, 4}}},
      {"swapaxes", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::swapaxes(t[0], 1, 2)}; }, {{N, 4, 3}}},
      {"moveaxis", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::moveaxis(t[0], 0, -1)}; }, {{3, 4, N}}},
      {"expand_dims", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::expand_dims(t[0], 1)}; },
       {{N, 1, 3, 4}}},
      {"squeeze", {F({1, 4})}, [](const Tensors& t) { return Tensors{ops::squeeze(t[0], 1)}; }, {{N, 4}}},
      {"squeeze", {F({1, 4})}, [](const Tensors& t) { return Tensors{ops::squeeze(t[0])}; }, {{N, 4}}},
      {"concatenate", {F({3, 4}), F({2, 4})}, [](const Tensors& t) { return Tensors{ops::concatenate(t, 1)}; },
       {{N, 5, 4}}},
      {"concatenate", {F({3, 4}), F({3, 4})}, [](const Tensors& t) { return Tensors{ops::concatenate(t, 0)}; },
       {{N, 3, 4}}},
      {"stack", {F({3, 4}), F({3, 4})}, [](const Tensors& t) { return Tensors{ops::stack(t, 1)}; },
       {{N, 2, 3, 4}}},
      {"split", {F({3, 4})}, [](const Tensors& t) { return ops::split(t[0], 2, 2); }, {{N, 3, 2}, {N, 3, 2}}},
      {"split", {F({3, 4})}, [](const Tensors& t) { return ops::split(t[0], std::vector<std::int64_t>{1}, 1); },
       {{N, 1, 4}, {N, 2, 4}}},
      {"slice", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::slice(t[0], {0, 1, 0}, {-1, 2, 3})}; },
       {{N, 2, 3}}},
      {"strided_slice", {F({3, 4})},
       [](const Tensors& t) { return Tensors{ops::strided_slice(t[0], {0, 2, 0}, {1000, -4, 4}, {1, -1, 2})}; },
       {{N, 3, 2}}},
      {"take", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::take(t[0], int_constant({2, 0}), 1)}; },
       {{N, 2, 4}}},
      // Symbolic indices: the result has both unknown batch axes.
      {"take", {F({3, 4}), I({2}, 3)}, [](const Tensors& t) { return Tensors{ops::take(t[0], t[1], 1)}; },
       {{N, N, 2, 4}}},
      {"gather", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::gather(t[0], int_constant({3, 1, 1}), 2)}; },
       {{N, 3, 3}}},
      {"take_along_axis", {F({3, 4}), I({3, 2}, 4)},
       [](const Tensors& t) { return Tensors{ops::take_along_axis(t[0], t[1], 2)}; }, {{N, 3, 2}}},
      {"one_hot", {I({3}, 5)}, [](const Tensors& t) { return Tensors{ops::one_hot(t[0], 5)}; }, {{N, 3, 5}}},
      {"pad", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::pad(t[0], {{0, 0}, {1, 1}, {2, 0}})}; },
       {{N, 5, 6}}},
      {"pad", {F({3, 4})},
       [](const Tensors& t) { return Tensors{ops::pad(t[0], {{0, 0}, {1, 1}, {2, 0}}, "reflect")}; }, {{N, 5, 6}}},
      {"tile", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::tile(t[0], {1, 2, 1})}; }, {{N, 6, 4}}},
      {"repeat", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::repeat(t[0], 2, 1)}; }, {{N, 6, 4}}},
      {"repeat", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::repeat(t[0], 2)}; }, {{N}}},
      {"broadcast_to", {In{.shape = {1, 4}, .batch_size = kBatch}},
       [](const Tensors& t) { return Tensors{ops::broadcast_to(t[0], {kBatch, 3, 4})}; }, {{kBatch, 3, 4}}},
      {"flatten", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::flatten(t[0])}; }, {{N}}},
      {"ravel", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::ravel(t[0])}; }, {{N}}},
      {"batch_flatten", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::batch_flatten(t[0])}; }, {{N, 12}}},
      {"flip", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::flip(t[0], 1)}; }, {{N, 3, 4}}},
      {"tril", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::tril(t[0])}; }, {{N, 3, 4}}},
      {"triu", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::triu(t[0], 1)}; }, {{N, 3, 4}}},
  };
}

std::vector<Case> linalg_cases() {
  auto w = [] { return constant({4, 5}, 1); };
  return {
      {"matmul", {F({3, 4})}, [w](const Tensors& t) { return Tensors{ops::matmul(t[0], w())}; }, {{N, 3, 5}}},
      {"matmul", {F({3, 4}), F({4, 2})}, [](const Tensors& t) { return Tensors{ops::matmul(t[0], t[1])}; },
       {{N, 3, 2}}},
      {"dot", {F({3, 4})}, [w](const Tensors& t) { return Tensors{ops::dot(t[0], w())}; }, {{N, 3, 5}}},
      {"tensordot", {F({3, 4})}, [w](const Tensors& t) { return Tensors{ops::tensordot(t[0], w(), 1)}; },
       {{N, 3, 5}}},
      {"tensordot", {F({3, 4})}, [w](const Tensors& t) { return Tensors{ops::tensordot(t[0], w(), {2}, {0})}; },
       {{N, 3, 5}}},
      {"einsum", {F({3, 4})}, [w](const Tensors& t) { return Tensors{ops::einsum("bij,jk->bik", {t[0], w()})}; },
       {{N, 3, 5}}},
      {"outer", {F({3}), F({2})}, [](const Tensors& t) { return Tensors{ops::outer(t[0], t[1])}; }, {{N, N}}},
  };
}

std::vector<Case> nn_cases() {
  return {
      UNARY(relu), UNARY(relu6), UNARY(selu), UNARY(sigmoid), UNARY(hard_sigmoid), UNARY(silu), UNARY(swish),
      UNARY(softplus), UNARY(softsign),
      {"leaky_relu", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::leaky_relu(t[0], 0.1)}; }, {{N, 3, 4}}},
      {"elu", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::elu(t[0], 0.5)}; }, {{N, 3, 4}}},
      {"gelu", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::gelu(t[0], false)}; }, {{N, 3, 4}}},
      {"softmax", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::softmax(t[0], 1)}; }, {{N, 3, 4}}},
      {"log_softmax", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::log_softmax(t[0])}; }, {{N, 3, 4}}},
      {"l2_normalize", {F({3, 4})}, [](const Tensors& t) { return Tensors{ops::l2_normalize(t[0], 1)}; },
       {{N, 3, 4}}},
      {"dropout", {F({3, 4})},
       [](const Tensors& t) { return Tensors{ops::dropout(t[0], 0.5, {.noise_shape = {N, 1, 4}, .seed = 7})}; },
       {{N, 3, 4}}},
      {"conv", {F({8, 3})}, [](const Tensors& t) { return Tensors{ops::conv(t[0], constant({3, 3, 4}, 2))}; },
       {{N, 6, 4}}},
      {"conv", {F({5, 5, 2})},
       [](const Tensors& t) {
         return Tensors{ops::conv(t[0], constant({3, 3, 2, 4}, 3), {.strides = {2}, .padding = "same"})};
       },
       {{N, 3, 3, 4}}},
      // A symbolic kernel: an Input whose batch size is the kernel's first dimension.
      {"conv", {F({5, 5, 2}), In{.shape = {3, 2, 4}, .batch_size = 3}},
       [](const Tensors& t) { return Tensors{ops::conv(t[0], t[1])}; }, {{N, 3, 3, 4}}},
      {"depthwise_conv", {F({5, 5, 2})},
       [](const Tensors& t) { return Tensors{ops::depthwise_conv(t[0], constant({3, 3, 2, 2}, 4))}; },
       {{N, 3, 3, 4}}},
      {"conv_transpose", {F({4, 4, 2})},
       [](const Tensors& t) {
         return Tensors{ops::conv_transpose(t[0], constant({3, 3, 5, 2}, 5), {.strides = {2}})};
       },
       {{N, 9, 9, 5}}},
      {"max_pool", {F({4, 4, 2})}, [](const Tensors& t) { return Tensors{ops::max_pool(t[0], {2})}; },
       {{N, 2, 2, 2}}},
      {"average_pool", {F({5, 5, 2})},
       [](const Tensors& t) { return Tensors{ops::average_pool(t[0], {2}, {.padding = "same"})}; },
       {{N, 3, 3, 2}}},
      {"resize", {F({4, 4, 3})}, [](const Tensors& t) { return Tensors{ops::resize(t[0], {8, 6})}; },
       {{N, 8, 6, 3}}},
      // Undefined optional tensors (offset / beta) pass through the node as they are.
      {"batch_normalization", {F({3, 4}), In{.shape = {}, .batch_size = 4}},
       [](const Tensors& t) {
         return Tensors{ops::batch_normalization(t[0], constant({4}, 6), t[1], -1, {}, constant({4}, 7))};
       },
       {{N, 3, 4}}},
      {"layer_normalization", {F({3, 4})},
       [](const Tensors& t) { return Tensors{ops::layer_normalization(t[0], constant({4}, 8))}; }, {{N, 3, 4}}},
      {"binary_crossentropy", {F({3, 4}), F({3, 4})},
       [](const Tensors& t) { return Tensors{ops::binary_crossentropy(t[0], t[1])}; }, {{N, 3, 4}}},
      {"categorical_crossentropy", {F({3, 4}), F({3, 4})},
       [](const Tensors& t) { return Tensors{ops::categorical_crossentropy(t[0], t[1], true)}; }, {{N, 3}}},
      {"sparse_categorical_crossentropy", {I({3}, 4), F({3, 4})},
       [](const Tensors& t) { return Tensors{ops::sparse_categorical_crossentropy(t[0], t[1])}; }, {{N, 3}}},
  };
}

std::vector<Case> creation_cases() {
  return {
      UNARY(zeros_like), UNARY(ones_like), UNARY(convert_to_tensor),
      {"full_like", {I({3, 4}, 5)}, [](const Tensors& t) { return Tensors{ops::full_like(t[0], 7.0)}; }, {{N, 3, 4}},
       DType::int32},
  };
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (auto family : {math_cases, reduction_cases, manipulation_cases, linalg_cases, nn_cases, creation_cases}) {
    auto part = family();
    cases.insert(cases.end(), part.begin(), part.end());
  }
  return cases;
}

std::string camel(const std::string& snake) {
  std::string out;
  bool upper = true;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

// "add", "add_1", ...: the name an op's node layer gets.
bool named_after(const std::string& name, const std::string& op) {
  if (name == op) return true;
  if (name.rfind(op + "_", 0) != 0 || name.size() == op.size() + 1) return false;
  return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(op.size() + 1), name.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string describe(const Case& c, std::size_t index) { return c.op + " (case " + std::to_string(index) + ")"; }

Tensors symbolic_inputs(const Case& c) {
  Tensors inputs;
  for (const auto& in : c.inputs) inputs.push_back(Input(in.shape, {.batch_size = in.batch_size, .dtype = in.dtype}));
  return inputs;
}

TEST(SymbolicOps, EveryOpInfersShapeAndDtypeAndRecordsOneNamedNode) {
  const auto cases = all_cases();
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    SCOPED_TRACE(describe(c, k));
    const Tensors inputs = symbolic_inputs(c);
    Tensors outs;
    // No op may reach common_device's NotImplementedError (or any other error).
    ASSERT_NO_THROW(outs = c.fn(inputs));
    ASSERT_EQ(outs.size(), c.shapes.size());
    std::set<std::uint64_t> input_ids;
    for (const auto& t : inputs) input_ids.insert(t.id());
    for (std::size_t i = 0; i < outs.size(); ++i) {
      ASSERT_TRUE(is_keras_tensor(outs[i]));
      EXPECT_EQ(shape_str(outs[i].shape()), shape_str(c.shapes[i]));
      EXPECT_EQ(outs[i].dtype(), c.dtype) << dtype_name(outs[i].dtype());
      const auto& node = outs[i].impl()->keras_history->node;
      ASSERT_NE(node, nullptr);
      EXPECT_EQ(node->layer->class_name(), camel(c.op));
      EXPECT_TRUE(named_after(node->layer->name(), c.op)) << node->layer->name();
      // One node per call: its symbolic inputs are the Inputs themselves, not the output
      // of an inner op that recorded a node of its own.
      for (const auto& t : node->inputs) {
        if (is_keras_tensor(t)) {
          EXPECT_TRUE(input_ids.count(t.id())) << "an input comes from another node";
        }
      }
    }
  }
}

TEST(SymbolicOps, ModelOfEveryOpReproducesTheEagerResult) {
  const auto cases = all_cases();
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    SCOPED_TRACE(describe(c, k));
    const Tensors inputs = symbolic_inputs(c);
    Model model(inputs, c.fn(inputs));
    Tensors data;
    for (std::size_t i = 0; i < c.inputs.size(); ++i) data.push_back(data_for(c.inputs[i], 100 + k * 10 + i));
    const Tensors expected = c.fn(data);
    const Tensors got = model(data);
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_FALSE(is_keras_tensor(got[i]));
      EXPECT_EQ(got[i].dtype(), expected[i].dtype());
      EXPECT_TRUE(all_close(got[i], expected[i], 0.0, 0.0));
    }
  }
}

// The public ops (declared in include/keras/ops/*.hpp) that take a tensor.
std::set<std::string> declared_tensor_ops() {
  const std::filesystem::path dir = std::filesystem::path(KERAS_GOLDEN_DIR) / ".." / ".." / "include" / "keras" / "ops";
  const std::regex declaration(R"(^(Tensor|std::vector<Tensor>|std::pair<Tensor, Tensor>) (\w+)\((.*))");
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream file(entry.path());
    std::string line;
    while (std::getline(file, line)) {
      std::smatch m;
      if (!std::regex_match(line, m, declaration)) continue;
      // Copies: the loop below reads more lines into `line`, which m points into.
      const std::string name = m[2];
      std::string params = m[3];
      while (params.find(';') == std::string::npos && std::getline(file, line)) params += line;
      if (params.find("Tensor") != std::string::npos) names.insert(name);
    }
  }
  return names;
}

TEST(SymbolicOps, TheTableCoversEveryPublicOpThatTakesATensor) {
  const auto declared = declared_tensor_ops();
  ASSERT_GT(declared.size(), 100u);  // the header scan found the ops
  EXPECT_EQ(declared.count("zeros"), 0u);  // shapes only: nothing to hook
  EXPECT_EQ(declared.count("zeros_like"), 1u);
  std::set<std::string> covered;
  for (const auto& c : all_cases()) covered.insert(c.op);
  for (const auto& name : declared) EXPECT_TRUE(covered.count(name)) << name << " has no symbolic test case";
}

TEST(SymbolicOps, CommonDeviceRejectsSymbolicTensors) {
  // The guard the hooks keep ops away from: an op without one fails loudly.
  const Tensor x = Input({3});
  EXPECT_THROW(ops::detail::common_device({x}), NotImplementedError);
}

TEST(SymbolicOps, ChainOfOpsMatchesEagerThroughModel) {
  const Tensor w = constant({4, 6}, 11);
  const Tensor bias = constant({6}, 12);
  auto net = [&](const Tensor& x, const Tensor& ids) {
    Tensor h = ops::relu(ops::add(ops::matmul(x, w), bias));
    auto halves = ops::split(h, 2, -1);
    Tensor joined = ops::concatenate({ops::sigmoid(halves[0]), ops::tanh(halves[1]) * 2.0}, -1);
    auto [mean, variance] = ops::moments(joined, {1}, true);
    Tensor normed = (joined - mean) * ops::rsqrt(variance + 1e-3);
    Tensor logits = ops::take(ops::reshape(normed, {-1, 18}), ids, 1);
    return ops::softmax(logits, -1);
  };
  const Tensor x = Input({3, 4});
  const Tensor ids = Input({5}, {.dtype = DType::int32});
  const Tensor y = net(x, ids);
  EXPECT_EQ(shape_str(y.shape()), shape_str(Shape{N, N, 5}));
  Model model(Tensors{x, ids}, Tensors{y});
  const Tensor xd = data_for(F({3, 4}), 1);
  const Tensor idd = data_for(I({5}, 18), 2);
  const Tensor got = Tensor(model(Tensors{xd, idd}));
  EXPECT_TRUE(all_close(got, net(xd, idd), 0.0, 0.0));
  // The model is reusable: a different batch size gives the eager result too.
  const Tensor xd3 = random::uniform({3, 3, 4}, {.seed = 3});
  const Tensor idd3 = ops::cast(ops::floor(random::uniform({3, 5}, {.maxval = 18, .seed = 4})), DType::int32);
  EXPECT_TRUE(all_close(Tensor(model(Tensors{xd3, idd3})), net(xd3, idd3), 0.0, 0.0));
}

TEST(SymbolicOps, IncompatibleShapesRaiseValueErrorAtTheCall) {
  auto expect_error = [](const std::function<void()>& call, const std::vector<std::string>& fragments) {
    try {
      call();
      ADD_FAILURE() << "no error";
    } catch (const ValueError& e) {
      const std::string what = e.what();
      for (const auto& f : fragments) EXPECT_NE(what.find(f), std::string::npos) << what << " lacks " << f;
    }
  };
  const Tensor a = Input({3});
  const Tensor b = Input({4});
  expect_error([&] { ops::add(a, b); }, {"3)", "4)"});
  expect_error([&] { ops::matmul(Input({3, 4}), constant({5, 2}, 1)); }, {"3, 4)", "(5, 2)"});
  expect_error([&] { ops::concatenate({Input({3, 4}), Input({3, 5})}, 1); }, {"3, 5)", "3, 4)"});
  expect_error([&] { ops::reshape(Input({3, 4}), {5, -1}); }, {"3, 4)", "(5, -1)"});
  expect_error([&] { ops::conv(Input({8, 3}), constant({3, 2, 4}, 2)); }, {"8, 3)", "(3, 2, 4)"});
}

TEST(SymbolicOps, EagerOpsStayEager) {
  // Real data never takes the symbolic path.
  const Tensor x = constant({2, 3}, 1);
  const Tensor y = ops::add(x, 1.0);
  EXPECT_FALSE(is_keras_tensor(y));
  EXPECT_TRUE(all_close(y, ops::add(ops::ones({2, 3}), x)));
}

}  // namespace
}  // namespace keras
