#include "ops/spatial.hpp"

#include <algorithm>
#include <cctype>

#include "ops/common.hpp"

namespace keras::ops::detail {

int spatial_rank(const char* op, const Tensor& inputs) {
  switch (inputs.ndim()) {
    case 3: return 1;
    case 4: return 2;
    case 5:
      throw NotImplementedError(std::string(op) + ": 3-D inputs (rank 5) are not supported yet; "
                                "received input shape " + shape_str(inputs.shape()));
    default:
      throw ValueError(std::string("Inputs to ") + op + " operation should have ndim=3, 4, or 5, "
                       "corresponding to 1D, 2D and 3D inputs. Received input shape: " +
                       shape_str(inputs.shape()) + ".");
  }
}

bool is_channels_first(const std::string& data_format) {
  if (data_format == "channels_last") return false;
  if (data_format == "channels_first") return true;
  throw ValueError("The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
                   "Received: data_format=" + data_format);
}

std::string checked_padding(const std::string& padding) {
  std::string p = padding;
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (p != "valid" && p != "same") {
    throw ValueError("The `padding` argument must be one of 'valid', 'same'. Received: padding=" + padding);
  }
  return p;
}

std::vector<std::int64_t> per_axis(const char* op, const char* name,
                                   const std::vector<std::int64_t>& values, int rank) {
  std::vector<std::int64_t> out;
  if (values.size() == 1) {
    out.assign(static_cast<std::size_t>(rank), values[0]);
  } else if (values.size() == static_cast<std::size_t>(rank)) {
    out = values;
  } else {
    throw ValueError(std::string(op) + ": `" + name + "` must have 1 or " + std::to_string(rank) +
                     " values for " + std::to_string(rank) + "-D inputs. Received: " + name + "=(" +
                     join_ints(values) + ")");
  }
  for (std::int64_t v : out) {
    if (v < 1) {
      throw ValueError(std::string(op) + ": `" + name + "` values must be positive. Received: " +
                       name + "=(" + join_ints(values) + ")");
    }
  }
  return out;
}

Shape spatial_shape(const Shape& x, int rank, bool channels_first) {
  const auto first = channels_first ? 2 : 1;
  return Shape(x.begin() + first, x.begin() + first + rank);
}

std::int64_t channels(const Shape& x, bool channels_first) { return channels_first ? x[1] : x.back(); }

Shape image_shape(std::int64_t n, const Shape& spatial, std::int64_t c, bool channels_first) {
  Shape s{n};
  if (channels_first) s.push_back(c);
  s.insert(s.end(), spatial.begin(), spatial.end());
  if (!channels_first) s.push_back(c);
  return s;
}

WindowAxis window_axis(std::int64_t in, std::int64_t window, std::int64_t stride,
                       std::int64_t dilation, const std::string& padding, const std::string& what) {
  const std::int64_t span = dilation * (window - 1) + 1;
  WindowAxis a;
  if (padding == "valid") {
    if (in < span) {
      throw ValueError("Computed output size would be negative: an input of length " +
                       std::to_string(in) + " is shorter than the window of " + std::to_string(span) +
                       ". Received " + what + ".");
    }
    a.out = (in - span) / stride + 1;
  } else {
    a.out = (in + stride - 1) / stride;
    const std::int64_t total = std::max<std::int64_t>((a.out - 1) * stride + span - in, 0);
    a.pad_begin = total / 2;
    a.pad_end = total - a.pad_begin;
  }
  return a;
}

}  // namespace keras::ops::detail
