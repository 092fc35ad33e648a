#pragma once
// Learning-rate schedules (keras.optimizers.schedules): the learning rate as a function of
// the optimizer's 0-based step count. The concrete schedules are in
// keras/optimizers/schedules.hpp.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace keras::optimizers::schedules {

class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule();
  virtual double operator()(std::int64_t step) const = 0;
  virtual std::string class_name() const = 0;
  virtual nlohmann::json get_config() const = 0;
};

using LearningRateSchedulePtr = std::shared_ptr<const LearningRateSchedule>;

}  // namespace keras::optimizers::schedules
