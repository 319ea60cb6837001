# Checks the public headers' namespace hygiene:
#   - no `using namespace` at namespace (or global) scope; inside a function body it is allowed;
#   - every declaration is inside namespace hipaa (or a namespace nested in it).
#
#   cmake -DHEADERS_DIR=<repo>/include/hipaa -P check-public-headers.cmake
#
# The check works on the text with comments, string and character literals and preprocessor lines
# removed, so it understands braces but is not a C++ parser: raw string literals are not handled.
cmake_minimum_required(VERSION 3.25)

if(NOT HEADERS_DIR)
  message(FATAL_ERROR "usage: cmake -DHEADERS_DIR=<include/hipaa> -P ${CMAKE_CURRENT_LIST_FILE}")
endif()
file(GLOB_RECURSE headers LIST_DIRECTORIES false "${HEADERS_DIR}/*.hpp" "${HEADERS_DIR}/*.h")
list(SORT headers)
if(NOT headers)
  message(FATAL_ERROR "no headers under ${HEADERS_DIR}")
endif()

set(ws "[ \t\r\n]")
set(problems 0)
foreach(header IN LISTS headers)
  file(READ "${header}" text)
  # Comments and literals first, in one left-to-right pass so that "//" in a string or a quote in
  # a comment is taken for what it is.
  string(REGEX REPLACE
         "//[^\n]*|/\\*([^*]|\\*+[^*/])*\\*+/|\"([^\"\\\\\n]|\\\\.)*\"|'([^'\\\\\n]|\\\\.)*'"
         " " text "${text}")
  string(REGEX REPLACE "(^|\n)[ \t]*#[^\n]*" "\n" text "${text}")
  # Namespace bodies open with a backquote, which C++ code outside literals never contains.
  string(REGEX REPLACE "namespace(${ws}*[A-Za-z0-9_:]*)${ws}*{" "namespace\\1 `" text "${text}")

  # Drop every other brace block (classes, functions, initializers), innermost first. What is
  # left is namespace scope.
  set(previous "")
  while(NOT text STREQUAL previous)
    set(previous "${text}")
    string(REGEX REPLACE "{[^{}`]*}" " " text "${text}")
  endwhile()
  string(REGEX MATCHALL "using${ws}+namespace${ws}+[A-Za-z0-9_:]+" found "${text}")
  foreach(directive IN LISTS found)
    string(REGEX REPLACE "${ws}+" " " directive "${directive}")
    message(SEND_ERROR "${header}: `${directive}` at namespace scope")
    math(EXPR problems "${problems} + 1")
  endforeach()

  # Drop the namespace bodies, innermost first; what is left is global scope, which may hold
  # nothing but `namespace hipaa` (or hipaa::something) heads.
  set(previous "")
  while(NOT text STREQUAL previous)
    set(previous "${text}")
    string(REGEX REPLACE "`[^`}]*}" " " text "${text}")
  endwhile()
  string(REGEX REPLACE "${ws}+" " " text " ${text} ")
  set(previous "")
  while(NOT text STREQUAL previous)  # adjacent heads share a space: repeat
    set(previous "${text}")
    string(REGEX REPLACE " (inline )?namespace hipaa(::[A-Za-z0-9_]+)* " " " text "${text}")
  endwhile()
  string(STRIP "${text}" text)
  if(NOT text STREQUAL "")
    message(SEND_ERROR "${header}: declared outside namespace hipaa: ${text}")
    math(EXPR problems "${problems} + 1")
  endif()
endforeach()

list(LENGTH headers count)
if(problems GREATER 0)
  message(FATAL_ERROR "${problems} problem(s) in ${count} public headers")
endif()
message(STATUS "${count} public headers: no namespace-scope using-directives, all in namespace hipaa")
