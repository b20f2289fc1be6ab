# Runs COMMAND with ARGS and fails unless it exits with EXPECTED_STATUS.
execute_process(COMMAND ${COMMAND} ${ARGS} RESULT_VARIABLE status ERROR_VARIABLE stderr)
if(NOT status EQUAL EXPECTED_STATUS)
  message(FATAL_ERROR "expected exit status ${EXPECTED_STATUS}, got ${status}; stderr: ${stderr}")
endif()
message(STATUS "exit status ${status} as expected; stderr: ${stderr}")
