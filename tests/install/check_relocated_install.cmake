# Installs the build tree into a temporary prefix, MOVES the folder elsewhere,
# and checks that the moved copy stands alone, as it must on a GPU machine
# that has none of our build dependencies:
#   1. the expected files are there: bin/lossbench, bin/lossbench_bench,
#      lib/liblossbench.so (which holds the kernels, once), every
#      test_gpu_* executable of the build tree under libexec/lossbench/, the
#      scripts under share/lossbench/;
#   2. no installed ELF file has an RPATH or RUNPATH entry that is not relative
#      to $ORIGIN (the build tree, the toolkit's folder), and the executables
#      have exactly $ORIGIN/../lib (bin/) or $ORIGIN/../../lib (libexec/lossbench/);
#   3. `ldd` (with LD_LIBRARY_PATH unset) of every installed executable and
#      library resolves each library to the moved lib/ folder, or is a base
#      system library, or is one that only the GPU machine provides (the
#      driver and cuBLAS): those are excused and listed as such, nothing else;
#   4. with MAX_MB, the whole folder is at most that many MiB;
#   5. the moved copy runs: `bin/lossbench report --quick --out DIR` writes
#      its report (the no-GPU path here); the benchmark and the GPU test
#      executables load and list their cases; compare_pytorch.py starts.
#
# The lists below are this test's own statement of what may be missing from
# lib/, written apart from the exclusions of cmake/LossbenchInstall.cmake on
# purpose: a library wrongly excluded there fails here.
#
# Usage: cmake -DBUILD_DIR=... -DSOURCE_DIR=... [-DCONFIG=...] [-DCUDA_LIBRARY_DIR=...]
#              [-DMAX_MB=60] [-DPYTHON=python3] -P check_relocated_install.cmake

# Base Debian/Ubuntu system: glibc, the GCC runtime, zlib (what apt needs).
set(system_library "^(ld-linux-x86-64\\.so\\.2|lib(c|m|dl|pthread|rt|resolv|util)\\.so\\.[0-9]+|libstdc\\+\\+\\.so\\.6|libgcc_s\\.so\\.1|libz\\.so\\.1)$")
# Only on the GPU machine: the driver (matches its kernel module) and cuBLAS
# (from its CUDA 13 runtime install; 600 MB with cuBLASLt, too large to ship).
set(gpu_machine_library "^(libcuda\\.so\\.1|libcublas\\.so\\.13|libcublasLt\\.so\\.13)$")

set(problems "")
macro(problem text)
  list(APPEND problems "${text}")
endmacro()

if(DEFINED ENV{TMPDIR} AND IS_DIRECTORY "$ENV{TMPDIR}")
  set(temp_root "$ENV{TMPDIR}")
else()
  set(temp_root /tmp)
endif()
string(RANDOM LENGTH 10 ALPHABET abcdefghijklmnopqrstuvwxyz0123456789 tag)
set(work "${temp_root}/lossbench-install-test-${tag}")
set(prefix "${work}/installed")
set(moved "${work}/elsewhere/lossbench")
file(MAKE_DIRECTORY "${work}/elsewhere")

function(finish)
  file(REMOVE_RECURSE "${work}")
  if(problems)
    list(JOIN problems "\n  " text)
    message(FATAL_ERROR "the installed and moved copy is not self-contained:\n  ${text}")
  endif()
endfunction()

# 1. Install, move, and check the files.
set(config_args "")
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}" ${config_args}
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  problem("cmake --install failed (${status}): ${errors}")
  finish()
endif()
file(RENAME "${prefix}" "${moved}")
message(STATUS "installed into ${prefix}, moved to ${moved}")

foreach(file bin/lossbench bin/lossbench_bench lib/liblossbench.so share/lossbench/plot.py share/lossbench/plot_training.py
             share/lossbench/compare_pytorch.py share/lossbench/lossbench_compare/__init__.py)
  if(NOT EXISTS "${moved}/${file}")
    problem("${file} is not installed")
  endif()
endforeach()
if(EXISTS "${SOURCE_DIR}/docs/predictions.json" AND NOT EXISTS "${moved}/share/lossbench/predictions.json")
  problem("docs/predictions.json exists but share/lossbench/predictions.json is not installed (reconfigure?)")
endif()

