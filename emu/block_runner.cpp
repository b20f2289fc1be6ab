#include "emu/block_runner.hpp"
#include "emu/runtime.hpp"  // LOSSBENCH_EMU_FAST_TLS

#include <algorithm>
#include <bit>
#include <cstring>
#include <sstream>
#include <string>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define LOSSBENCH_EMU_ASAN 1
#endif

namespace lossbench::emu {
namespace {

// Generous for kernels' locals; AddressSanitizer's redzones need the room.
constexpr std::size_t kStackBytes = 256 * 1024;
// The block runner of this CPU thread while it runs a block (initial-exec:
// every barrier and warp operation reads it; runtime.hpp says why).
thread_local LOSSBENCH_EMU_FAST_TLS BlockRunner* active_runner = nullptr;

// AddressSanitizer must be told about every switch between stacks, or it
// mistakes the other stack's frames for stack-buffer overflows.
void asan_start_switch(void** fake_stack_save, const void* bottom, std::size_t size) {
#ifdef LOSSBENCH_EMU_ASAN
  __sanitizer_start_switch_fiber(fake_stack_save, bottom, size);
#else
  (void)fake_stack_save, (void)bottom, (void)size;
#endif
}

void asan_finish_switch(void* fake_stack_save, const void** old_bottom, std::size_t* old_size) {
#ifdef LOSSBENCH_EMU_ASAN
  __sanitizer_finish_switch_fiber(fake_stack_save, old_bottom, old_size);
#else
  (void)fake_stack_save, (void)old_bottom, (void)old_size;
#endif
}

std::string hex(unsigned value) {
  std::ostringstream s;
  s << "0x" << std::hex << value;
  return s.str();
}

std::string describe(const std::source_location& site) {
  return std::string(site.file_name()) + ":" + std::to_string(site.line());
}

const char* op_name(WarpOpKind kind) {
  switch (kind) {
    case WarpOpKind::sync: return "__syncwarp";
    case WarpOpKind::shfl_idx: return "__shfl_sync";
    case WarpOpKind::shfl_up: return "__shfl_up_sync";
    case WarpOpKind::shfl_down: return "__shfl_down_sync";
    case WarpOpKind::shfl_xor: return "__shfl_xor_sync";
    case WarpOpKind::ballot: return "__ballot_sync/__any_sync/__all_sync";
  }
  return "warp operation";
}

}  // namespace

BlockRunner::BlockRunner() = default;

BlockRunner* BlockRunner::current() { return active_runner; }

std::string BlockRunner::where(unsigned thread) const {
  const uint3 t = threads_[thread].index;
  std::ostringstream s;
  s << "emulated kernel " << request_->kernel_name << ", block (" << block_index_.x << ", " << block_index_.y << ", "
    << block_index_.z << "), thread (" << t.x << ", " << t.y << ", " << t.z << ") [schedule "
    << schedule_.to_string() << "]";
  return s.str();
}

void BlockRunner::fail(unsigned thread, const std::string& problem) const {
  throw EmuError(where(thread) + ": " + problem);
}

unsigned BlockRunner::lanes_in_warp(unsigned warp) const {
  const auto remaining = static_cast<unsigned>(threads_.size()) - warp * 32;
  return remaining >= 32 ? 32u : remaining;
}

unsigned BlockRunner::exited_lanes(unsigned warp) const {
  unsigned lanes = 0;
  for (unsigned lane = 0; lane < lanes_in_warp(warp); ++lane) {
    if (threads_[warp * 32 + lane].state == State::exited) lanes |= 1u << lane;
  }
  return lanes;
}

void BlockRunner::run(const LaunchRequest& request, uint3 block_index, const std::function<void()>& body,
                      const Schedule& schedule) {
  const std::size_t n = std::size_t{request.block.x} * request.block.y * request.block.z;
  request_ = &request;
  body_ = &body;
  ++block_serial_;
  schedule_ = schedule;
  block_index_ = block_index;
  const std::uint64_t block_linear =
      (std::uint64_t{block_index.z} * request.grid.y + block_index.y) * request.grid.x + block_index.x;
  rng_.seed(schedule.seed * 0x9e3779b97f4a7c15ULL + block_linear);

  threads_.resize(n);
  // One stack per thread plus one for the plain loop (the last).
  while (stacks_.size() < n + 1) stacks_.push_back(std::make_unique<FiberStack>(kStackBytes));
  stack_of_.resize(n);
  rendezvous_.assign((n + 31) / 32, {});
  // Exact size, so that AddressSanitizer sees an overrun; poisoned, so that a
  // read of shared memory nobody wrote shows up as NaN or garbage.
  dynamic_shared_.reset(new unsigned char[request.shared_bytes == 0 ? 1 : request.shared_bytes]);
  std::memset(dynamic_shared_.get(), 0xff, request.shared_bytes);

  for (std::size_t t = 0; t < n; ++t) {
    EmuThread& thread = threads_[t];
    thread.state = State::runnable;
    thread.index = {static_cast<unsigned>(t % request.block.x),
                    static_cast<unsigned>((t / request.block.x) % request.block.y),
                    static_cast<unsigned>(t / (std::size_t{request.block.x} * request.block.y))};
    stack_of_[t] = static_cast<unsigned>(t);
  }
  live_ = static_cast<unsigned>(n);
  at_barrier_ = 0;
  error_ = nullptr;

  ::blockIdx = block_index;
  ::blockDim = request.block;
  ::gridDim = request.grid;
  BlockRunner* const outer = active_runner;
  active_runner = this;
  struct Restore {
    BlockRunner* outer;
    ~Restore() { active_runner = outer; }
  } restore{outer};

  // Cheap kernels stay fast: the threads first run one after another as plain
  // calls on one fiber, and only a thread that reaches a barrier or a warp
  // operation turns the block into one fiber per thread (see to_fiber_mode).
  mode_ = Mode::plain;
  plain_order_ = round_order();
  plain_next_ = 0;
  const FiberStack& plain = *stacks_[n];
  current_ = plain_order_.empty() ? 0 : plain_order_.front();
  asan_start_switch(&runner_fake_stack_, plain.bottom(), plain.size());
  const Transfer back = boost::context::detail::jump_fcontext(
      boost::context::detail::make_fcontext(plain.top(), plain.size(), &BlockRunner::plain_entry), nullptr);
  asan_finish_switch(runner_fake_stack_, nullptr, nullptr);
  // The plain loop ran every thread to its end, or one of them waits (its
  // context is the plain stack's now, see to_fiber_mode), or one failed.
  if (!threads_.empty() && threads_[current_].state != State::exited) threads_[current_].context = back.fctx;
  if (error_) std::rethrow_exception(error_);

  while (live_ > 0) {
    const std::vector<unsigned> order = round_order();
    if (order.empty()) report_deadlock();
    for (const unsigned t : order) {
      if (threads_[t].state != State::runnable) continue;
      switch_to(t);
      if (error_) std::rethrow_exception(error_);
    }
  }
}

void BlockRunner::poison_shared_once(void* address, std::size_t bytes) {
  std::uint64_t& poisoned_by = poisoned_shared_[address];
  if (poisoned_by == block_serial_) return;
  std::memset(address, 0xff, bytes);
  poisoned_by = block_serial_;
}

std::vector<unsigned> BlockRunner::round_order() {
  std::vector<unsigned> order;
  for (unsigned t = 0; t < threads_.size(); ++t) {
    if (threads_[t].state == State::runnable) order.push_back(t);
  }
  switch (schedule_.kind) {
    case Schedule::Kind::forward: break;
    case Schedule::Kind::reverse: std::reverse(order.begin(), order.end()); break;
    case Schedule::Kind::random: std::shuffle(order.begin(), order.end(), rng_); break;
  }
  return order;
}

void BlockRunner::plain_entry(Transfer from_runner) {
  BlockRunner* const runner = active_runner;
  runner->runner_context_ = from_runner.fctx;
  asan_finish_switch(nullptr, &runner->runner_stack_bottom_, &runner->runner_stack_size_);
  runner->plain_loop();
  runner->leave_finished_fiber();
}

void BlockRunner::leave_finished_fiber() {
  // The fiber is finished: no fake stack to keep, and no one resumes it.
  asan_start_switch(nullptr, runner_stack_bottom_, runner_stack_size_);
  boost::context::detail::jump_fcontext(runner_context_, nullptr);
  __builtin_unreachable();
}

void BlockRunner::plain_loop() {
  while (plain_next_ < plain_order_.size()) {
    const unsigned thread = plain_order_[plain_next_++];
    current_ = thread;
    ::threadIdx = threads_[thread].index;
    run_thread_to_exit(thread);
    // A thread that turned the block into fibers finished here as a fiber:
    // the others are the runner's to schedule now.
    if (mode_ == Mode::fibers || error_) return;
  }
}

void BlockRunner::to_fiber_mode() {
  // The calling thread keeps running on the plain loop's stack; every thread
  // that has not started gets its own fiber. Threads that already ran to the
  // end stay exited, as they would have on a GPU.
  mode_ = Mode::fibers;
  stack_of_[current_] = static_cast<unsigned>(threads_.size());
  for (std::size_t k = plain_next_; k < plain_order_.size(); ++k) {
    const FiberStack& stack = *stacks_[plain_order_[k]];
    threads_[plain_order_[k]].context =
        boost::context::detail::make_fcontext(stack.top(), stack.size(), &BlockRunner::fiber_entry);
  }
}

void BlockRunner::switch_to(unsigned thread) {
  current_ = thread;
  ::threadIdx = threads_[thread].index;
  const FiberStack& stack = *stacks_[stack_of_[thread]];
  asan_start_switch(&runner_fake_stack_, stack.bottom(), stack.size());
  const Transfer back = boost::context::detail::jump_fcontext(threads_[thread].context, nullptr);
  asan_finish_switch(runner_fake_stack_, nullptr, nullptr);
  // Suspended again (at a barrier or warp operation), or finished for good.
  threads_[thread].context = threads_[thread].state == State::exited ? nullptr : back.fctx;
}

void BlockRunner::yield_to_runner() {
  EmuThread& thread = threads_[current_];
  asan_start_switch(&thread.asan_fake_stack, runner_stack_bottom_, runner_stack_size_);
  runner_context_ = boost::context::detail::jump_fcontext(runner_context_, nullptr).fctx;
  asan_finish_switch(thread.asan_fake_stack, nullptr, nullptr);
}

void BlockRunner::fiber_entry(Transfer from_runner) {
  BlockRunner* const runner = active_runner;
  runner->runner_context_ = from_runner.fctx;
  asan_finish_switch(nullptr, &runner->runner_stack_bottom_, &runner->runner_stack_size_);
  runner->run_thread_to_exit(runner->current_);
  runner->leave_finished_fiber();
}

void BlockRunner::run_thread_to_exit(unsigned thread) {
  try {
    (*body_)();
  } catch (const EmuError&) {
    if (!error_) error_ = std::current_exception();
  } catch (const std::exception& e) {
    if (!error_) error_ = std::make_exception_ptr(EmuError(where(thread) + ": " + e.what()));
  } catch (...) {
    if (!error_) error_ = std::make_exception_ptr(EmuError(where(thread) + ": unknown exception"));
  }
  on_thread_exit(thread);
}

void BlockRunner::on_thread_exit(unsigned thread) {
  threads_[thread].state = State::exited;
  --live_;
  const unsigned warp = thread / 32;
  const unsigned lane_bit = 1u << (thread % 32);
  for (const Rendezvous& r : rendezvous_[warp]) {
    if ((r.mask & lane_bit) != 0 && !error_) {
      error_ = std::make_exception_ptr(EmuError(
          where(thread) + ": exits without reaching the " + op_name(r.kind) + " whose mask " + hex(r.mask) +
          " names it (lanes " + hex(r.arrived) + " wait there)"));
    }
  }
  // Exited threads no longer count: the others may now all be at the barrier.
  // This runs after the thread's own try block, so an error is stored, not thrown.
  if (at_barrier_ > 0 && at_barrier_ == live_) {
    try {
      release_barrier();
    } catch (const EmuError&) {
      if (!error_) error_ = std::current_exception();
    }
  }
}

void BlockRunner::arrive_at_barrier(const std::source_location& site) {
  if (mode_ == Mode::plain) to_fiber_mode();
  const unsigned thread = current_;
  threads_[thread].state = State::at_barrier;
  threads_[thread].barrier_site = site;
  ++at_barrier_;
  if (at_barrier_ == live_) {
    release_barrier();  // the last to arrive goes on without a switch
  } else {
    yield_to_runner();
  }
}

void BlockRunner::release_barrier() {
  const EmuThread* first = nullptr;
  unsigned first_index = 0;
  for (unsigned t = 0; t < threads_.size(); ++t) {
    const EmuThread& thread = threads_[t];
    if (thread.state != State::at_barrier) continue;
    if (first == nullptr) {
      first = &thread;
      first_index = t;
    } else if (thread.barrier_site.line() != first->barrier_site.line() ||
               std::strcmp(thread.barrier_site.file_name(), first->barrier_site.file_name()) != 0) {
      fail(t, "divergent __syncthreads: this thread waits at " + describe(thread.barrier_site) + " while thread " +
                  std::to_string(first_index) + " (linear) waits at " + describe(first->barrier_site));
    }
  }
  for (EmuThread& thread : threads_) {
    if (thread.state == State::at_barrier) thread.state = State::runnable;
  }
  at_barrier_ = 0;
}

std::uint64_t BlockRunner::arrive_at_warp_op(WarpOpKind kind, unsigned mask, std::uint64_t value, int param,
                                             int width) {
  if (mode_ == Mode::plain) to_fiber_mode();
  const unsigned thread = current_;
  const unsigned warp = thread / 32;
  const unsigned lane = thread % 32;
  const unsigned lane_bit = 1u << lane;
  if ((mask & lane_bit) == 0) {
    fail(thread, std::string(op_name(kind)) + " with mask " + hex(mask) + " that does not name the calling lane " +
                     std::to_string(lane));
  }
  const unsigned existing = lanes_in_warp(warp) == 32 ? ~0u : (1u << lanes_in_warp(warp)) - 1;
  if ((mask & ~existing) != 0) {
    fail(thread, std::string(op_name(kind)) + " mask " + hex(mask) + " names lanes that never arrive: warp " +
                     std::to_string(warp) + " has only " + std::to_string(lanes_in_warp(warp)) + " threads");
  }
  if (const unsigned gone = mask & exited_lanes(warp); gone != 0) {
    fail(thread, std::string(op_name(kind)) + " mask " + hex(mask) + " names lanes " + hex(gone) +
                     " that have exited and never arrive");
  }
  if (width < 1 || width > 32 || !std::has_single_bit(static_cast<unsigned>(width))) {
    fail(thread, std::string(op_name(kind)) + " width " + std::to_string(width) + " is not a power of 2 in [1, 32]");
  }

  std::vector<Rendezvous>& pending = rendezvous_[warp];
  auto match = std::find_if(pending.begin(), pending.end(), [&](const Rendezvous& r) { return r.mask == mask; });
  for (const Rendezvous& r : pending) {
    if (r.mask != mask && (r.mask & mask) != 0) {
      fail(thread, std::string(op_name(kind)) + " with mask " + hex(mask) + " while lanes " + hex(r.arrived) +
                       " wait at " + op_name(r.kind) + " with the overlapping mask " + hex(r.mask));
    }
  }
  if (match == pending.end()) {
    pending.push_back(Rendezvous{kind, mask, 0, width, {}, {}});
    match = pending.end() - 1;
  } else if (match->kind != kind || match->width != width) {
    fail(thread, std::string(op_name(kind)) + " (width " + std::to_string(width) + ") while lanes " +
                     hex(match->arrived) + " of the same mask wait at " + op_name(match->kind) + " (width " +
                     std::to_string(match->width) + ")");
  }
  match->values[lane] = value;
  match->params[lane] = param;
  match->arrived |= lane_bit;
  if (match->arrived == mask) {
    complete_rendezvous(warp, static_cast<std::size_t>(match - pending.begin()));
  } else {
    threads_[thread].state = State::at_warp_op;
    yield_to_runner();
  }
  return threads_[thread].warp_result;
}

void BlockRunner::complete_rendezvous(unsigned warp, std::size_t which) {
  const Rendezvous r = rendezvous_[warp][which];
  rendezvous_[warp].erase(rendezvous_[warp].begin() + static_cast<std::ptrdiff_t>(which));
  unsigned ballot = 0;
  for (unsigned lane = 0; lane < 32; ++lane) {
    if ((r.mask >> lane & 1u) != 0 && r.values[lane] != 0) ballot |= 1u << lane;
  }
  const auto w = static_cast<unsigned>(r.width);
  for (unsigned lane = 0; lane < 32; ++lane) {
    if ((r.mask >> lane & 1u) == 0) continue;
    EmuThread& thread = threads_[warp * 32 + lane];
    const unsigned segment_start = lane / w * w;
    const auto param = static_cast<unsigned>(r.params[lane]);
    unsigned source = lane;
    switch (r.kind) {
      case WarpOpKind::sync: break;
      case WarpOpKind::ballot: break;
      // Out-of-range source lanes follow the CUDA programming guide: an index
      // wraps within the lane's segment; up/down past the segment's edge and
      // xor into a later segment return the lane's own value.
      case WarpOpKind::shfl_idx: source = segment_start + param % w; break;
      case WarpOpKind::shfl_up: source = lane - segment_start >= param ? lane - param : lane; break;
      case WarpOpKind::shfl_down: source = lane - segment_start + param < w ? lane + param : lane; break;
      case WarpOpKind::shfl_xor: {
        const unsigned target = lane ^ param;
        source = target < segment_start + w ? target : lane;
        break;
      }
    }
    if (source >= 32 || (r.mask >> source & 1u) == 0) {
      fail(warp * 32 + lane, std::string(op_name(r.kind)) + " reads lane " + std::to_string(source) +
                                 ", which is not in the mask " + hex(r.mask) + " (undefined on a GPU)");
    }
    thread.warp_result = r.kind == WarpOpKind::ballot ? ballot : r.kind == WarpOpKind::sync ? 0 : r.values[source];
    if (thread.state == State::at_warp_op) thread.state = State::runnable;
  }
}

void BlockRunner::report_deadlock() const {
  // Nothing can run, yet threads wait: name one waiter and what it waits for.
  for (unsigned warp = 0; warp < rendezvous_.size(); ++warp) {
    for (const Rendezvous& r : rendezvous_[warp]) {
      const unsigned missing = r.mask & ~r.arrived;
      const unsigned waiter = warp * 32 + static_cast<unsigned>(std::countr_zero(r.arrived));
      const unsigned absent = warp * 32 + static_cast<unsigned>(std::countr_zero(missing));
      std::string absent_state = "is blocked elsewhere";
      if (threads_[absent].state == State::at_barrier) {
        absent_state = "waits at __syncthreads at " + describe(threads_[absent].barrier_site);
      }
      fail(waiter, std::string(op_name(r.kind)) + " with mask " + hex(r.mask) + " can never complete: lane " +
                       std::to_string(absent % 32) + " " + absent_state);
    }
  }
  for (unsigned t = 0; t < threads_.size(); ++t) {
    if (threads_[t].state == State::at_barrier) {
      fail(t, "__syncthreads at " + describe(threads_[t].barrier_site) +
                  " can never complete: other threads wait at warp operations");
    }
  }
  throw EmuError("emulated kernel " + request_->kernel_name + ": no thread can run but the block is not done");
}

}  // namespace lossbench::emu
