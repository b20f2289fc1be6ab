# Default CUDA architectures, decided before project() so that nvcc is never
# asked to probe a GPU that is not there.
#
#   - a GPU is visible (nvidia-smi lists one): "native", i.e. exactly that GPU;
#   - CI (environment CI=true): one architecture, 90 (H100), to keep CI short;
#   - otherwise: sm_75 (Turing) through sm_90 (Hopper) as real code, plus
#     compute_90 PTX so that newer GPUs can JIT-compile it.
# Override with -DCMAKE_CUDA_ARCHITECTURES=... as usual.
if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES AND NOT DEFINED ENV{CUDAARCHS})
  find_program(LOSSBENCH_NVIDIA_SMI nvidia-smi)
  set(_lossbench_gpu_visible FALSE)
  if(LOSSBENCH_NVIDIA_SMI)
    execute_process(COMMAND "${LOSSBENCH_NVIDIA_SMI}" -L
                    RESULT_VARIABLE _smi_result OUTPUT_VARIABLE _smi_out ERROR_QUIET)
    if(_smi_result EQUAL 0 AND _smi_out MATCHES "GPU [0-9]+:")
      set(_lossbench_gpu_visible TRUE)
    endif()
  endif()
  if(_lossbench_gpu_visible)
    set(CMAKE_CUDA_ARCHITECTURES native CACHE STRING "CUDA architectures (a GPU was visible at configure time)")
  elseif("$ENV{CI}" STREQUAL "true")
    set(CMAKE_CUDA_ARCHITECTURES 90 CACHE STRING "CUDA architectures (CI builds one)")
  else()
    set(CMAKE_CUDA_ARCHITECTURES "75-real;80-real;86-real;89-real;90" CACHE STRING
        "CUDA architectures (no GPU visible: sm_75..sm_90 plus compute_90 PTX)")
  endif()
endif()
