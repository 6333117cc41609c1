# The `static` preset (MEETGATE_STATIC=ON): one fully static meetgate, the binary of
# the FROM scratch image. Included by CMakeLists.txt before any find_package, so the
# packages below resolve to static libraries; the default build never reads this.

# Poco: Debian ships no static library, so scripts/build-static.sh builds it from
# Debian's source package into a cache; a fresh machine gets it built right here.
if(DEFINED ENV{MEETGATE_STATIC_DEPS})
  set(meetgate_default_deps "$ENV{MEETGATE_STATIC_DEPS}")
else()
  set(meetgate_default_deps /var/cache/meetgate-static)
endif()
set(MEETGATE_STATIC_DEPS "${meetgate_default_deps}" CACHE PATH
    "Cache of scripts/build-static.sh: the static Poco")
if(NOT EXISTS "${MEETGATE_STATIC_DEPS}/poco/lib/cmake/Poco/PocoConfig.cmake")
  message(STATUS "No static Poco in ${MEETGATE_STATIC_DEPS}: scripts/build-static.sh --deps-only")
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env MEETGATE_STATIC_DEPS=${MEETGATE_STATIC_DEPS}
            ${CMAKE_SOURCE_DIR}/scripts/build-static.sh --deps-only
    RESULT_VARIABLE meetgate_deps_result)
  if(NOT meetgate_deps_result EQUAL 0)
    message(FATAL_ERROR "scripts/build-static.sh --deps-only failed (${meetgate_deps_result})")
  endif()
endif()
set(Poco_DIR "${MEETGATE_STATIC_DEPS}/poco/lib/cmake/Poco" CACHE PATH "" FORCE)

# fmt: Debian ships only the shared library; this fmt::fmt is fmt header-only.
set(fmt_DIR "${CMAKE_CURRENT_LIST_DIR}/static-fmt" CACHE PATH "" FORCE)

# nettle and libidn (through pkg-config) and glibc: their .a files. Sections let the
# linker drop what is never called; -s strips, as the image ships no debugger.
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
add_compile_options(-ffunction-sections -fdata-sections)
add_link_options(-static -s -Wl,--gc-sections)
