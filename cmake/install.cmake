# `cmake --install`: the executable, the kernel library, the example pipelines,
# and the engine as a CMake package: find_package(conveyor) -> conveyor::conv.
include(CMakePackageConfigHelpers)

if(TARGET conveyor)
  install(TARGETS conveyor RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(TARGETS conveyor_media LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/conveyor)
endif()
install(FILES configs/kernels.yaml DESTINATION ${CMAKE_INSTALL_DATADIR}/conveyor/configs OPTIONAL)
install(DIRECTORY pipelines/ DESTINATION ${CMAKE_INSTALL_DATADIR}/conveyor/pipelines FILES_MATCHING PATTERN "*.yaml")

install(TARGETS conveyor_conv EXPORT conveyorTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/conveyor/conv DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/conveyor)
install(EXPORT conveyorTargets NAMESPACE conveyor:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/conveyor)

configure_package_config_file(cmake/conveyorConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/conveyorConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/conveyor)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/conveyorConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/conveyorConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/conveyorConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/conveyor)
