// einsum: subscripts are parsed into labels, labels used by one operand only are summed
// away first, and the operands are then contracted pairwise, left to right, each pair as
// one batched product (labels shared and kept are the batch, shared and dropped are
// contracted). The result is transposed to the requested order at the end.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "keras/ops/linalg.hpp"
#include "ops/batched_matmul.hpp"
#include "graph/symbolic.hpp"
#include "ops/common.hpp"

namespace keras::ops {

namespace {

// A letter's label is its character; ellipsis dimensions get kEllipsis + (their position
// counted from the right), so they line up across operands as broadcasting does.
using Label = int;
using Labels = std::vector<Label>;
constexpr Label kEllipsis = 1000;

struct Term {
  Tensor x;
  Labels labels;
};

[[noreturn]] void bad(const std::string& subscripts, const std::string& why) {
  throw ValueError("einsum: invalid subscripts '" + subscripts + "': " + why);
}

// Labels of one operand's subscripts, "..." expanded against the operand's rank.
Labels parse_operand(const std::string& subscripts, const std::string& part, std::int64_t ndim) {
  Labels letters_before;
  Labels letters_after;
  bool ellipsis = false;
  for (std::size_t i = 0; i < part.size(); ++i) {
    if (part.compare(i, 3, "...") == 0) {
      if (ellipsis) bad(subscripts, "more than one ellipsis in an operand");
      ellipsis = true;
      i += 2;
    } else if (std::isalpha(static_cast<unsigned char>(part[i]))) {
      (ellipsis ? letters_after : letters_before).push_back(part[i]);
    } else {
      bad(subscripts, std::string("unexpected character '") + part[i] + "'");
    }
  }
  const auto letters = static_cast<std::int64_t>(letters_before.size() + letters_after.size());
  if (ellipsis ? letters > ndim : letters != ndim) {
    bad(subscripts, "operand '" + part + "' does not match an input of rank " + std::to_string(ndim));
  }
  Labels labels = letters_before;
  for (std::int64_t e = ndim - letters; e > 0; --e) labels.push_back(kEllipsis + static_cast<Label>(e - 1));
  labels.insert(labels.end(), letters_after.begin(), letters_after.end());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (std::count(labels.begin(), labels.end(), labels[i]) > 1) {
      throw NotImplementedError("einsum: a label repeated within one operand ('" + part +
                                "', a diagonal) is not supported");
    }
  }
  return labels;
}

// numpy's implicit output: ellipsis dimensions, then the letters used exactly once, sorted.
Labels implicit_output(const std::vector<Term>& terms, int ellipsis_rank) {
  Labels out;
  for (int e = ellipsis_rank; e > 0; --e) out.push_back(kEllipsis + e - 1);
  std::map<Label, int> uses;
  for (const auto& t : terms) {
    for (Label l : t.labels) {
      if (l < kEllipsis) ++uses[l];
    }
  }
  for (const auto& [label, count] : uses) {
    if (count == 1) out.push_back(label);
  }
  return out;
}

Labels explicit_output(const std::string& subscripts, const std::string& part, int ellipsis_rank,
                       const std::set<Label>& known) {
  Labels out;
  for (std::size_t i = 0; i < part.size(); ++i) {
    if (part.compare(i, 3, "...") == 0) {
      for (int e = ellipsis_rank; e > 0; --e) out.push_back(kEllipsis + e - 1);
      i += 2;
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(part[i]))) {
      bad(subscripts, std::string("unexpected character '") + part[i] + "' in the output");
    }
    if (known.count(part[i]) == 0) {
      bad(subscripts, std::string("output label '") + part[i] + "' is in no operand");
    }
    if (std::find(out.begin(), out.end(), part[i]) != out.end()) {
      bad(subscripts, std::string("output label '") + part[i] + "' appears twice");
    }
    out.push_back(part[i]);
  }
  return out;
}

bool contains(const Labels& labels, Label l) {
  return std::find(labels.begin(), labels.end(), l) != labels.end();
}

std::size_t position(const Labels& labels, Label l) {
  return static_cast<std::size_t>(std::find(labels.begin(), labels.end(), l) - labels.begin());
}

// x's axes reordered to `order` (a permutation of its labels).
Tensor permuted(const Term& t, const Labels& order) {
  std::vector<std::int64_t> perm;
  for (Label l : order) perm.push_back(static_cast<std::int64_t>(position(t.labels, l)));
  return transpose(t.x, perm);
}

bool in_order(const Term& t, const Labels& order) { return order == t.labels; }

std::int64_t dim_of(const Term& t, Label l) { return t.x.shape()[position(t.labels, l)]; }

// Sums away the labels of t that no other operand and not the output use.
Term drop_unused(const Term& t, const std::vector<Term>& terms, std::size_t self, const Labels& output) {
  std::vector<std::int64_t> axes;
  Term kept{Tensor(), {}};
  for (std::size_t i = 0; i < t.labels.size(); ++i) {
    bool used = contains(output, t.labels[i]);
    for (std::size_t j = 0; j < terms.size() && !used; ++j) used = j != self && contains(terms[j].labels, t.labels[i]);
    if (used) {
      kept.labels.push_back(t.labels[i]);
    } else {
      axes.push_back(static_cast<std::int64_t>(i));
    }
  }
  kept.x = axes.empty() ? t.x : sum(t.x, Axes(axes));
  return kept;
}

