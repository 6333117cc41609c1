# fmt for the static build (cmake/static.cmake points fmt_DIR here): Debian's
# libfmt-dev has no static library, so fmt::fmt is fmt header-only (FMT_HEADER_ONLY),
# compiled into meetgate. Headers are Debian's, in the default include path.
if(NOT TARGET fmt::fmt)
  add_library(fmt::fmt INTERFACE IMPORTED)
  set_target_properties(fmt::fmt PROPERTIES INTERFACE_COMPILE_DEFINITIONS FMT_HEADER_ONLY=1)
endif()
set(fmt_FOUND TRUE)
