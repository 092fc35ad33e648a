// Products (matmul, dot, tensordot, einsum, outer): forward values against numpy (golden
// files from tests/golden/gen_linalg.py), gradients against finite differences, shape
// errors, and shapes on the meta device.
#include "test_util.hpp"

namespace keras {
namespace {

using testing::all_close;
using testing::check_gradients;
using testing::test_input;

Tensor G(const std::string& name) { return testing::golden("linalg/" + name); }

template <class E, class F>
void expect_error(F f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "expected an exception";
  } catch (const E& e) {
    for (const auto& p : parts) EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what();
  }
}

// ---- forward values ----------------------------------------------------------------

TEST(Matmul, MatchesNumpy) {
  EXPECT_TRUE(all_close(ops::matmul(G("a34"), G("b45")), G("matmul_a34_b45")));
  EXPECT_TRUE(all_close(ops::matmul(G("a234"), G("b245")), G("matmul_a234_b245")));
  EXPECT_TRUE(all_close(ops::matmul(G("a234"), G("b45")), G("matmul_a234_b45")));
  EXPECT_TRUE(all_close(ops::matmul(G("a2134"), G("b546")), G("matmul_a2134_b546")));
  EXPECT_TRUE(all_close(ops::matmul(G("v4"), G("b45")), G("matmul_v4_b45")));
  EXPECT_TRUE(all_close(ops::matmul(G("a34"), G("v4")), G("matmul_a34_v4")));
  EXPECT_TRUE(all_close(ops::matmul(G("v4"), G("v4")), G("matmul_v4_v4")));
  EXPECT_TRUE(all_close(ops::matmul(G("v4"), G("b245")), G("matmul_v4_b245")));
  EXPECT_TRUE(all_close(ops::matmul(G("a_big"), G("b_big")), G("matmul_big"), 1e-5, 1e-4));
}

TEST(Matmul, RepeatedCallsReuseThePlanAndAgree) {
  Tensor first = ops::matmul(G("a_big"), G("b_big"));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(all_close(ops::matmul(G("a_big"), G("b_big")), first, 0, 0));
}

TEST(Matmul, IntegerAndFloat64) {
  Tensor r = ops::matmul(G("i34"), G("i45"));
  EXPECT_EQ(r.dtype(), DType::int32);
  EXPECT_EQ(r.to_vector<std::int32_t>(), G("matmul_i34_i45").to_vector<std::int32_t>());
  Tensor d = ops::matmul(G("a34").astype(DType::float64), G("b45"));
  EXPECT_EQ(d.dtype(), DType::float64);
  EXPECT_TRUE(all_close(d, G("matmul_a34_b45")));
  Tensor b = ops::matmul(ops::greater(G("a34"), 0.0), ops::greater(G("b45"), 0.0));
  EXPECT_EQ(b.dtype(), DType::bool_);
  EXPECT_EQ(b.to_vector<bool>(), ops::greater(ops::matmul(ops::cast(ops::greater(G("a34"), 0.0), DType::int32),
                                                          ops::cast(ops::greater(G("b45"), 0.0), DType::int32)),
                                              0).to_vector<bool>());
}

TEST(Matmul, EmptyInnerDimensionGivesZeros) {
  Tensor r = ops::matmul(ops::zeros({3, 0}), ops::zeros({0, 2}));
  EXPECT_EQ(r.shape(), (Shape{3, 2}));
  EXPECT_EQ(r.to_vector<float>(), std::vector<float>(6, 0.0f));
}

TEST(Tensordot, MatchesNumpy) {
  EXPECT_TRUE(all_close(ops::tensordot(G("a234"), G("b345"), 2), G("tensordot_a234_b345_2")));
  EXPECT_TRUE(all_close(ops::tensordot(G("a234"), G("c425"), {0, 2}, {1, 0}), G("tensordot_a234_c425_02_10")));
  EXPECT_TRUE(all_close(ops::tensordot(G("a234"), G("c425"), {0, -1}, {-2, 0}), G("tensordot_a234_c425_02_10")));
  EXPECT_TRUE(all_close(ops::tensordot(G("a34"), G("b45"), 0), G("tensordot_a34_b45_0")));
}

TEST(Dot, MatchesNumpy) {
  EXPECT_TRUE(all_close(ops::dot(G("a34"), G("b345")), G("dot_a34_b345")));
  EXPECT_TRUE(all_close(ops::dot(G("a234"), G("b45")), G("dot_a234_b45")));
  EXPECT_TRUE(all_close(ops::dot(G("a34"), G("b45")), G("matmul_a34_b45")));
  EXPECT_TRUE(all_close(ops::dot(G("a34"), 2.0), ops::multiply(G("a34"), 2.0)));
  EXPECT_TRUE(all_close(ops::outer(G("v4"), G("a34")), G("outer_v4_a34")));
}

TEST(Einsum, MatchesNumpy) {
  EXPECT_TRUE(all_close(ops::einsum("bhqd,bhkd->bhqk", {G("q"), G("k")}), G("einsum_attention")));
  EXPECT_TRUE(all_close(ops::einsum("ij,jk->ik", {G("a34"), G("b45")}), G("einsum_ij_jk")));
  EXPECT_TRUE(all_close(ops::einsum("bij,bjk->bik", {G("a234"), G("b245")}), G("einsum_bij_bjk")));
  EXPECT_TRUE(all_close(ops::einsum("ij->ji", {G("a34")}), G("einsum_ij_ji")));
  EXPECT_TRUE(all_close(ops::einsum("ij->j", {G("a34")}), G("einsum_ij_j")));
  EXPECT_TRUE(all_close(ops::einsum("i,i->", {G("v4"), G("v4")}), G("einsum_i_i")));
  EXPECT_TRUE(all_close(ops::einsum("jk,ij", {G("b45"), G("a34")}), G("einsum_implicit")));
  EXPECT_TRUE(all_close(ops::einsum("...ij,...jk->...ik", {G("a2134"), G("b546")}), G("einsum_ellipsis")));
  EXPECT_TRUE(all_close(ops::einsum("ij,jk,kl->il", {G("a34"), G("b45"), G("c56")}), G("einsum_chain")));
  EXPECT_TRUE(all_close(ops::einsum("bij,jk->k", {G("a234"), G("b45")}), G("einsum_sum_first")));
  EXPECT_TRUE(all_close(ops::einsum(" i j , j k -> i k ", {G("a34"), G("b45")}), G("einsum_ij_jk")));
}

// ---- gradients ---------------------------------------------------------------------

TEST(MatmulGrad, PlainBatchedAndBroadcast) {
  auto mm = [](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1]); };
  EXPECT_TRUE(check_gradients(mm, {test_input({3, 4}, 1), test_input({4, 5}, 2)}));
  EXPECT_TRUE(check_gradients(mm, {test_input({2, 3, 4}, 3), test_input({2, 4, 5}, 4)}));
  // Shared right operand (the Dense case: one folded GEMM for the weight gradient).
  EXPECT_TRUE(check_gradients(mm, {test_input({2, 3, 4}, 5), test_input({4, 5}, 6)}));
  // Shared left operand, and batch dims broadcast on both sides.
  EXPECT_TRUE(check_gradients(mm, {test_input({4, 5}, 7), test_input({3, 5, 2}, 8)}));
  EXPECT_TRUE(check_gradients(mm, {test_input({2, 1, 3, 4}, 9), test_input({3, 4, 2}, 10)}));
  EXPECT_TRUE(check_gradients(mm, {test_input({4}, 11), test_input({2, 4, 3}, 12)}));
  EXPECT_TRUE(check_gradients(mm, {test_input({3, 4}, 13), test_input({4}, 14)}));
  EXPECT_TRUE(check_gradients(mm, {test_input({4}, 15), test_input({4}, 16)}));
}

