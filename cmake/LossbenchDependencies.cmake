# Third-party libraries: the system's package first (Debian: libgtest-dev,
# libbenchmark-dev, libcli11-dev, nlohmann-json3-dev), else a pinned release
# through FetchContent for machines that lack them.
include(FetchContent)

macro(lossbench_find_or_fetch package target)
  find_package(${package} CONFIG QUIET)
  if(NOT TARGET ${target})
    message(STATUS "lossbench: ${package} not found on the system, fetching a pinned release")
    FetchContent_Declare(${package} ${ARGN})
    FetchContent_MakeAvailable(${package})
  else()
    message(STATUS "lossbench: using the system's ${package}")
  endif()
endmacro()

set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
lossbench_find_or_fetch(GTest GTest::gtest_main
  GIT_REPOSITORY https://github.com/google/googletest.git
  GIT_TAG v1.14.0)

set(BENCHMARK_ENABLE_TESTING OFF CACHE BOOL "" FORCE)
set(BENCHMARK_ENABLE_INSTALL OFF CACHE BOOL "" FORCE)
lossbench_find_or_fetch(benchmark benchmark::benchmark
  GIT_REPOSITORY https://github.com/google/benchmark.git
  GIT_TAG v1.8.3)

lossbench_find_or_fetch(CLI11 CLI11::CLI11
  GIT_REPOSITORY https://github.com/CLIUtils/CLI11.git
  GIT_TAG v2.3.2)

lossbench_find_or_fetch(nlohmann_json nlohmann_json::nlohmann_json
  GIT_REPOSITORY https://github.com/nlohmann/json.git
  GIT_TAG v3.11.2)

include(GoogleTest)
