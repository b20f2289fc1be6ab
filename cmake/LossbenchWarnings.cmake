# Warnings for our own targets only (never for fetched dependencies).
# LOSSBENCH_WERROR defaults to ON under CI (environment CI=true).
if("$ENV{CI}" STREQUAL "true")
  set(_lossbench_werror_default ON)
else()
  set(_lossbench_werror_default OFF)
endif()
option(LOSSBENCH_WERROR "Treat warnings as errors in lossbench's own targets" ${_lossbench_werror_default})

function(lossbench_set_warnings target)
  set(cxx_warnings -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
  if(LOSSBENCH_WERROR)
    list(APPEND cxx_warnings -Werror)
  endif()
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${cxx_warnings}>)
  if(LOSSBENCH_HAVE_CUDA)
    # ptxas reports register spills and local memory, which a memory-bound
    # kernel must not have; under LOSSBENCH_WERROR they fail the build.
    set(cuda_warnings -Xcompiler=-Wall,-Wextra -Xptxas=-warn-spills,-warn-lmem-usage)
    if(LOSSBENCH_WERROR)
      list(APPEND cuda_warnings -Werror=all-warnings -Xptxas=--warning-as-error)
    endif()
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:${cuda_warnings}>)
  endif()
endfunction()
