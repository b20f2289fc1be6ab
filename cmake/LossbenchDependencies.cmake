# Third-party libraries: the system's package first (the Debian/Ubuntu names
# are in cmake/debian-packages.txt, which ./setup installs), else a pinned
# release through FetchContent for machines that lack them and have network.
#
# Missing and not fetchable stops configure at once, with one line naming the
# package to install. FetchContent alone would not: offline, its git clone
# tries 3 times over about a minute and ends in a FetchContent sub-build error
# that names no package, and URL tarballs are no better (its download step
# retries 5 times on "could not resolve host") and would need hashes that
# nobody here could compute. So the pins stay git tags, and before fetching,
# `git ls-remote` of each pinned tag (10 s at most) checks that its repository
# answers. LOSSBENCH_FETCH_DEPS=OFF never fetches.
include(FetchContent)

option(LOSSBENCH_FETCH_DEPS
  "Fetch a pinned release of a library the system lacks (needs network)" ON)

# find_package() name -> Debian package, from the `cmake=NAME` words of the list.
file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/debian-packages.txt" _lossbench_package_lines)
foreach(_line IN LISTS _lossbench_package_lines)
  if(_line MATCHES "^([^# \t]+)[^#]*[ \t]cmake=([A-Za-z0-9_]+)")
    set(_lossbench_debian_${CMAKE_MATCH_2} "${CMAKE_MATCH_1}")
  endif()
endforeach()

set(_lossbench_missing "")

# lossbench_find(package target [repository tag]): the system's package, else
# noted as missing, to be fetched from repository at tag (if given) below.
macro(lossbench_find package target)
  if("${package}" STREQUAL "ZLIB")
    find_package(ZLIB QUIET)   # a CMake find module, no config file
  else()
    find_package(${package} CONFIG QUIET)
  endif()
  if(TARGET ${target})
    message(STATUS "lossbench: using the system's ${package}")
  else()
    list(APPEND _lossbench_missing ${package})
    set(_lossbench_fetch_${package} ${ARGN})
  endif()
endmacro()

set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
set(BENCHMARK_ENABLE_TESTING OFF CACHE BOOL "" FORCE)
set(BENCHMARK_ENABLE_INSTALL OFF CACHE BOOL "" FORCE)

lossbench_find(ZLIB ZLIB::ZLIB)   # never fetched: the system's zlib or none
lossbench_find(GTest GTest::gtest_main https://github.com/google/googletest.git v1.14.0)
lossbench_find(benchmark benchmark::benchmark https://github.com/google/benchmark.git v1.8.3)
lossbench_find(CLI11 CLI11::CLI11 https://github.com/CLIUtils/CLI11.git v2.3.2)
lossbench_find(nlohmann_json nlohmann_json::nlohmann_json https://github.com/nlohmann/json.git v3.11.2)
# Google Highway: the cpu backend's SIMD and its math (hwy/contrib/math,
# header-only: linking libhwy_contrib, which holds sort and image code, would
# only add a library the install must ship).
set(HWY_ENABLE_TESTS OFF CACHE BOOL "" FORCE)
set(HWY_ENABLE_EXAMPLES OFF CACHE BOOL "" FORCE)
set(HWY_ENABLE_INSTALL OFF CACHE BOOL "" FORCE)
lossbench_find(hwy hwy::hwy https://github.com/google/highway.git 1.0.3)
# The emulator's fiber switches: Boost.Context's fcontext, linked statically
# (its library is a few hundred bytes of assembly; nothing for an install to
# ship). Never fetched: Boost is installed, not built here.
set(Boost_USE_STATIC_LIBS ON)
lossbench_find(boost_context Boost::context)
# The cpu backend's threads: the compiler's own OpenMP (libgomp with g++).
find_package(OpenMP REQUIRED COMPONENTS CXX)

# Stops configure, with one line, unless every missing library can be fetched.
function(lossbench_check_fetchable)
  set(debian "")
  set(releases "")
  set(hint "")
  foreach(package IN LISTS _lossbench_missing)
    if(DEFINED _lossbench_debian_${package})
      list(APPEND debian ${_lossbench_debian_${package}})
    else()
      list(APPEND debian "(the one providing ${package})")
    endif()
    if(_lossbench_fetch_${package})
      list(GET _lossbench_fetch_${package} 1 tag)
      list(APPEND releases "${package} ${tag}")
    else()
      set(hint "none")   # ZLIB and Boost.Context: installing is the only way
    endif()
  endforeach()
  list(JOIN releases ", " releases)

  if(NOT hint AND NOT LOSSBENCH_FETCH_DEPS)
    set(hint ", or configure with -DLOSSBENCH_FETCH_DEPS=ON to fetch ${releases}")
  endif()
  if(NOT hint)
    find_package(Git QUIET)
    if(NOT GIT_FOUND)
      set(hint ", or install git and allow network access to fetch ${releases}")
    endif()
  endif()
  if(NOT hint)
    foreach(package IN LISTS _lossbench_missing)
      string(TOUPPER "${package}" upper)
      string(TOLOWER "${package}" lower)
      # Nothing to download: fetched by an earlier configure, or given.
      if(FETCHCONTENT_FULLY_DISCONNECTED OR FETCHCONTENT_SOURCE_DIR_${upper}
         OR EXISTS "${FETCHCONTENT_BASE_DIR}/${lower}-src/CMakeLists.txt")
        continue()
      endif()
      list(GET _lossbench_fetch_${package} 0 repository)
      list(GET _lossbench_fetch_${package} 1 tag)
      execute_process(
        COMMAND ${CMAKE_COMMAND} -E env GIT_TERMINAL_PROMPT=0
                "${GIT_EXECUTABLE}" ls-remote --exit-code "${repository}" "refs/tags/${tag}"
        TIMEOUT 10 RESULT_VARIABLE result OUTPUT_QUIET ERROR_QUIET)
      if(NOT result EQUAL 0)
        set(hint ", or allow network access to fetch ${releases} (${repository} did not answer)")
        break()
      endif()
    endforeach()
  endif()
  if(NOT hint)
    return()
  elseif(hint STREQUAL "none")
    set(hint "")
  endif()

  list(LENGTH _lossbench_missing count)
  list(JOIN _lossbench_missing ", " names)
  list(JOIN debian " " debian)
  set(plural "")
  if(count GREATER 1)
    set(plural "s")
  endif()
  # The leading space keeps CMake from wrapping the line.
  message(FATAL_ERROR
    " lossbench: ${names} not found: install the Debian package${plural} ${debian} (./setup does)${hint}")
endfunction()

if(_lossbench_missing)
  lossbench_check_fetchable()
  foreach(_package IN LISTS _lossbench_missing)
    list(GET _lossbench_fetch_${_package} 0 _repository)
    list(GET _lossbench_fetch_${_package} 1 _tag)
    message(STATUS "lossbench: ${_package} not found on the system, fetching ${_tag}")
    FetchContent_Declare(${_package} GIT_REPOSITORY "${_repository}" GIT_TAG "${_tag}" GIT_SHALLOW TRUE)
  endforeach()
  FetchContent_MakeAvailable(${_lossbench_missing})
  # A fetched Highway names its targets without the namespace of its package.
  if(TARGET hwy AND NOT TARGET hwy::hwy)
    add_library(hwy::hwy ALIAS hwy)
  endif()
endif()

include(GoogleTest)
