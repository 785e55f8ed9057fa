# embed.cmake — a text file as a C string, for the report's CSS and JavaScript:
#   cmake -DIN=FILE -DOUT=FILE.c -DNAME=SYMBOL -P cmake/embed.cmake
file(READ "${IN}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," content "${content}")
get_filename_component(base "${IN}" NAME)
file(WRITE "${OUT}" "/* ${base} as a string: made by cmake/embed.cmake */\nconst char ${NAME}[] = {${content}0};\n")
