# lossbench_glue_code(): the code of the calling directory's targets is glue
# (option parsing, JSON, file formats, the report, tests of host logic): no
# kernel, no emulated or measured loop, nothing whose speed a user sees.
# CLI11 and nlohmann::json are header code that each file instantiates and
# optimizes again, so optimizing glue costs compile time and buys nothing:
#   - RelWithDebInfo (the default preset) compiles it at -Og, half the
#     compile time of -O2 (docs/PERF.md's build section has the figures);
#   - Debug (the asan preset, -O1 for the sake of the emulated tests' speed
#     under ASan) compiles it at -O0.
# The library's kernels, backends, reference and emulator, and the tests
# that instantiate kernels, keep the configuration's flags; Release
# (gpu-install) is unchanged.
function(lossbench_glue_code)
  add_compile_options($<$<AND:$<CONFIG:RelWithDebInfo>,$<COMPILE_LANGUAGE:CXX>>:-Og>
                      $<$<AND:$<CONFIG:Debug>,$<COMPILE_LANGUAGE:CXX>>:-O0>)
endfunction()
