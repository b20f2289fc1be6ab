#include "emu/runtime.hpp"

#include <cxxabi.h>
#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "emu/block_runner.hpp"
#include "emu/options.hpp"

namespace lossbench::emu {
namespace {

BlockRunner& runner_for_device_call(const char* what) {
  BlockRunner* runner = BlockRunner::current();
  if (runner == nullptr) throw EmuError(std::string(what) + " called outside an emulated kernel");
  return *runner;
}

// One runner per CPU thread, kept for the thread's lifetime so that its fiber
// stacks are reused from block to block and launch to launch.
BlockRunner& this_threads_runner() {
  thread_local BlockRunner runner;
  return runner;
}

std::string dims(dim3 d) {
  return "(" + std::to_string(d.x) + ", " + std::to_string(d.y) + ", " + std::to_string(d.z) + ")";
}

}  // namespace

void sync_threads(const std::source_location& site) { runner_for_device_call("__syncthreads")
    .arrive_at_barrier(site); }

std::uint64_t warp_op(WarpOpKind kind, unsigned mask, std::uint64_t value, int param, int width) {
  return runner_for_device_call("a warp operation").arrive_at_warp_op(kind, mask, value, param, width);
}

void* dynamic_shared_memory() { return runner_for_device_call("dynamic shared memory").dynamic_shared(); }

void poison_shared_once_per_block(void* address, std::size_t bytes) {
  runner_for_device_call("static shared memory").poison_shared_once(address, bytes);
}

namespace {

struct SharedOptIns {
  std::mutex mutex;
  std::map<const void*, std::size_t> bytes;
};

SharedOptIns& shared_opt_ins() {
  static SharedOptIns opt_ins;
  return opt_ins;
}

std::size_t max_dynamic_shared(const void* kernel) {
  SharedOptIns& o = shared_opt_ins();
  std::lock_guard lock(o.mutex);
  const auto found = o.bytes.find(kernel);
  return found == o.bytes.end() ? std::size_t{48 * 1024} : found->second;
}

}  // namespace

bool set_max_dynamic_shared(const void* kernel, int bytes) {
  if (bytes < 0 || bytes > kMaxDynamicSharedOptIn) return false;
  SharedOptIns& o = shared_opt_ins();
  std::lock_guard lock(o.mutex);
  o.bytes[kernel] = static_cast<std::size_t>(bytes);
  return true;
}

void check_launch_configuration(const LaunchRequest& r) {
  const auto refuse = [&](const std::string& error, const std::string& why) {
    throw EmuError("launch of " + r.kernel_name + " <<<" + dims(r.grid) + ", " + dims(r.block) + ", " +
                   std::to_string(r.shared_bytes) + ">>> failed: " + error + ": " + why);
  };
  constexpr const char* kInvalidConfiguration = "cudaErrorInvalidConfiguration (invalid configuration argument)";
  if (r.grid.x == 0 || r.grid.y == 0 || r.grid.z == 0) refuse(kInvalidConfiguration, "a grid dimension is 0");
  if (r.block.x == 0 || r.block.y == 0 || r.block.z == 0) refuse(kInvalidConfiguration, "a block dimension is 0");
  const std::uint64_t threads = std::uint64_t{r.block.x} * r.block.y * r.block.z;
  if (threads > 1024) {
    refuse(kInvalidConfiguration, std::to_string(threads) + " threads per block, the limit is 1024");
  }
  if (r.block.x > 1024 || r.block.y > 1024 || r.block.z > 64) {
    refuse(kInvalidConfiguration, "block dimensions over (1024, 1024, 64)");
  }
  if (r.grid.x > 2147483647u || r.grid.y > 65535 || r.grid.z > 65535) {
    refuse(kInvalidConfiguration, "grid dimensions over (2^31 - 1, 65535, 65535)");
  }
  const std::size_t shared_limit = max_dynamic_shared(r.kernel);
  if (r.shared_bytes > shared_limit) {
    refuse("cudaErrorInvalidValue (invalid argument)",
           std::to_string(r.shared_bytes) + " bytes of dynamic shared memory, over the " +
               std::to_string(shared_limit) + " this kernel may use (48 KiB unless it opted in to more with " +
               "cudaFuncSetAttribute(..., cudaFuncAttributeMaxDynamicSharedMemorySize, ...))");
  }
}

void run_grid(const LaunchRequest& request, const std::function<void()>& body) {
  check_launch_configuration(request);
  const Options options = current_options();
  const std::uint64_t blocks = std::uint64_t{request.grid.x} * request.grid.y * request.grid.z;
  const auto block_index = [&](std::uint64_t linear) {
    return uint3{static_cast<unsigned>(linear % request.grid.x),
                 static_cast<unsigned>(linear / request.grid.x % request.grid.y),
                 static_cast<unsigned>(linear / (std::uint64_t{request.grid.x} * request.grid.y))};
  };
  const unsigned workers = static_cast<unsigned>(std::min<std::uint64_t>(options.workers, blocks));
  if (workers <= 1) {
    BlockRunner& runner = this_threads_runner();
    for (std::uint64_t b = 0; b < blocks; ++b) runner.run(request, block_index(b), body, options.schedule);
    return;
  }
  // Blocks on several CPU threads: worker w runs blocks w, w + workers, ...
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  std::vector<std::thread> pool;
  for (unsigned w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      try {
        BlockRunner& runner = this_threads_runner();
        for (std::uint64_t b = w; b < blocks && !failed.load(); b += workers) {
          runner.run(request, block_index(b), body, options.schedule);
        }
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed = true;
      }
    });
  }
  for (std::thread& t : pool) t.join();
  if (first_error) std::rethrow_exception(first_error);
}

std::string function_name(const void* address) {
  Dl_info info{};
  if (dladdr(address, &info) != 0 && info.dli_sname != nullptr) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(info.dli_sname, nullptr, nullptr, &status),
                                                      std::free);
    return status == 0 && demangled ? demangled.get() : info.dli_sname;
  }
  std::ostringstream s;
  s << "kernel at " << address << " (link with -rdynamic for its name)";
  return s.str();
}

}  // namespace lossbench::emu
