#include "keras/callbacks/callback.hpp"

#include "keras/model.hpp"

namespace keras::callbacks {

Callback::~Callback() = default;

void History::on_train_begin(Logs&) { epoch.clear(); }

void History::on_epoch_end(std::int64_t e, Logs& logs) {
  epoch.push_back(e);
  for (const auto& [k, v] : logs) history[k].push_back(v);
}

}  // namespace keras::callbacks
