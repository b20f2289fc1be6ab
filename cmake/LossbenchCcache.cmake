# ccache in front of g++ and nvcc when it is installed (Debian's `ccache`,
# optional in debian-packages.txt): a second ./setup after a one-line change
# then recompiles that one file, and the objects whose preprocessed source is
# unchanged come from the cache. LOSSBENCH_CCACHE=OFF turns it off; a
# launcher given as CMAKE_<LANG>_COMPILER_LAUNCHER is left as it is.
option(LOSSBENCH_CCACHE "Compile through ccache when it is installed" ON)
if(LOSSBENCH_CCACHE)
  find_program(LOSSBENCH_CCACHE_PROGRAM ccache)
  if(LOSSBENCH_CCACHE_PROGRAM)
    foreach(lang IN ITEMS CXX CUDA)
      if(NOT DEFINED CMAKE_${lang}_COMPILER_LAUNCHER)
        set(CMAKE_${lang}_COMPILER_LAUNCHER "${LOSSBENCH_CCACHE_PROGRAM}")
      endif()
    endforeach()
    message(STATUS "lossbench: compiling through ${LOSSBENCH_CCACHE_PROGRAM}")
  endif()
endif()
