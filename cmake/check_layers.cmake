# The walls between the layers of sim/, checked at every build: a file may
# include the headers of its own layer and of the layers below it, and the
# third-party headers its layer is the home of; anything else fails the
# build with the file, the line and the rule. docs/developing.md explains
# the layers.
#
# cmake -DSOURCE_DIR=<repository> -P check_layers.cmake
cmake_minimum_required(VERSION 3.20)

# What each layer may include from sim/ (besides itself).
set(below_engine "")
set(below_input engine)
set(below_model engine input)
set(below_interventions engine input model)
set(below_scenario engine input model interventions)
set(below_output engine)
set(below_run engine input model interventions scenario output)
set(below_sweep engine input model interventions scenario output run)
set(below_calibrate engine input model interventions scenario output run)
set(below_app engine input model interventions scenario output run sweep calibrate)
set(below_python engine input model interventions scenario output run sweep calibrate)
set(layers engine input model interventions scenario output run sweep calibrate app python)

# Third-party headers and the one layer (or folder) that may include them.
set(library_homes
    "tbb/=engine"
    "hdf5=output" "H5=output"
    "yaml-cpp/=input"
    "mpi.h=run/mpi|sweep/mpi"
    "CLI/=app"
    "pybind11/=python" "Python.h=python"
    "Eigen/=calibrate")

file(GLOB_RECURSE sources RELATIVE "${SOURCE_DIR}/sim" "${SOURCE_DIR}/sim/*.hpp" "${SOURCE_DIR}/sim/*.cpp")
set(problems "")
foreach(source IN LISTS sources)
  string(REGEX MATCH "^[^/]+" layer "${source}")
  if(NOT layer IN_LIST layers)
    string(APPEND problems "sim/${source}: sim/${layer}/ is not a layer (cmake/check_layers.cmake lists them)\n")
    continue()
  endif()
  file(STRINGS "${SOURCE_DIR}/sim/${source}" lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS lines)
    if(line MATCHES "#[ \t]*include[ \t]*\"([^/\"]+)/")
      set(used "${CMAKE_MATCH_1}")
      if(used STREQUAL "fraudsim" OR used STREQUAL layer)  # the generated version header; its own layer
        continue()
      endif()
      if(NOT used IN_LIST below_${layer})
        string(APPEND problems "sim/${source}: ${line}: sim/${layer}/ may not use sim/${used}/\n")
      endif()
    elseif(line MATCHES "#[ \t]*include[ \t]*<([^>]+)>")
      set(header "${CMAKE_MATCH_1}")
      foreach(entry IN LISTS library_homes)
        string(REPLACE "=" ";" pair "${entry}")
        list(GET pair 0 prefix)
        list(GET pair 1 homes)
        string(FIND "${header}" "${prefix}" at)
        if(at EQUAL 0 AND NOT source MATCHES "^(${homes})/")
          string(APPEND problems "sim/${source}: ${line}: <${prefix}...> belongs in sim/${homes}/ only\n")
        endif()
      endforeach()
    endif()
  endforeach()
endforeach()
if(problems)
  message(NOTICE "${problems}")  # unwrapped: one line per problem
  message(FATAL_ERROR "includes across the walls between layers (docs/developing.md); see above")
endif()
