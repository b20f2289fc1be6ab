#pragma once
// How the emulator runs a grid: the order in which the threads of a block run
// between synchronisation points, and how many CPU threads run blocks.
//
// Both come from the environment at first use and can be changed through
// this API: LOSSBENCH_EMU_SCHEDULE=forward|reverse|random:SEED and
// LOSSBENCH_EMU_WORKERS=N.
#include <cstdint>
#include <string>
#include <string_view>

namespace lossbench::emu {

/// forward: threads 0, 1, 2, ... each round; reverse: the other way round;
/// random: a fresh permutation every round, from SEED (and the block index),
/// so that a missing __syncthreads shows up as a wrong result.
struct Schedule {
  enum class Kind { forward, reverse, random };
  Kind kind = Kind::forward;
  std::uint64_t seed = 0;

  /// "forward", "reverse" or "random:SEED".
  std::string to_string() const;
  /// Parses the same forms; throws lossbench::InputError naming the text otherwise.
  static Schedule parse(std::string_view text);
};

struct Options {
  Schedule schedule;
  /// CPU threads that run blocks (each block runs on one of them). 1 keeps a
  /// grid's blocks in order, the most reproducible; more exercise atomics
  /// across blocks for real.
  unsigned workers = 1;
};

/// The options in force for the next launch.
Options current_options();
void set_schedule(Schedule schedule);
void set_workers(unsigned workers);

}  // namespace lossbench::emu