// The contraction of x and y keeping the labels in `keep`.
Term contract(const Term& x, const Term& y, const Labels& keep, const std::string& subscripts) {
  Labels batch, contracted, free_x, free_y;
  for (Label l : x.labels) {
    if (contains(y.labels, l)) {
      (contains(keep, l) ? batch : contracted).push_back(l);
    } else {
      free_x.push_back(l);
    }
  }
  for (Label l : y.labels) {
    if (!contains(x.labels, l)) free_y.push_back(l);
  }
  Shape batch_shape;
  for (Label l : batch) {
    const std::int64_t a = dim_of(x, l);
    const std::int64_t b = dim_of(y, l);
    if (a != b && a != 1 && b != 1) {
      bad(subscripts, "operands do not broadcast: shapes " + shape_str(x.x.shape()) + " and " +
                          shape_str(y.x.shape()));
    }
    batch_shape.push_back(std::max(a, b));
  }
  std::int64_t k = 1;
  for (Label l : contracted) {
    if (dim_of(x, l) != dim_of(y, l)) {
      bad(subscripts, "a summed label has sizes " + std::to_string(dim_of(x, l)) + " and " +
                          std::to_string(dim_of(y, l)) + " in shapes " + shape_str(x.x.shape()) +
                          " and " + shape_str(y.x.shape()));
    }
    k *= dim_of(x, l);
  }
  // One operand as (batch, rows, contracted), or (batch, contracted, rows) transposed when
  // that is the order it already has.
  auto arrange = [&](const Term& t, const Labels& rows, bool contracted_last, bool& trans) {
    auto order = [&](bool c_last) {
      Labels o = batch;
      const Labels& first = c_last ? rows : contracted;
      const Labels& second = c_last ? contracted : rows;
      o.insert(o.end(), first.begin(), first.end());
      o.insert(o.end(), second.begin(), second.end());
      return o;
    };
    trans = !in_order(t, order(contracted_last)) && in_order(t, order(!contracted_last));
    Tensor p = permuted(t, order(contracted_last != trans));
    std::int64_t own_batch = 1;
    std::int64_t r = 1;
    Shape full;
    for (Label l : batch) full.push_back(dim_of(t, l));
    for (Label l : batch) own_batch *= dim_of(t, l);
    for (Label l : rows) r *= dim_of(t, l);
    if (own_batch != 1 && full != batch_shape) {
      Shape target = batch_shape;
      for (std::size_t i = batch.size(); i < p.shape().size(); ++i) target.push_back(p.shape()[i]);
      p = broadcast_to(p, target);
      own_batch = shape_size(batch_shape);
    }
    const bool rows_first = contracted_last != trans;
    return reshape(p, rows_first ? Shape{own_batch, r, k} : Shape{own_batch, k, r});
  };
  bool ta = false;
  bool tb = false;
  const Tensor a = arrange(x, free_x, true, ta);
  const Tensor b = arrange(y, free_y, false, tb);
  Shape shape = batch_shape;
  for (Label l : free_x) shape.push_back(dim_of(x, l));
  for (Label l : free_y) shape.push_back(dim_of(y, l));
  Labels labels = batch;
  labels.insert(labels.end(), free_x.begin(), free_x.end());
  labels.insert(labels.end(), free_y.begin(), free_y.end());
  return {reshape(detail::batched_matmul(a, b, ta, tb), shape), labels};
}

}  // namespace

Tensor einsum(const std::string& subscripts, const std::vector<Tensor>& operands) {
  KERAS_SYMBOLIC_OP_ON("einsum", operands, einsum(subscripts, in));
  std::string spec;
  for (char ch : subscripts) {
    if (ch != ' ') spec += ch;
  }
  if (operands.empty()) bad(subscripts, "no operands");
  const auto arrow = spec.find("->");
  const std::string inputs = spec.substr(0, arrow);
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const auto comma = inputs.find(',', start);
    parts.push_back(inputs.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (parts.size() != operands.size()) {
    bad(subscripts, std::to_string(parts.size()) + " operand subscripts for " +
                        std::to_string(operands.size()) + " operands");
  }
  std::vector<Tensor> strong;
  for (const auto& x : operands) {
    detail::require_defined(x, "einsum", "operands");
    strong.push_back(detail::strong(x));
  }
  const DType dtype = detail::result_type(strong);
  const DType compute = dtype == DType::bool_ ? DType::int32 : dtype;
  const Device device = detail::common_device(strong);
  std::vector<Term> terms;
  std::set<Label> known;
  int ellipsis_rank = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    Term t{detail::as_operand(strong[i], compute, device), parse_operand(subscripts, parts[i], strong[i].ndim())};
    for (Label l : t.labels) {
      known.insert(l);
      if (l >= kEllipsis) ellipsis_rank = std::max(ellipsis_rank, l - kEllipsis + 1);
    }
    terms.push_back(std::move(t));
  }
  const Labels output = arrow == std::string::npos
                            ? implicit_output(terms, ellipsis_rank)
                            : explicit_output(subscripts, spec.substr(arrow + 2), ellipsis_rank, known);
  for (std::size_t i = 0; i < terms.size(); ++i) terms[i] = drop_unused(terms[i], terms, i, output);
  Term acc = terms[0];
  for (std::size_t i = 1; i < terms.size(); ++i) {
    // Labels still needed: the output's and those of operands not yet contracted.
    Labels keep = output;
    for (std::size_t j = i + 1; j < terms.size(); ++j) keep.insert(keep.end(), terms[j].labels.begin(), terms[j].labels.end());
    acc = contract(acc, terms[i], keep, subscripts);
  }
  Tensor out = in_order(acc, output) ? acc.x : permuted(acc, output);
  return dtype == DType::bool_ ? not_equal(out, 0) : out;
}

}  // namespace keras::ops
