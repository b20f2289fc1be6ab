# LOSSBENCH_CUDA = AUTO | ON | OFF
#   AUTO: build the CUDA targets when a CUDA compiler is found, otherwise build
#         everything else (CPU reference, emulator, CLI, tests) without it.
#   ON:   a CUDA compiler is required.
#   OFF:  nvcc is never used, even when installed.
set(LOSSBENCH_CUDA AUTO CACHE STRING "Build the CUDA backend: AUTO, ON or OFF")
set_property(CACHE LOSSBENCH_CUDA PROPERTY STRINGS AUTO ON OFF)

set(LOSSBENCH_HAVE_CUDA OFF)
if(LOSSBENCH_CUDA STREQUAL "OFF")
  message(STATUS "lossbench: CUDA disabled (LOSSBENCH_CUDA=OFF)")
elseif(LOSSBENCH_CUDA STREQUAL "ON" OR LOSSBENCH_CUDA STREQUAL "AUTO")
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    enable_language(CUDA)
    # CMake 3.25 does not know that nvcc 12+ takes C++20 and refuses any
    # target that needs it (our C++20 targets with .cu sources do); tell it.
    if(NOT DEFINED CMAKE_CUDA20_STANDARD_COMPILE_OPTION)
      set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
      set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
      list(APPEND CMAKE_CUDA_COMPILE_FEATURES cuda_std_20)
      set(CMAKE_CUDA20_COMPILE_FEATURES cuda_std_20)
    endif()
    set(CMAKE_CUDA_STANDARD 20)
    # One CUDA runtime, the shared libcudart, for liblossbench and the
    # executables' own .cu files alike: with CMake's default (cudart_static
    # in every target with CUDA sources) the library and an executable would
    # each hold a runtime of their own, with its own state.
    set(CMAKE_CUDA_RUNTIME_LIBRARY Shared)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    find_package(CUDAToolkit REQUIRED)
    # CUB comes from the toolkit's own CCCL package, never a separate copy.
    find_package(CCCL CONFIG REQUIRED HINTS "${CUDAToolkit_LIBRARY_DIR}/cmake")
    set(LOSSBENCH_HAVE_CUDA ON)
    message(STATUS "lossbench: CUDA enabled, architectures: ${CMAKE_CUDA_ARCHITECTURES} "
                   "(${LOSSBENCH_CUDA_ARCHITECTURES_WHY})")
  elseif(LOSSBENCH_CUDA STREQUAL "ON")
    message(FATAL_ERROR "lossbench: LOSSBENCH_CUDA=ON but no CUDA compiler was found. "
                        "Install the CUDA Toolkit, set CMAKE_CUDA_COMPILER, or use LOSSBENCH_CUDA=AUTO|OFF.")
  else()
    message(STATUS "lossbench: no CUDA compiler found, building without the CUDA backend")
  endif()
else()
  message(FATAL_ERROR "lossbench: LOSSBENCH_CUDA must be AUTO, ON or OFF, got '${LOSSBENCH_CUDA}'")
endif()