TEST(MatmulGrad, Float32TransposedProductsMatchFloat64) {
  // float32 gradients run the oneDNN products with transpose flags and shared operands;
  // float64 runs the reference loop.
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{5, 7}, {7, 3}}, {{2, 5, 7}, {7, 3}}, {{7}, {2, 7, 3}}, {{4, 3, 5, 7}, {4, 1, 7, 2}}, {{70, 90}, {90, 40}}};
  for (const auto& [sa, sb] : cases) {
    std::vector<std::vector<Tensor>> grads;
    for (DType dtype : {DType::float32, DType::float64}) {
      Tensor a = test_input(sa, 71).astype(dtype);
      Tensor b = test_input(sb, 72).astype(dtype);
      GradientTape tape;
      tape.watch(a);
      tape.watch(b);
      Tensor y = ops::matmul(a, b);
      Tensor w = test_input(y.shape(), 73).astype(dtype);
      grads.push_back(tape.gradient(ops::sum(ops::multiply(y, w)), {a, b}));
    }
    EXPECT_TRUE(all_close(grads[0][0], grads[1][0], 1e-5, 1e-4)) << shape_str(sa) << " @ " << shape_str(sb);
    EXPECT_TRUE(all_close(grads[0][1], grads[1][1], 1e-5, 1e-4)) << shape_str(sa) << " @ " << shape_str(sb);
  }
}

TEST(MatmulGrad, SecondOrder) {
  // d/dA of sum(grad_B(sum(w * A·B))) exercises the gradient of the gradient products.
  Tensor a = test_input({3, 4}, 21);
  Tensor b = test_input({4, 2}, 22);
  auto f = [&](const std::vector<Tensor>& x) {
    GradientTape tape;
    tape.watch(x[1]);
    Tensor y = ops::sum(ops::square(ops::matmul(x[0], x[1])));
    return tape.gradient(y, x[1]);
  };
  EXPECT_TRUE(check_gradients(f, {a, b}));
}

