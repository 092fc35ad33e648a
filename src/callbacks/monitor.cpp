#include "callbacks/monitor.hpp"

#include "keras/errors.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/model.hpp"

namespace keras::callbacks {

bool monitor_minimizes(const std::string& mode, const std::string& monitor, const Model* model, const std::string& who) {
  if (mode == "min") return true;
  if (mode == "max") return false;
  const std::string name = monitor.starts_with("val_") ? monitor.substr(4) : monitor;
  if (name == "loss") return true;
  if (model) {
    if (const auto metric = model->find_metric(name); metric && !metric->direction().empty()) {
      return metric->direction() != "up";
    }
  }
  throw ValueError(who + " callback received monitor=" + monitor +
                   " but Keras isn't able to automatically determine whether that metric should be maximized or "
                   "minimized. Pass `mode='max'` in order to monitor based on the highest metric value, or pass "
                   "`mode='min'` in order to use the lowest value.");
}

double logged_learning_rate(const Model& model) {
  const auto optimizer = model.optimizer();
  if (!optimizer) throw ValueError("The model has no optimizer: call compile() first");
  return static_cast<double>(static_cast<float>(optimizer->learning_rate()));
}

}  // namespace keras::callbacks
