# Writes the provenance header at every build, so the git commit recorded in
# output files is the one the binary was built from. configure_file() leaves
# the header untouched (and nothing rebuilds) when nothing changed.
execute_process(COMMAND git rev-parse --verify HEAD WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE git_status
                OUTPUT_VARIABLE FRAUDSIM_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT git_status EQUAL 0)
  set(FRAUDSIM_GIT_COMMIT "")
endif()
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE FRAUDSIM_GIT_DIRTY OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT FRAUDSIM_GIT_COMMIT)
  set(FRAUDSIM_GIT_COMMIT "unknown")
elseif(FRAUDSIM_GIT_DIRTY)
  set(FRAUDSIM_GIT_COMMIT "${FRAUDSIM_GIT_COMMIT}-dirty")
endif()
configure_file(${SOURCE_DIR}/sim/version.hpp.in ${OUTPUT} @ONLY)
