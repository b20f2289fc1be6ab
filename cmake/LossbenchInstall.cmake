# `cmake --install build/<preset> --prefix DIR`: a folder that runs on another
# x86-64 Linux machine with an NVIDIA driver and the CUDA runtime (cuBLAS)
# but none of our build dependencies, wherever it is copied to:
#
#   DIR/bin/                 lossbench, lossbench_bench       RUNPATH $ORIGIN/../lib
#   DIR/libexec/lossbench/   the GPU test executables, test_gpu_*   RUNPATH $ORIGIN/../../lib
#   DIR/lib/                 liblossbench (the kernels, backends and API, so the
#                            GPU code is here once), RUNPATH $ORIGIN, and the
#                            shared libraries they need that such a machine lacks
#   DIR/share/lossbench/     plot scripts, compare_pytorch.py and its module, predictions.json
#
# The `gpu-install` preset builds for it (Release, named architectures,
# stripped); tests/install checks an installed and moved copy.
#
# What goes in lib/ is found, not listed: install(RUNTIME_DEPENDENCY_SET)
# resolves, at install time and as the loader would, every shared library
# the executables need (and what those need), and copies all of it except
# the libraries named below. An
# explicit list would go stale the day a dependency changes (Google
# Benchmark's soname differs between Debian and a fetched build; GoogleTest
# is static from Debian but may be shared elsewhere; a sanitizer build needs
# libasan), and would then fail only on the other machine. Here a library
# nobody thought of is shipped, and one that cannot be resolved fails the
# install, here.
#
# Left out, by name:
#   - the base system: glibc (libc, libm, libdl, libpthread, librt, ld-linux),
#     the GCC runtime libstdc++ and libgcc_s, and zlib: present on every
#     Debian/Ubuntu system (apt itself needs them). The target's glibc and
#     libstdc++ must be at least as new as the build machine's.
#   - the driver, libcuda.so.1: it must match the kernel module, so it can
#     only be the target's (the CUDA runtime dlopens it; nothing links it).
#   - cuBLAS, libcublas.so.13 and libcublasLt.so.13: the target's CUDA 13
#     runtime install provides them, found through the loader path. They
#     weigh about 54 MB and 540 MB, far over the folder's 60 MB budget, so
#     we cannot ship our copy.
# The CUDA runtime itself, libcudart.so.13 (0.7 MB, which CUDA::cudart links
# as a shared library), is not excluded: it is shipped, so the target needs
# only a driver new enough for CUDA 13 and cuBLAS 13.
set(LOSSBENCH_INSTALL_SYSTEM_LIBRARIES
    "^ld-linux.*\\.so"
    "^lib(c|m|dl|pthread|rt|resolv|util)\\.so"
    "^lib(stdc\\+\\+|gcc_s)\\.so"
    "^libz\\.so")
set(LOSSBENCH_INSTALL_GPU_MACHINE_LIBRARIES
    "^libcuda\\.so"
    "^libcublas(Lt)?\\.so")

option(LOSSBENCH_INSTALL_STRIP "Strip the installed executables even without `cmake --install --strip`" OFF)
if(LOSSBENCH_INSTALL_STRIP)
  # Read by the install rules below, which come after it in the same script.
  install(CODE "set(CMAKE_INSTALL_DO_STRIP TRUE)")
endif()

# The executable targets whose name matches `regex`, under `directory` and
# its subdirectories: every test_gpu_* the tests define, present and future.
function(lossbench_collect_executables directory regex out)
  set(found "")
  get_property(targets DIRECTORY "${directory}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE" AND target MATCHES "${regex}")
      list(APPEND found ${target})
    endif()
  endforeach()
  get_property(subdirectories DIRECTORY "${directory}" PROPERTY SUBDIRECTORIES)
  foreach(subdirectory IN LISTS subdirectories)
    lossbench_collect_executables("${subdirectory}" "${regex}" below)
    list(APPEND found ${below})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

lossbench_collect_executables("${PROJECT_SOURCE_DIR}/tests" "^test_gpu_" lossbench_gpu_tests)
list(SORT lossbench_gpu_tests)

set_target_properties(lossbench lossbench_bench PROPERTIES INSTALL_RPATH "$ORIGIN/../lib")
set_target_properties(${lossbench_gpu_tests} PROPERTIES INSTALL_RPATH "$ORIGIN/../../lib")
# liblossbench finds what it needs (the CUDA runtime, Highway, ...) beside
# itself: a RUNPATH applies to the file that has it, not to what it loads.
set_target_properties(lossbench_runtime PROPERTIES INSTALL_RPATH "$ORIGIN")

install(TARGETS lossbench_runtime RUNTIME_DEPENDENCY_SET lossbench_runtime_libraries
        LIBRARY DESTINATION lib)
install(TARGETS lossbench lossbench_bench RUNTIME_DEPENDENCY_SET lossbench_runtime_libraries
        RUNTIME DESTINATION bin)
install(TARGETS ${lossbench_gpu_tests} RUNTIME_DEPENDENCY_SET lossbench_runtime_libraries
        RUNTIME DESTINATION libexec/lossbench)

set(_lossbench_library_directories "")
if(LOSSBENCH_HAVE_CUDA)
  # Where the CUDA runtime is resolved from should the build's RUNPATH not
  # name the toolkit's folder (CMake adds it today).
  list(APPEND _lossbench_library_directories "${CUDAToolkit_LIBRARY_DIR}")
endif()
install(RUNTIME_DEPENDENCY_SET lossbench_runtime_libraries
        PRE_EXCLUDE_REGEXES ${LOSSBENCH_INSTALL_SYSTEM_LIBRARIES} ${LOSSBENCH_INSTALL_GPU_MACHINE_LIBRARIES}
        DIRECTORIES ${_lossbench_library_directories}
        LIBRARY DESTINATION lib)

# Scripts: the plots, and the PyTorch comparison with its module (it imports
# lossbench_compare from its own folder).
install(PROGRAMS bench/plot.py bench/plot_training.py bench/compare_pytorch.py DESTINATION share/lossbench)
install(DIRECTORY bench/lossbench_compare DESTINATION share/lossbench
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
# The predictions `lossbench report` compares its measurements with; the
# file comes with the report command, so only when it exists at configure time.
if(EXISTS "${PROJECT_SOURCE_DIR}/docs/predictions.json")
  install(FILES docs/predictions.json DESTINATION share/lossbench)
endif()