TEST(TensordotGrad, IntAndAxisLists) {
  EXPECT_TRUE(check_gradients([](const std::vector<Tensor>& x) { return ops::tensordot(x[0], x[1], 2); },
                              {test_input({2, 3, 4}, 31), test_input({3, 4, 2}, 32)}));
  EXPECT_TRUE(check_gradients(
      [](const std::vector<Tensor>& x) { return ops::tensordot(x[0], x[1], {0, 2}, {1, 0}); },
      {test_input({2, 3, 4}, 33), test_input({4, 2, 3}, 34)}));
  EXPECT_TRUE(check_gradients([](const std::vector<Tensor>& x) { return ops::dot(x[0], x[1]); },
                              {test_input({2, 3}, 35), test_input({2, 3, 2}, 36)}));
  EXPECT_TRUE(check_gradients([](const std::vector<Tensor>& x) { return ops::outer(x[0], x[1]); },
                              {test_input({3}, 37), test_input({2, 2}, 38)}));
}

TEST(EinsumGrad, CommonPatterns) {
  auto es = [](const char* s) {
    return [s](const std::vector<Tensor>& x) { return ops::einsum(s, x); };
  };
  EXPECT_TRUE(check_gradients(es("bhqd,bhkd->bhqk"), {test_input({2, 2, 3, 4}, 41), test_input({2, 2, 2, 4}, 42)}));
  EXPECT_TRUE(check_gradients(es("ij,jk->ki"), {test_input({2, 3}, 43), test_input({3, 4}, 44)}));
  EXPECT_TRUE(check_gradients(es("ij->j"), {test_input({3, 4}, 45)}));
  EXPECT_TRUE(check_gradients(es("...ij,...jk->...ik"), {test_input({2, 1, 2, 3}, 46), test_input({3, 3, 2}, 47)}));
  EXPECT_TRUE(check_gradients(es("bij,jk->k"), {test_input({2, 3, 4}, 48), test_input({4, 2}, 49)}));
}

// ---- errors ------------------------------------------------------------------------

TEST(LinalgErrors, NameTheShapes) {
  expect_error<ValueError>([] { ops::matmul(ops::zeros({2, 3}), ops::zeros({4, 5})); },
                           {"Inner dimensions", "(2, 3)", "(4, 5)"});
  expect_error<ValueError>([] { ops::matmul(ops::zeros({2, 3, 4}), ops::zeros({3, 4, 5})); },
                           {"(2, 3, 4)", "(3, 4, 5)"});
  expect_error<ValueError>([] { ops::matmul(ops::zeros({3}), Tensor(2.0)); }, {"(3,)", "()"});
  expect_error<ValueError>([] { ops::tensordot(ops::zeros({2, 3}), ops::zeros({4, 5}), 1); },
                           {"(2, 3)", "(4, 5)"});
  expect_error<ValueError>([] { ops::tensordot(ops::zeros({2, 3}), ops::zeros({3}), {0, 1}, {0}); },
                           {"tensordot"});
  expect_error<ValueError>([] { ops::dot(ops::zeros({2, 3}), ops::zeros({2, 4, 5})); },
                           {"(2, 3)", "(2, 4, 5)"});
  expect_error<ValueError>([] { ops::einsum("ij,jk->ik", {ops::zeros({2, 3}), ops::zeros({4, 5})}); },
                           {"(2, 3)", "(4, 5)"});
  expect_error<ValueError>([] { ops::einsum("ij->ik", {ops::zeros({2, 3})}); }, {"'k'"});
  expect_error<ValueError>([] { ops::einsum("ij,jk->ik", {ops::zeros({2, 3})}); }, {"operand"});
  expect_error<ValueError>([] { ops::einsum("ijk->i", {ops::zeros({2, 3})}); }, {"rank 2"});
  expect_error<NotImplementedError>([] { ops::einsum("ii->i", {ops::zeros({2, 2})}); }, {"ii"});
}

// ---- meta device -------------------------------------------------------------------

TEST(LinalgMeta, ShapesWithoutData) {
  const Device meta{DeviceType::meta};
  auto m = [&](const Shape& s) { return Tensor::empty(s, DType::float32, meta); };
  EXPECT_EQ(ops::matmul(m({7, 1, 3, 4}), m({5, 4, 6})).shape(), (Shape{7, 5, 3, 6}));
  EXPECT_EQ(ops::matmul(m({4}), m({2, 4, 6})).shape(), (Shape{2, 6}));
  EXPECT_EQ(ops::tensordot(m({2, 3, 4}), m({3, 4, 5}), 2).shape(), (Shape{2, 5}));
  EXPECT_EQ(ops::dot(m({2, 3}), m({4, 3, 5})).shape(), (Shape{2, 4, 5}));
  EXPECT_EQ(ops::einsum("bhqd,bhkd->bhqk", {m({2, 8, 10, 16}), m({2, 8, 12, 16})}).shape(),
            (Shape{2, 8, 10, 12}));
  EXPECT_EQ(ops::outer(m({3}), m({2, 2})).shape(), (Shape{3, 4}));
  EXPECT_EQ(ops::matmul(m({2, 3}), m({3, 4})).device().type, DeviceType::meta);
  EXPECT_THROW(ops::matmul(m({2, 3}), m({4, 4})), ValueError);
}

}  // namespace
}  // namespace keras
