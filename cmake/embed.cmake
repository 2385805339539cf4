# Turns a file into a C array (SYMBOL, SYMBOL_len) so it ships inside the binary.
file(READ ${IN} HEX HEX)
string(LENGTH "${HEX}" HEXLEN)
math(EXPR LEN "${HEXLEN} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," BYTES "${HEX}")
file(WRITE ${OUT} "/* generated from ${IN}: do not edit */\n#include <stddef.h>\n"
     "const unsigned char ${SYMBOL}[] = {${BYTES} 0x00};\nconst size_t ${SYMBOL}_len = ${LEN};\n")
