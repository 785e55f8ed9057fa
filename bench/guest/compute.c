/* compute.c — CPU work with no system calls and no faults after start-up:
 * a tiny bytecode interpreter (an indirect branch per instruction, as in
 * every interpreter) running a loop of 900 million bytecodes. What a CPU
 * backend costs the program's own instructions. The exit status is the
 * low bits of the result, so that the work cannot be optimized away. */
#include "ulib.h"
enum { OP_ADD, OP_XOR, OP_SHL, OP_SHR, OP_MUL, OP_DEC, OP_JNZ, OP_HALT };
static const unsigned char program[] = {
    OP_ADD, OP_XOR, OP_SHL, OP_XOR, OP_SHR, OP_MUL, OP_ADD, OP_DEC, OP_JNZ, OP_HALT,
};
void cmain(long *sp)
{
    (void)sp;
    static const void *const ops[] = { &&add, &&xor_, &&shl, &&shr, &&mul, &&dec, &&jnz, &&halt };
    unsigned long x = 88172645463325252UL, n = 900000000UL / 9;
    const unsigned char *pc = program;
#define NEXT goto *ops[*pc++]
    NEXT;
add:  x += 0x9e3779b97f4a7c15UL; NEXT;
xor_: x ^= x >> 31; NEXT;
shl:  x ^= x << 7; NEXT;
shr:  x ^= x >> 11; NEXT;
mul:  x *= 0xbf58476d1ce4e5b9UL; NEXT;
dec:  n--; NEXT;
jnz:  if (n) pc = program; NEXT;
halt: u_exit((int)(x & 0x7f));
}
