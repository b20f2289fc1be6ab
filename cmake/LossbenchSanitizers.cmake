# LOSSBENCH_SANITIZE=ON builds everything with AddressSanitizer and UBSan,
# including -fsanitize=bounds, which catches overruns of static arrays (such as
# emulated static __shared__ memory) that ASan's shadow memory does not see.
option(LOSSBENCH_SANITIZE "Build with -fsanitize=address,undefined,bounds" OFF)
if(LOSSBENCH_SANITIZE)
  if(LOSSBENCH_HAVE_CUDA)
    message(FATAL_ERROR "lossbench: LOSSBENCH_SANITIZE=ON needs LOSSBENCH_CUDA=OFF (nvcc does not take -fsanitize)")
  endif()
  add_compile_options(-fsanitize=address,undefined,bounds -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined,bounds)
endif()
