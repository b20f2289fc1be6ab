# lossbench_glue_code(): the code of the calling directory's targets is glue
# (option parsing, JSON, file formats, the report, tests of host logic): no
# kernel, no emulated or measured loop, nothing whose speed a user sees. In
# RelWithDebInfo, the default preset's build, it is compiled at -Og, which
# halves its compile time against -O2 (CLI11 and nlohmann::json are header
# code that each file instantiates and optimizes again; docs/PERF.md's build
# section has the figures). The library's kernels, backends, reference and
# emulator, and the tests that instantiate kernels, stay at -O2; Release
# (gpu-install) and Debug (asan) builds are unchanged.
function(lossbench_glue_code)
  add_compile_options($<$<AND:$<CONFIG:RelWithDebInfo>,$<COMPILE_LANGUAGE:CXX>>:-Og>)
endfunction()
