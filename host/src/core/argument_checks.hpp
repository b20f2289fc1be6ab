#pragma once
// The checks every facility's validate() makes of its arguments: a failed
// condition becomes an InputError that names the facility, and arrays are
// byte ranges so that overlaps can be refused. Internal.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lossbench/core/error.hpp"

namespace lossbench::detail {

/// Throws InputError("<facility>: <message>") unless `condition` holds.
inline void require(bool condition, std::string_view facility, const std::string& message) {
  if (!condition) throw InputError(std::string(facility) + ": " + message);
}

/// The bytes [begin, end) of an array, for overlap checks.
struct ByteRange {
  std::uintptr_t begin;
  std::uintptr_t end;
  bool overlaps(const ByteRange& other) const { return begin < other.end && other.begin < end; }
};

inline ByteRange byte_range(const void* p, std::size_t bytes) {
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  return {begin, begin + bytes};
}

}  // namespace lossbench::detail
