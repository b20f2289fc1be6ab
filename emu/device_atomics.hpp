#pragma once
// CUDA's atomic functions for the emulator, through std::atomic_ref: real
// atomics, since blocks may run on several CPU threads at once.
#include <atomic>

template <class T>
T atomicAdd(T* address, T value) {
  return std::atomic_ref<T>(*address).fetch_add(value);
}

template <class T>
T atomicExch(T* address, T value) {
  return std::atomic_ref<T>(*address).exchange(value);
}

template <class T>
T atomicCAS(T* address, T compare, T value) {
  std::atomic_ref<T>(*address).compare_exchange_strong(compare, value);
  return compare;  // the old value, whether or not it was replaced
}

namespace lossbench::emu {

// Applies new = update(old) atomically and returns old.
template <class T, class Update>
T atomic_update(T* address, Update update) {
  std::atomic_ref<T> ref(*address);
  T old = ref.load();
  while (!ref.compare_exchange_weak(old, update(old))) {
  }
  return old;
}

}  // namespace lossbench::emu

template <class T>
T atomicMax(T* address, T value) {
  return lossbench::emu::atomic_update(address, [value](T old) { return old < value ? value : old; });
}

template <class T>
T atomicMin(T* address, T value) {
  return lossbench::emu::atomic_update(address, [value](T old) { return value < old ? value : old; });
}

/// ((old >= limit) ? 0 : old + 1), as CUDA defines it.
inline unsigned atomicInc(unsigned* address, unsigned limit) {
  return lossbench::emu::atomic_update(address, [limit](unsigned old) { return old >= limit ? 0u : old + 1u; });
}

