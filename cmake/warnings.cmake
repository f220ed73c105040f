# Warnings for our own targets. Third-party headers come in as SYSTEM includes
# (OpenCV 4.6 warns under C++20), so these flags only judge our code.
add_library(conveyor_warnings INTERFACE)
target_compile_options(conveyor_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wnull-dereference
  # GCC 12 false positive inside std::string concatenation (GCC bug 105329).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
