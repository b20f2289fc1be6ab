# Default CUDA architectures, decided before project() so that nvcc is never
# asked to probe a GPU that is not there.
#
#   - a GPU is visible (nvidia-smi lists one): "native", i.e. exactly that GPU;
#   - otherwise: one architecture, 90 (H100/H200, the project's target):
#     enough for the PTX/ptxas checks and for the emulated tests, which do not
#     use device code at all. Compiling for GPUs this machine cannot run
#     would only cost time (five architectures made a fresh ./setup take 20
#     minutes instead of 10). The many-architecture build for another
#     machine is the gpu-install preset's job.
# -DCMAKE_CUDA_ARCHITECTURES=... (or the CUDAARCHS environment variable)
# always wins.
# LOSSBENCH_CUDA_ARCHITECTURES_WHY: the reason, for the configure line.
set(LOSSBENCH_CUDA_ARCHITECTURES_WHY "as set by -D, CUDAARCHS or an earlier configure")
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
    set(LOSSBENCH_CUDA_ARCHITECTURES_WHY "the GPU visible at configure time")
  else()
    set(CMAKE_CUDA_ARCHITECTURES 90 CACHE STRING
        "CUDA architectures (no GPU visible at configure time: sm_90 only; the gpu-install preset builds more)")
    set(LOSSBENCH_CUDA_ARCHITECTURES_WHY
        "no GPU visible at configure time; -DCMAKE_CUDA_ARCHITECTURES=... or the gpu-install preset for others")
  endif()
endif()
