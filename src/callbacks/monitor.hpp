#pragma once
// Keras 3's MonitorCallback._set_monitor_op: whether a monitored value should fall.
#include <string>

namespace keras {
class Model;
}

namespace keras::callbacks {

// "min" -> true, "max" -> false; "auto": the monitor without "val_" is "loss", or a
// compiled metric of that name whose direction is known; otherwise ValueError asking for a
// mode, naming `who` ("EarlyStopping").
bool monitor_minimizes(const std::string& mode, const std::string& monitor, const Model* model, const std::string& who);

// The learning rate as Keras logs it: its float32 variable's value, widened.
double logged_learning_rate(const Model& model);

}  // namespace keras::callbacks
