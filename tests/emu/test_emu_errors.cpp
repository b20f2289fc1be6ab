// What a failing launch looks like to the library's callers: every refusal
// of the emulated device, and every status the launchers check, is a
// lossbench::BackendError naming CUDA's error (the CLI prints "backend
// error" and exits 1), never a bare std::runtime_error ("internal error").
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "backends/launch/kernel_launch.cuh"
#include "kernels/elementwise.cuh"
#include "lossbench/core/error.hpp"

namespace lossbench {
namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const BackendError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no BackendError thrown";
  return "";
}

TEST(EmuErrors, ARefusedLaunchIsABackendErrorNamingCudasError) {
  std::vector<float> x(4, 1.0f), y(4, 0.0f);
  const std::string message = message_of([&] {
    launch(&test_kernels::axpy_grid_stride, dim3(1), dim3(2048), 0, default_stream(), 1.0f, x.data(), y.data(),
           std::int64_t{4});
  });
  EXPECT_NE(message.find("cudaErrorInvalidConfiguration"), std::string::npos) << message;
}

TEST(EmuErrors, ACheckedStatusNamesWhatWasAskedAndCudasError) {
  EXPECT_NO_THROW(check_status(cudaSuccess, "anything"));
  EXPECT_EQ(message_of([] { check_status(cudaErrorInvalidValue, "asking for 300000 bytes of shared memory"); }),
            "asking for 300000 bytes of shared memory failed: cudaErrorInvalidValue (invalid argument)");
}

TEST(EmuErrors, SharedMemoryBeyondTheDeviceIsRefusedWithCudasCode) {
  const auto kernel = &test_kernels::axpy_grid_stride;
  EXPECT_EQ(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 227 * 1024), cudaSuccess);
  EXPECT_EQ(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 227 * 1024 + 1),
            cudaErrorInvalidValue);
}

}  // namespace
}  // namespace lossbench