# Every test_gpu_* executable of the build tree, and nothing else, in libexec/lossbench.
file(GLOB_RECURSE built LIST_DIRECTORIES false "${BUILD_DIR}/tests/test_gpu_*")
set(expected_tests "")
foreach(path IN LISTS built)
  get_filename_component(name "${path}" NAME)
  if(name MATCHES "^test_gpu_[A-Za-z0-9_]+$" AND NOT path MATCHES "/CMakeFiles/")
    list(APPEND expected_tests "${name}")
  endif()
endforeach()
file(GLOB installed_test_paths LIST_DIRECTORIES false "${moved}/libexec/lossbench/*")
set(installed_tests "")
foreach(path IN LISTS installed_test_paths)
  get_filename_component(name "${path}" NAME)
  list(APPEND installed_tests "${name}")
endforeach()
list(SORT expected_tests)
list(SORT installed_tests)
if(NOT expected_tests)
  problem("the build tree has no test_gpu_* executable (is it built?)")
elseif(NOT installed_tests STREQUAL expected_tests)
  problem("libexec/lossbench holds [${installed_tests}] but the build tree has [${expected_tests}]")
endif()

# 2. RPATH and RUNPATH of every installed ELF file.
file(GLOB_RECURSE installed LIST_DIRECTORIES false "${moved}/*")
set(elf_files "")
set(executables "")
foreach(path IN LISTS installed)
  if(IS_SYMLINK "${path}")
    continue()
  endif()
  file(READ "${path}" magic LIMIT 4 HEX)
  if(NOT magic STREQUAL "7f454c46")
    continue()
  endif()
  list(APPEND elf_files "${path}")
  file(RELATIVE_PATH relative "${moved}" "${path}")
  file(READ_ELF "${path}" RPATH rpath RUNPATH runpath CAPTURE_ERROR elf_error)
  if(elf_error)
    problem("${relative}: cannot read its ELF header: ${elf_error}")
    continue()
  endif()
  set(entries "${rpath}:${runpath}")
  string(REPLACE ":" ";" entries "${entries}")
  foreach(entry IN LISTS entries)
    if(entry STREQUAL "")
      continue()
    endif()
    if(NOT entry MATCHES "^\\$ORIGIN(/|$)")
      problem("${relative}: RPATH/RUNPATH entry '${entry}' is not relative to $ORIGIN")
    endif()
  endforeach()
  if(relative MATCHES "^bin/")
    set(wanted "$ORIGIN/../lib")
  elseif(relative MATCHES "^libexec/lossbench/")
    set(wanted "$ORIGIN/../../lib")
  else()
    continue()
  endif()
  list(APPEND executables "${path}")
  if(NOT "${rpath}${runpath}" STREQUAL wanted)
    problem("${relative}: RPATH '${rpath}', RUNPATH '${runpath}'; expected ${wanted}")
  endif()
endforeach()

# 3. What the loader finds for each, with nothing but the files themselves.
file(REAL_PATH "${moved}/lib" moved_lib)
set(shipped "")
set(system "")
set(excused "")
foreach(path IN LISTS elf_files)
  file(RELATIVE_PATH relative "${moved}" "${path}")
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env --unset=LD_LIBRARY_PATH ldd "${path}"
                  RESULT_VARIABLE status OUTPUT_VARIABLE listing ERROR_VARIABLE errors)
  if(NOT status EQUAL 0)
    problem("${relative}: ldd failed (${status}): ${errors}")
    continue()
  endif()
  string(REPLACE "\n" ";" lines "${listing}")
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*([^ \t]+) => (.+) \\(0x[0-9a-f]+\\)$")
      set(name "${CMAKE_MATCH_1}")
      set(found "${CMAKE_MATCH_2}")
    elseif(line MATCHES "^[ \t]*([^ \t]+) => not found")
      set(name "${CMAKE_MATCH_1}")
      set(found "")
    else()
      continue()  # linux-vdso.so.1 and the loader's own line: no file to find
    endif()
    set(found_real "${found}")
    if(NOT found STREQUAL "")
      # Relative to the real lib/ folder: a bare file name when it is in there.
      file(REAL_PATH "${found}" found_real)
      string(FIND "${found_real}" "${moved_lib}/" at)
      if(at EQUAL 0)
        string(LENGTH "${moved_lib}/" skip)
        string(SUBSTRING "${found_real}" ${skip} -1 found_real)
      endif()
    endif()
    if(found STREQUAL "")
      if(name MATCHES "${gpu_machine_library}")
        list(APPEND excused "${name} (not found here)")
      else()
        problem("${relative}: ${name} not found")
      endif()
    elseif(found_real MATCHES "^[^/]+$")
      list(APPEND shipped "${name}")
    elseif(name MATCHES "${system_library}")
      list(APPEND system "${name}")
    elseif(name MATCHES "${gpu_machine_library}")
      list(APPEND excused "${name} (found here at ${found})")
    else()
      problem("${relative}: ${name} resolves to ${found}, outside the install: "
              "a machine without our build dependencies lacks it")
    endif()
  endforeach()
