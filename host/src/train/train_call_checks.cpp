#include "train/train_call_checks.hpp"

#include <string>

#include "core/argument_checks.hpp"

namespace lossbench::detail {

void require_train_kinds(std::string_view facility, Loss loss, InputType input_type) {
  require(loss == Loss::mse || loss == Loss::bce || loss == Loss::softmax_ce, facility,
          "unknown loss value " + std::to_string(static_cast<int>(loss)) + " (expected mse, bce or softmax-ce)");
  require(input_type == InputType::f32 || input_type == InputType::u8, facility,
          "unknown input type value " + std::to_string(static_cast<int>(input_type)) + " (expected f32 or u8)");
}

void require_positive_shape(std::string_view facility, std::int64_t n, int d, int k) {
  require(n >= 1, facility, "n (rows in the batch) must be >= 1, got " + std::to_string(n));
  require(d >= 1, facility, "d (inputs per row) must be >= 1, got " + std::to_string(d));
  require(k >= 1, facility, "k (outputs per row) must be >= 1, got " + std::to_string(k));
}

void require_backend_shape(std::string_view facility, std::int64_t n, int d, int k, Backend backend) {
  require_positive_shape(facility, n, d, k);
  const TrainStepLimits limits = train_step_limits(backend);
  const std::string on = " on the " + std::string(to_string(backend)) + " backend";
  require(d <= limits.max_inputs, facility,
          "d = " + std::to_string(d) + " exceeds the " + std::to_string(limits.max_inputs) +
              " inputs per row that the fused kernel stages in shared memory" + on + " (the ref backend takes any d)");
  require(k <= limits.max_outputs, facility,
          "k = " + std::to_string(k) + " exceeds the " + std::to_string(limits.max_outputs) + " outputs per row" + on);
}

}  // namespace lossbench::detail
