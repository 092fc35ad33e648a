#pragma once
// keras::callbacks: everything fit / evaluate / predict can call back into.
#include "keras/callbacks/callback.hpp"
#include "keras/callbacks/csv_logger.hpp"
#include "keras/callbacks/early_stopping.hpp"
#include "keras/callbacks/lambda_callback.hpp"
#include "keras/callbacks/learning_rate_scheduler.hpp"
#include "keras/callbacks/progbar_logger.hpp"
#include "keras/callbacks/reduce_lr_on_plateau.hpp"
#include "keras/callbacks/terminate_on_nan.hpp"
#include "keras/callbacks/backup_and_restore.hpp"
#include "keras/callbacks/model_checkpoint.hpp"
