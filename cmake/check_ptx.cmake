# Inspects the PTX of a translation unit's kernels (ctest: ptx_fused_loss,
# ptx_train_step):
#   - every entry whose name contains ENTRY (default fused_loss_kernel)
#     issues 128-bit global loads (ld.global.v4 / ld.global.nc.v4) for its
#     packed path; or, if its (mangled) name also matches PACKED32, 32-bit
#     loads (ld.global.u32 / .b32: the training step's u8 pixels, 4 a word);
#   - no kernel uses local memory (.local: spilled or addressed arrays);
#   - ptxas, assembling it for ARCH, reports 0 bytes of stack frame and of
#     spills for every kernel.
# Usage: cmake -DPTX=<file.ptx> -DPTXAS=<ptxas> -DARCH=sm_90 [-DENTRY=<name part>] [-DPACKED32=<regex>]
#        -P check_ptx.cmake
if(NOT DEFINED ENTRY)
  set(ENTRY fused_loss_kernel)
endif()
file(READ "${PTX}" ptx)
if(ptx MATCHES "\\.local")
  string(REGEX MATCH "[^\n]*\\.local[^\n]*" line "${ptx}")
  message(FATAL_ERROR "PTX uses local memory (spills or a stack array): ${line}")
endif()
string(REGEX MATCHALL "\\.entry [A-Za-z0-9_]+" entries "${ptx}")
set(checked 0)
foreach(entry IN LISTS entries)
  string(REPLACE ".entry " "" name "${entry}")
  if(NOT name MATCHES "${ENTRY}")
    continue()
  endif()
  # The body of this entry: from its name to the next .entry (or the end).
  string(FIND "${ptx}" "${entry}" begin)
  string(SUBSTRING "${ptx}" ${begin} -1 rest)
  string(SUBSTRING "${rest}" 10 -1 after_name)
  string(FIND "${after_name}" ".entry " next)
  if(next GREATER -1)
    string(SUBSTRING "${after_name}" 0 ${next} body)
  else()
    set(body "${after_name}")
  endif()
  if(DEFINED PACKED32 AND name MATCHES "${PACKED32}")
    if(NOT body MATCHES "ld\\.global(\\.nc)?\\.[ub]32")
      message(FATAL_ERROR "${name}: no 32-bit global load (ld.global.u32) of packed pixels in its PTX")
    endif()
  elseif(NOT body MATCHES "ld\\.global(\\.nc)?\\.v4\\.")
    message(FATAL_ERROR "${name}: no 128-bit global load (ld.global.v4) in its PTX")
  endif()
  math(EXPR checked "${checked} + 1")
endforeach()
if(checked EQUAL 0)
  message(FATAL_ERROR "no ${ENTRY} entry found in ${PTX}")
endif()
execute_process(COMMAND "${PTXAS}" -arch=${ARCH} -v "${PTX}" -o /dev/null
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE report)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "ptxas failed on ${PTX}: ${report}")
endif()
string(REGEX MATCHALL "[0-9]+ bytes stack frame, [0-9]+ bytes spill stores, [0-9]+ bytes spill loads" frames "${report}")
list(LENGTH frames frame_count)
if(frame_count EQUAL 0)
  message(FATAL_ERROR "ptxas -v printed no stack frame report: ${report}")
endif()
foreach(frame IN LISTS frames)
  if(NOT frame STREQUAL "0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads")
    message(FATAL_ERROR "a kernel has a stack frame or spills (${frame}); ptxas report:\n${report}")
  endif()
endforeach()
message(STATUS "${checked} ${ENTRY} entries: 128-bit loads present, no local memory; "
               "${frame_count} functions with 0 bytes of stack frame and spills (ptxas ${ARCH})")
