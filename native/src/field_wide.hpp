// Double-width (512-bit) products and Montgomery reduction on four 64-bit limbs: the pieces of a Montgomery
// multiplication taken apart, so that Fq2 can add products before reducing them (lazy reduction) and squaring can
// skip the repeated cross products (docs/native-prover.md, "Field arithmetic").
// Each routine has an x86-64 MULX/ADCX/ADOX path and a portable unsigned __int128 one with the same contract.
#pragma once
#include <cstdint>
#include <cstring>

// The common tail of the ADX Montgomery routines: (r12, r8, r9, r10) < 2p, minus p where that does not borrow
// (branch-free), stored to %[r]. Clobbers rdx, r13, r14, r15.
#define ZK_ASM_REDUCE_ONCE_STORE            \
  "movq %%r12, %%r14\n\t"                   \
  "subq 0(%[p]), %%r14\n\t"                 \
  "movq %%r8, %%r13\n\t"                    \
  "sbbq 8(%[p]), %%r13\n\t"                 \
  "movq %%r9, %%rdx\n\t"                    \
  "sbbq 16(%[p]), %%rdx\n\t"                \
  "movq %%r10, %%r15\n\t"                   \
  "sbbq 24(%[p]), %%r15\n\t"                \
  "cmovncq %%r14, %%r12\n\t"                \
  "cmovncq %%r13, %%r8\n\t"                 \
  "cmovncq %%rdx, %%r9\n\t"                 \
  "cmovncq %%r15, %%r10\n\t"                \
  "movq %%r12, 0(%[r])\n\t"                 \
  "movq %%r8, 8(%[r])\n\t"                  \
  "movq %%r9, 16(%[r])\n\t"                 \
  "movq %%r10, 24(%[r])\n\t"

