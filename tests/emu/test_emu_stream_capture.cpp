// Stream capture and graphs in the emulator (emu/stream_capture.hpp): a
// captured launch is recorded, not run; a replay runs the recorded launches
// in order on whatever memory holds then, as often as asked; the misuses
// CUDA reports are reported with CUDA's codes; a configuration error is
// reported when the launch is recorded.
#include <gtest/gtest.h>

#include <vector>

#include "backends/launch/kernel_launch.cuh"
#include "kernels/capture.cuh"

namespace lossbench {
namespace {

using test_kernels::add_to_each;
using test_kernels::scale_each;

struct CapturedStream {
  cudaStream_t stream = nullptr;
  CapturedStream() { EXPECT_EQ(cudaStreamCreate(&stream), cudaSuccess); }
  ~CapturedStream() { cudaStreamDestroy(stream); }
};

TEST(EmuStreamCapture, RecordsInsteadOfRunningAndReplaysInOrder) {
  CapturedStream s;
  std::vector<int> values(100, 1);
  int factor = 3;
  ASSERT_EQ(cudaStreamBeginCapture(s.stream, cudaStreamCaptureModeThreadLocal), cudaSuccess);
  launch(&add_to_each, dim3(4), dim3(32), 0, s.stream, values.data(), 100, 2);
  launch(&scale_each, dim3(4), dim3(32), 0, s.stream, values.data(), 100, &factor);
  cudaGraph_t graph = nullptr;
  ASSERT_EQ(cudaStreamEndCapture(s.stream, &graph), cudaSuccess);
  EXPECT_EQ(values, std::vector<int>(100, 1)) << "nothing runs while captured";

  cudaGraphExec_t exec = nullptr;
  ASSERT_EQ(cudaGraphInstantiate(&exec, graph, 0), cudaSuccess);
  ASSERT_EQ(cudaGraphDestroy(graph), cudaSuccess) << "the executable graph outlives its graph";
  ASSERT_EQ(cudaGraphLaunch(exec, s.stream), cudaSuccess);
  EXPECT_EQ(values, std::vector<int>(100, 9)) << "(1 + 2) × 3: in the order recorded";
  factor = 10;  // arguments are values, but what a pointer argument points to is read at replay
  ASSERT_EQ(cudaGraphLaunch(exec, s.stream), cudaSuccess);
  EXPECT_EQ(values, std::vector<int>(100, 110)) << "(9 + 2) × 10";
  ASSERT_EQ(cudaGraphExecDestroy(exec), cudaSuccess);

  launch(&add_to_each, dim3(4), dim3(32), 0, s.stream, values.data(), 100, 1);
  EXPECT_EQ(values, std::vector<int>(100, 111)) << "after the capture, launches run again";
}

TEST(EmuStreamCapture, ReportsTheMisusesCudaReports) {
  cudaGraph_t graph = nullptr;
  EXPECT_EQ(cudaStreamBeginCapture(nullptr, cudaStreamCaptureModeThreadLocal), cudaErrorStreamCaptureUnsupported)
      << "the default stream cannot be captured";
  CapturedStream s;
  EXPECT_EQ(cudaStreamEndCapture(s.stream, &graph), cudaErrorStreamCaptureUnmatched) << "end without a begin";
  ASSERT_EQ(cudaStreamBeginCapture(s.stream, cudaStreamCaptureModeThreadLocal), cudaSuccess);
  EXPECT_EQ(cudaStreamBeginCapture(s.stream, cudaStreamCaptureModeThreadLocal), cudaErrorIllegalState)
      << "a second begin";
  EXPECT_EQ(cudaStreamSynchronize(s.stream), cudaErrorStreamCaptureUnsupported) << "waiting while capturing";
  ASSERT_EQ(cudaStreamEndCapture(s.stream, &graph), cudaSuccess);
  cudaGraphExec_t exec = nullptr;
  ASSERT_EQ(cudaGraphInstantiate(&exec, graph, 0), cudaSuccess);
  ASSERT_EQ(cudaStreamBeginCapture(s.stream, cudaStreamCaptureModeThreadLocal), cudaSuccess);
  EXPECT_EQ(cudaGraphLaunch(exec, s.stream), cudaErrorStreamCaptureUnsupported) << "graphs do not nest";
  cudaGraph_t second = nullptr;
  ASSERT_EQ(cudaStreamEndCapture(s.stream, &second), cudaSuccess);
  EXPECT_TRUE(second->launches.empty());
  EXPECT_EQ(cudaGraphLaunch(nullptr, s.stream), cudaErrorInvalidResourceHandle);
  EXPECT_STREQ(cudaGetErrorName(cudaErrorStreamCaptureUnsupported), "cudaErrorStreamCaptureUnsupported");
  cudaGraphExecDestroy(exec);
  cudaGraphDestroy(graph);
  cudaGraphDestroy(second);
}

TEST(EmuStreamCapture, RefusesABadConfigurationWhenRecorded) {
  CapturedStream s;
  std::vector<int> values(4, 0);
  ASSERT_EQ(cudaStreamBeginCapture(s.stream, cudaStreamCaptureModeThreadLocal), cudaSuccess);
  EXPECT_THROW(launch(&add_to_each, dim3(1), dim3(2048), 0, s.stream, values.data(), 4, 1), emu::EmuError);
  cudaGraph_t graph = nullptr;
  ASSERT_EQ(cudaStreamEndCapture(s.stream, &graph), cudaSuccess);
  EXPECT_TRUE(graph->launches.empty());
  cudaGraphDestroy(graph);
}

}  // namespace
}  // namespace lossbench