endforeach()
foreach(list_name shipped system excused)
  list(REMOVE_DUPLICATES ${list_name})
  list(SORT ${list_name})
  list(JOIN ${list_name} ", " ${list_name}_text)
endforeach()
message(STATUS "from lib/: ${shipped_text}")
message(STATUS "from the base system: ${system_text}")
message(STATUS "excused, the GPU machine provides them: ${excused_text}")

# 4. Size.
set(total 0)
foreach(path IN LISTS installed)
  if(NOT IS_SYMLINK "${path}")
    file(SIZE "${path}" bytes)
    math(EXPR total "${total} + ${bytes}")
  endif()
endforeach()
math(EXPR total_kib "${total} / 1024")
message(STATUS "installed folder: ${total_kib} KiB")
if(MAX_MB)
  math(EXPR limit "${MAX_MB} * 1024 * 1024")
  if(total GREATER limit)
    problem("the installed folder holds ${total_kib} KiB, over the ${MAX_MB} MiB limit")
  endif()
endif()

# 5. Run it. The libraries excused above as not found here are taken from
# CUDA_LIBRARY_DIR through LD_LIBRARY_PATH, as the GPU machine's loader path
# would give them: a folder of links to exactly those, nothing else.
set(run_env --unset=LD_LIBRARY_PATH)
set(missing_here "")
foreach(entry IN LISTS excused)
  if(entry MATCHES "^([^ ]+) \\(not found here\\)$")
    list(APPEND missing_here "${CMAKE_MATCH_1}")
  endif()
endforeach()
if(missing_here AND CUDA_LIBRARY_DIR)
  set(links "${work}/gpu-machine-libraries")
  file(MAKE_DIRECTORY "${links}")
  foreach(name IN LISTS missing_here)
    if(EXISTS "${CUDA_LIBRARY_DIR}/${name}")
      file(CREATE_LINK "${CUDA_LIBRARY_DIR}/${name}" "${links}/${name}" SYMBOLIC)
    endif()
  endforeach()
  set(run_env "LD_LIBRARY_PATH=${links}")
endif()

function(run_installed)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env ${run_env} ${ARGN}
                  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
  set(run_status "${status}" PARENT_SCOPE)
  set(run_output "${output}" PARENT_SCOPE)
  set(run_errors "${errors}" PARENT_SCOPE)
endfunction()

if(NOT problems)
  run_installed("${moved}/bin/lossbench" report --quick --out "${work}/report")
  if(NOT run_status EQUAL 0)
    problem("bin/lossbench report --quick exited ${run_status}: ${run_output}${run_errors}")
  endif()
  foreach(file report.md report.json)
    if(NOT EXISTS "${work}/report/${file}")
      problem("bin/lossbench report --quick wrote no ${file}")
    endif()
  endforeach()

  run_installed("${moved}/bin/lossbench_bench" --benchmark_list_tests=true)
  if(NOT run_status EQUAL 0 OR NOT run_output MATCHES "cpu_reference/")
    problem("bin/lossbench_bench --benchmark_list_tests exited ${run_status}: ${run_errors}")
  endif()
  foreach(name IN LISTS installed_tests)
    run_installed("${moved}/libexec/lossbench/${name}" --gtest_list_tests)
    if(NOT run_status EQUAL 0 OR NOT run_output MATCHES "\n  [A-Za-z]")
      problem("libexec/lossbench/${name} --gtest_list_tests exited ${run_status}: ${run_errors}")
    endif()
  endforeach()
  if(PYTHON)
    run_installed("${PYTHON}" "${moved}/share/lossbench/compare_pytorch.py" --help)
    if(NOT run_status EQUAL 0 OR NOT run_output MATCHES "--lossbench")
      problem("share/lossbench/compare_pytorch.py --help exited ${run_status}: ${run_errors}")
    endif()
  endif()
endif()

finish()
message(STATUS "the moved install is self-contained")
