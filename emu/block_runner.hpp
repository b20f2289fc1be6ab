#pragma once
// Runs the threads of one block as cooperative fibers on one CPU thread.
//
// The threads first run one after another as plain calls on one fiber; the
// first barrier or warp operation gives every thread not yet started a
// fiber of its own (FiberStack) and context. From then on the runner resumes
// runnable threads in the schedule's order, and a thread runs until it exits
// or waits: at __syncthreads (a counting barrier over the live
// threads) or at a warp operation (a rendezvous of the lanes in its mask).
// The last thread to arrive releases the others and goes on without a
// switch. When no thread can run but some are waiting, the block can never
// finish: the runner reports which thread waits for what instead of hanging.
//
// Switches are Boost.Context's fcontext jumps: a few registers saved in user
// space, where ucontext's swapcontext also saved the FPU state and made a
// system call for the signal mask, every time (most of an emulated softmax's
// time went there). The low-level fcontext API (make_fcontext,
// jump_fcontext), not boost::context::fiber: a suspended fcontext is a
// pointer that can be abandoned, as a ucontext could, so a block that fails
// leaves its waiting threads' stacks as they are; a fiber would be unwound
// on destruction by an exception that the threads' catch-all must not see.
#include <boost/context/detail/fcontext.hpp>

#include <array>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <random>
#include <source_location>
#include <unordered_map>
#include <vector>

#include "emu/fiber_stack.hpp"
#include "emu/options.hpp"
#include "emu/runtime.hpp"

namespace lossbench::emu {

class BlockRunner {
 public:
  BlockRunner();
  BlockRunner(const BlockRunner&) = delete;
  BlockRunner& operator=(const BlockRunner&) = delete;

  /// Runs block `block_index` of the launch; throws EmuError (or what a thread threw).
  void run(const LaunchRequest& request, uint3 block_index, const std::function<void()>& body,
           const Schedule& schedule);

  // Called by emulated device code on this runner's current thread.
  void arrive_at_barrier(const std::source_location& site);
  std::uint64_t arrive_at_warp_op(WarpOpKind kind, unsigned mask, std::uint64_t value, int param, int width);
  void* dynamic_shared() const { return dynamic_shared_.get(); }
  void poison_shared_once(void* address, std::size_t bytes);

  /// The runner of the block this CPU thread is running, or null.
  static BlockRunner* current();

 private:
  enum class State { runnable, at_barrier, at_warp_op, exited };

  using Context = boost::context::detail::fcontext_t;
  using Transfer = boost::context::detail::transfer_t;

  struct EmuThread {
    Context context = nullptr;  // where it is suspended (fiber mode)
    State state = State::runnable;
    uint3 index{0, 0, 0};
    std::source_location barrier_site;
    std::uint64_t warp_result = 0;
    void* asan_fake_stack = nullptr;
  };

  // Lanes of one warp meeting at one warp operation.
  struct Rendezvous {
    WarpOpKind kind = WarpOpKind::sync;
    unsigned mask = 0;
    unsigned arrived = 0;
    int width = 32;
    std::array<std::uint64_t, 32> values{};
    std::array<int, 32> params{};
  };

  enum class Mode { plain, fibers };

  static void fiber_entry(Transfer from_runner);
  static void plain_entry(Transfer from_runner);
  [[noreturn]] void leave_finished_fiber();
  void plain_loop();
  void to_fiber_mode();
  void run_thread_to_exit(unsigned thread);
  void switch_to(unsigned thread);
  void yield_to_runner();
  void on_thread_exit(unsigned thread);
  void release_barrier();
  void complete_rendezvous(unsigned warp, std::size_t which);
  [[noreturn]] void report_deadlock() const;
  std::vector<unsigned> round_order();
  std::string where(unsigned thread) const;
  [[noreturn]] void fail(unsigned thread, const std::string& problem) const;
  unsigned lanes_in_warp(unsigned warp) const;
  unsigned exited_lanes(unsigned warp) const;

  std::vector<EmuThread> threads_;
  std::vector<std::unique_ptr<FiberStack>> stacks_;  // per thread, then the plain loop's
  std::vector<unsigned> stack_of_;                    // which stack each thread runs on
  Mode mode_ = Mode::plain;
  std::vector<unsigned> plain_order_;  // the order the plain loop runs threads in
  std::size_t plain_next_ = 0;
  std::vector<std::vector<Rendezvous>> rendezvous_;  // per warp, the operations under way
  Context runner_context_ = nullptr;  // where the runner waits while a fiber runs
  std::unique_ptr<unsigned char[]> dynamic_shared_;
  // Static shared variables already poisoned, with the block (serial) that did it.
  std::unordered_map<void*, std::uint64_t> poisoned_shared_;
  std::uint64_t block_serial_ = 0;
  const LaunchRequest* request_ = nullptr;
  const std::function<void()>* body_ = nullptr;
  Schedule schedule_;
  std::mt19937_64 rng_;
  uint3 block_index_{0, 0, 0};
  unsigned current_ = 0;
  unsigned live_ = 0;
  unsigned at_barrier_ = 0;
  std::exception_ptr error_;
  // AddressSanitizer: the runner's own stack, learnt when a fiber first starts.
  const void* runner_stack_bottom_ = nullptr;
  std::size_t runner_stack_size_ = 0;
  void* runner_fake_stack_ = nullptr;
};

}  // namespace lossbench::emu
