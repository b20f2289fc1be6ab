# compare_pytorch.py without PyTorch: one line saying so, exit 0, and a JSON
# file with status "skipped", the reason, the device and no rows. `import
# torch` is made to fail (sys.modules['torch'] = None) so that this checks the
# skip path on a machine that has torch as well.
# Usage: cmake -DPYTHON=... -DSCRIPT=.../compare_pytorch.py -DLOSSBENCH=... -DOUT=file.json -P check_compare_pytorch_skips.cmake
file(REMOVE "${OUT}")
set(runner "import runpy, sys; sys.modules['torch'] = None; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")
execute_process(COMMAND "${PYTHON}" -c "${runner}" "${SCRIPT}" --lossbench "${LOSSBENCH}" --device cpu --out "${OUT}"
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "compare_pytorch.py exited ${status} without torch; stdout: ${output} stderr: ${errors}")
endif()
string(STRIP "${output}" output)
if(NOT output MATCHES "^compare_pytorch: PyTorch is not installed [^\n]*: skipped, status written to [^\n]+$")
  message(FATAL_ERROR "expected one line saying PyTorch is not installed, got: '${output}'")
endif()
if(NOT EXISTS "${OUT}")
  message(FATAL_ERROR "compare_pytorch.py wrote no ${OUT}")
endif()
file(READ "${OUT}" json)
string(JSON status_field ERROR_VARIABLE json_error GET "${json}" status)
if(json_error)
  message(FATAL_ERROR "${OUT} is not the expected JSON (${json_error}): ${json}")
endif()
string(JSON reason GET "${json}" reason)
string(JSON device GET "${json}" device)
string(JSON torch_version GET "${json}" torch_version)
string(JSON rows_type TYPE "${json}" rows)
string(JSON rows LENGTH "${json}" rows)
string(JSON keys LENGTH "${json}")
if(NOT status_field STREQUAL "skipped" OR NOT reason MATCHES "PyTorch is not installed" OR NOT device STREQUAL "cpu"
   OR NOT torch_version STREQUAL "" OR NOT rows_type STREQUAL "ARRAY" OR NOT rows EQUAL 0 OR NOT keys EQUAL 5)
  message(FATAL_ERROR "unexpected JSON in ${OUT}: ${json}")
endif()
file(REMOVE "${OUT}")
message(STATUS "skipped as expected: ${output}")
