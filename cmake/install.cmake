# `cmake --install` puts the public headers, libdvidxfer, libdvidxfer_server, the command-line tool
# and a CMake package config in place, so that another project can
#   find_package(dvidxfer) and link dvidxfer::dvidxfer (and dvidxfer::server).
include(CMakePackageConfigHelpers)

install(TARGETS dvidxfer dvidxfer_server EXPORT dvidxferTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS dvidxfer_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Public headers: the API, and the Asio-free basics and codecs it mentions.
install(DIRECTORY api/include/dvidxfer common/include/dvidxfer codecs/include/dvidxfer
                  server/include/dvidxfer
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT dvidxferTargets NAMESPACE dvidxfer:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dvidxfer)
configure_package_config_file(cmake/dvidxferConfig.cmake.in
  ${PROJECT_BINARY_DIR}/dvidxferConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dvidxfer)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/dvidxferConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/dvidxferConfig.cmake ${PROJECT_BINARY_DIR}/dvidxferConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/dvidxfer)
