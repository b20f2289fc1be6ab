#pragma once
// Streams and graphs for the emulator: what CUDA's stream capture and CUDA
// Graphs give host code, so that code that records a sequence of launches
// once and replays it (backends/launch/launch_sequence.cuh) runs unchanged.
//
// The emulator runs a launch when it is made, so a stream is only a name,
// except while it is captured: then launch() records the launch (its
// configuration and its arguments, by value, as a graph's kernel node holds
// them) instead of running it, and a replay runs the recorded launches in
// order. As on a GPU, a configuration error is reported when the launch is
// recorded, and what the kernels read and write is whatever memory holds at
// replay time.
#include <functional>
#include <vector>

namespace lossbench::emu {

struct Graph {
  std::vector<std::function<void()>> launches;  // in stream order
};

}  // namespace lossbench::emu

namespace lossbench {

/// A stream: the default stream is nullptr, which, as in CUDA, cannot be captured.
struct EmuStream {
  emu::Graph* capture = nullptr;  // the graph being recorded, while captured
};

}  // namespace lossbench