namespace zk {

typedef unsigned __int128 u128w;

// r[0..7] = a·b (full product, no reduction).
static inline __attribute__((always_inline)) void mulWideAdx(uint64_t r[8], const uint64_t a[4], const uint64_t b[4]) {
  asm volatile(
      "movq 0(%[b]), %%rdx\n\t"
      "mulxq 0(%[a]), %%r8, %%r9\n\t"
      "mulxq 8(%[a]), %%r14, %%r10\n\t"
      "addq %%r14, %%r9\n\t"
      "mulxq 16(%[a]), %%r14, %%r11\n\t"
      "adcq %%r14, %%r10\n\t"
      "mulxq 24(%[a]), %%r14, %%r12\n\t"
      "adcq %%r14, %%r11\n\t"
      "adcq $0, %%r12\n\t"
      "movq %%r8, 0(%[r])\n\t"
      // row 1: accumulators r9..r12, new top r8
      "movq 8(%[b]), %%rdx\n\t"
      "xorl %%r13d, %%r13d\n\t"
      "mulxq 0(%[a]), %%r14, %%r15\n\t"
      "adoxq %%r14, %%r9\n\t"
      "adcxq %%r15, %%r10\n\t"
      "mulxq 8(%[a]), %%r14, %%r15\n\t"
      "adoxq %%r14, %%r10\n\t"
      "adcxq %%r15, %%r11\n\t"
      "mulxq 16(%[a]), %%r14, %%r15\n\t"
      "adoxq %%r14, %%r11\n\t"
      "adcxq %%r15, %%r12\n\t"
      "mulxq 24(%[a]), %%r14, %%r8\n\t"
      "adoxq %%r14, %%r12\n\t"
      "adcxq %%r13, %%r8\n\t"
      "adoxq %%r13, %%r8\n\t"
      "movq %%r9, 8(%[r])\n\t"
      // row 2: accumulators r10, r11, r12, r8, new top r9
      "movq 16(%[b]), %%rdx\n\t"
      "xorl %%r13d, %%r13d\n\t"
      "mulxq 0(%[a]), %%r14, %%r15\n\t"
      "adoxq %%r14, %%r10\n\t"
      "adcxq %%r15, %%r11\n\t"
      "mulxq 8(%[a]), %%r14, %%r15\n\t"
      "adoxq %%r14, %%r11\n\t"
      "adcxq %%r15, %%r12\n\t"
      "mulxq 16(%[a]), %%r14, %%r15\n\t"
      "adoxq %%r14, %%r12\n\t"
      "adcxq %%r15, %%r8\n\t"
      "mulxq 24(%[a]), %%r14, %%r9\n\t"
      "adoxq %%r14, %%r8\n\t"
      "adcxq %%r13, %%r9\n\t"
      "adoxq %%r13, %%r9\n\t"
      "movq %%r10, 16(%[r])\n\t"
      // row 3: accumulators r11, r12, r8, r9, new top r10
      "movq 24(%[b]), %%rdx\n\t"
      "xorl %%r13d, %%r13d\n\t"
      "mulxq 0(%[a]), %%r14, %%r15\n\t"
      "adoxq %%r14, %%r11\n\t"
      "adcxq %%r15, %%r12\n\t"
      "mulxq 8(%[a]), %%r14, %%r15\n\t"
      "adoxq %%r14, %%r12\n\t"
      "adcxq %%r15, %%r8\n\t"
      "mulxq 16(%[a]), %%r14, %%r15\n\t"
      "adoxq %%r14, %%r8\n\t"
      "adcxq %%r15, %%r9\n\t"
      "mulxq 24(%[a]), %%r14, %%r10\n\t"
      "adoxq %%r14, %%r9\n\t"
      "adcxq %%r13, %%r10\n\t"
      "adoxq %%r13, %%r10\n\t"
      "movq %%r11, 24(%[r])\n\t"
      "movq %%r12, 32(%[r])\n\t"
      "movq %%r8, 40(%[r])\n\t"
      "movq %%r9, 48(%[r])\n\t"
      "movq %%r10, 56(%[r])\n\t"
      :
      : [r] "r"(r), [a] "r"(a), [b] "r"(b)
      : "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc", "memory");
}

// One word-by-word Montgomery step on the limbs x0..x4 (asm operands): m = x0·(−p^−1) mod 2^64, then
// x0..x4 += m·p in two carry chains (ADOX / ADCX), with lo:hi as MULX's scratch pair. x0 ends at 0 (it is the
// next step's top limb) and is the zero the last ADOX adds with. Used by montRedAdx and montSqrAdx.
#define ZK_MONT_STEP(x0, x1, x2, x3, x4, lo, hi)       \
  "movq " x0 ", %%rdx\n\t"                            \
  "imulq 32(%[p]), %%rdx\n\t"                         \
  "xorq " lo ", " lo "\n\t" /* clears CF and OF */    \
  "mulxq 0(%[p]), " lo ", " hi "\n\t"                 \
  "adoxq " lo ", " x0 "\n\t"                          \
  "adcxq " hi ", " x1 "\n\t"                          \
  "mulxq 8(%[p]), " lo ", " hi "\n\t"                 \
  "adoxq " lo ", " x1 "\n\t"                          \
  "adcxq " hi ", " x2 "\n\t"                          \
  "mulxq 16(%[p]), " lo ", " hi "\n\t"                \
  "adoxq " lo ", " x2 "\n\t"                          \
  "adcxq " hi ", " x3 "\n\t"                          \
  "mulxq 24(%[p]), " lo ", " hi "\n\t"                \
  "adoxq " lo ", " x3 "\n\t"                          \
  "adcxq " hi ", " x4 "\n\t"                          \
  "adoxq " x0 ", " x4 "\n\t"

// r = t·2^−256 mod p for t < p·2^256 (four word-by-word Montgomery steps on the low half, then the high half added
// and one conditional subtraction); pinv points at {p[0..3], −p^−1 mod 2^64} (FieldParams' layout).
static inline __attribute__((always_inline)) void montRedAdx(uint64_t r[4], const uint64_t t[8], const uint64_t* pinv) {
  asm volatile(
      "movq 0(%[t]), %%r8\n\t"
      "movq 8(%[t]), %%r9\n\t"
      "movq 16(%[t]), %%r10\n\t"
      "movq 24(%[t]), %%r11\n\t"
      "xorl %%r12d, %%r12d\n\t"
      // each step zeroes its low limb, which becomes the next step's (zero) top limb
      ZK_MONT_STEP("%%r8", "%%r9", "%%r10", "%%r11", "%%r12", "%%r14", "%%r13")
      ZK_MONT_STEP("%%r9", "%%r10", "%%r11", "%%r12", "%%r8", "%%r14", "%%r13")
      ZK_MONT_STEP("%%r10", "%%r11", "%%r12", "%%r8", "%%r9", "%%r14", "%%r13")
      ZK_MONT_STEP("%%r11", "%%r12", "%%r8", "%%r9", "%%r10", "%%r14", "%%r13")
      // + high half (the sum is < 2p < 2^256)
      "addq 32(%[t]), %%r12\n\t"
      "adcq 40(%[t]), %%r8\n\t"
      "adcq 48(%[t]), %%r9\n\t"
      "adcq 56(%[t]), %%r10\n\t"
      ZK_ASM_REDUCE_ONCE_STORE
      :
      : [r] "r"(r), [t] "r"(t), [p] "r"(pinv)
      : "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc", "memory");
}

// r = a²·2^−256 mod p: the 512-bit square with each cross product a_i·a_j (i < j) computed once and doubled
// (10 MULX instead of 16), kept in registers, then montRedAdx's four steps and the high half; pinv as for montRedAdx.
// (A separate square-to-memory + montRedAdx measured no faster than montMulAdx(a, a): the store and reload cost
// what the six MULX save.)
static inline __attribute__((always_inline)) void montSqrAdx(uint64_t r[4], const uint64_t a[4], const uint64_t* pinv) {
  // Registers: the square in r8..r15, rax/rcx products, rdx the multiplier; the a pointer register becomes the
  // reduction's running top limb once a is read (the addon is built with -fPIC and a frame pointer: no spare).
  const uint64_t* ap = a;
  asm volatile(
      "movq 0(%[a]), %%rdx\n\t"
      "mulxq 8(%[a]), %%r9, %%r10\n\t"    // a0·a1 → t1, t2
      "mulxq 16(%[a]), %%rax, %%r11\n\t"  // a0·a2 → t2, t3
      "addq %%rax, %%r10\n\t"
      "mulxq 24(%[a]), %%rax, %%r12\n\t"  // a0·a3 → t3, t4
      "adcq %%rax, %%r11\n\t"
      "adcq $0, %%r12\n\t"
      "movq 8(%[a]), %%rdx\n\t"
      "xorl %%r13d, %%r13d\n\t"
      "mulxq 16(%[a]), %%rax, %%rcx\n\t"  // a1·a2 → t3, t4
      "addq %%rax, %%r11\n\t"
      "adcq %%rcx, %%r12\n\t"
      "adcq $0, %%r13\n\t"
      "mulxq 24(%[a]), %%rax, %%rcx\n\t"  // a1·a3 → t4, t5
      "addq %%rax, %%r12\n\t"
      "adcq %%rcx, %%r13\n\t"
      "movq 16(%[a]), %%rdx\n\t"
      "mulxq 24(%[a]), %%rax, %%r14\n\t"  // a2·a3 → t5, t6
      "addq %%rax, %%r13\n\t"
      "adcq $0, %%r14\n\t"
      // double the cross products: t1..t6, carry → t7
      "xorl %%r15d, %%r15d\n\t"
      "addq %%r9, %%r9\n\t"
      "adcq %%r10, %%r10\n\t"
      "adcq %%r11, %%r11\n\t"
      "adcq %%r12, %%r12\n\t"
      "adcq %%r13, %%r13\n\t"
      "adcq %%r14, %%r14\n\t"
      "adcq $0, %%r15\n\t"
      // add the squares a_i² at t_{2i}, t_{2i+1} (MULX and MOV leave the flags alone)
      "movq 0(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %%r8, %%rax\n\t"
      "addq %%rax, %%r9\n\t"
      "movq 8(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %%rax, %%rcx\n\t"
      "adcq %%rax, %%r10\n\t"
      "adcq %%rcx, %%r11\n\t"
      "movq 16(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %%rax, %%rcx\n\t"
      "adcq %%rax, %%r12\n\t"
      "adcq %%rcx, %%r13\n\t"
      "movq 24(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %%rax, %%rcx\n\t"
      "adcq %%rax, %%r14\n\t"
      "adcq %%rcx, %%r15\n\t"
      // t = r8..r15; reduce the low half r8..r11 with %[a] (a is read) as the running top limb
      "xorl %k[a], %k[a]\n\t"
      ZK_MONT_STEP("%%r8", "%%r9", "%%r10", "%%r11", "%[a]", "%%rax", "%%rcx")
      ZK_MONT_STEP("%%r9", "%%r10", "%%r11", "%[a]", "%%r8", "%%rax", "%%rcx")
      ZK_MONT_STEP("%%r10", "%%r11", "%[a]", "%%r8", "%%r9", "%%rax", "%%rcx")
      ZK_MONT_STEP("%%r11", "%[a]", "%%r8", "%%r9", "%%r10", "%%rax", "%%rcx")
      // + high half r12..r15: (r12, r13, r14, r15) < 2p, then subtract p once if needed
      "addq %[a], %%r12\n\t"
      "adcq %%r8, %%r13\n\t"
      "adcq %%r9, %%r14\n\t"
      "adcq %%r10, %%r15\n\t"
      "movq %%r12, %%rax\n\t"
      "subq 0(%[p]), %%rax\n\t"
      "movq %%r13, %%rcx\n\t"
      "sbbq 8(%[p]), %%rcx\n\t"
      "movq %%r14, %%rdx\n\t"
      "sbbq 16(%[p]), %%rdx\n\t"
      "movq %%r15, %[a]\n\t"
      "sbbq 24(%[p]), %[a]\n\t"
      "cmovncq %%rax, %%r12\n\t"
      "cmovncq %%rcx, %%r13\n\t"
      "cmovncq %%rdx, %%r14\n\t"
      "cmovncq %[a], %%r15\n\t"
      "movq %%r12, 0(%[r])\n\t"
      "movq %%r13, 8(%[r])\n\t"
      "movq %%r14, 16(%[r])\n\t"
      "movq %%r15, 24(%[r])\n\t"
      : [a] "+&r"(ap)
      : [r] "r"(r), [p] "r"(pinv)
      : "rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc", "memory");
#undef ZK_MONT_STEP
}

// Portable versions (same contracts).
static inline void mulWideGeneric(uint64_t r[8], const uint64_t a[4], const uint64_t b[4]) {
  uint64_t t[8] = {0};
  for (int i = 0; i < 4; i++) {
    u128w carry = 0;
    for (int j = 0; j < 4; j++) {
      u128w v = (u128w)a[j] * b[i] + t[i + j] + carry;
      t[i + j] = (uint64_t)v;
      carry = v >> 64;
    }
    t[i + 4] = (uint64_t)carry;
  }
  memcpy(r, t, 64);
}
static inline void montRedGeneric(uint64_t r[4], const uint64_t t[8], const uint64_t* pinv) {
  uint64_t x[9];
  memcpy(x, t, 64);
  x[8] = 0;
  for (int i = 0; i < 4; i++) {
    uint64_t m = x[i] * pinv[4];
    u128w carry = 0;
    for (int j = 0; j < 4; j++) {
      u128w v = (u128w)m * pinv[j] + x[i + j] + carry;
      x[i + j] = (uint64_t)v;
      carry = v >> 64;
    }
    for (int k = i + 4; k < 9 && carry; k++) {
      u128w v = (u128w)x[k] + carry;
      x[k] = (uint64_t)v;
      carry = v >> 64;
    }
  }
  // x[4..7] < 2p; subtract p once if needed
  uint64_t d[4], borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128w v = (u128w)x[4 + i] - pinv[i] - borrow;
    d[i] = (uint64_t)v;
    borrow = (uint64_t)(v >> 64) & 1;
  }
  memcpy(r, borrow ? x + 4 : d, 32);
}

}  // namespace zk
