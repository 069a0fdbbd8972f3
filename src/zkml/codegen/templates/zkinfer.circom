pragma circom 2.1.0;

// zkinfer template library: the fixed-point gadgets every generated model circuit is built from.
// Conventions: a value x at scale s encodes round(v·2^s) as a field element (negatives as p − |x|).
// Every `<--` hint below is pinned down by the `===` / `<==` constraints right after it.

// x + 2^(n−1) = Σ bits[i]·2^i with every bit boolean: proves x ∈ [−2^(n−1), 2^(n−1)) and exposes its
// two's-complement bits (bits[n−1] = 1 exactly when x ≥ 0). n + 1 constraints (circom -O2 folds the sum: n).
template SignedBits(n) {
    signal input in;
    signal output bits[n];
    var sum = 0;
    var e = 1;
    for (var i = 0; i < n; i++) {
        bits[i] <-- ((in + (1 << (n - 1))) >> i) & 1;
        bits[i] * (bits[i] - 1) === 0;
        sum += bits[i] * e;
        e = e + e;
    }
    sum === in + (1 << (n - 1));
}

// Input range check: in ∈ [−2^(n−1), 2^(n−1)).
template RangeCheck(n) {
    signal input in;
    component b = SignedBits(n);
    b.in <== in;
}

// out = floor(in / 2^d). in = q·2^d + r: the low d bits are the remainder r ∈ [0, 2^d), the high n − d bits the
// quotient q ∈ [−2^(n−1−d), 2^(n−1−d)) — both range-checked by the same bit decomposition, so the field cannot wrap.
template Rescale(n, d) {
    signal input in;
    signal output out;
    component b = SignedBits(n);
    b.in <== in;
    var q = 0;
    for (var i = d; i < n; i++) q += b.bits[i] * (1 << (i - d));
    out <== q - (1 << (n - 1 - d));
}

// out = max(0, floor(in / 2^d)): the sign bit times the non-negative quotient bits.
template ReluRescale(n, d) {
    signal input in;
    signal output out;
    component b = SignedBits(n);
    b.in <== in;
    var q = 0;
    for (var i = d; i < n - 1; i++) q += b.bits[i] * (1 << (i - d));
    out <== b.bits[n - 1] * q;
}

// out = 1 when in = 0, else 0.
template IsZero() {
    signal input in;
    signal output out;
    signal inv;
    inv <-- in != 0 ? 1 / in : 0;
    out <== 1 - in * inv;
    in * out === 0;
}

// Euclidean division (docs/zkml-compile.md "Division"): q and r with x = q·y + r and 0 ≤ r < ay, where ay = |y| is
// given by the caller (y itself when y is provably non-negative, else y·(2·sign − 1)). r and ay − 1 − r are range-
// checked in ny bits (so 0 ≤ r < ay, and y ≠ 0: a zero divisor has no witness), q in nq signed bits. Every value stays
// far below the field size, so x = q·y + r holds over the integers and q is the only quotient.
template DivEuclid(ny, nq) {
    signal input x;
    signal input y;
    signal input ay;
    signal output q;
    signal r;
    var xs = x;
    var a = ay;
    var ax = xs < 0 ? -xs : xs;
    var rr = ax % a;
    if (xs < 0 && rr != 0) rr = a - rr;
    r <-- rr;
    q <-- (x - rr) / y;
    component rb = SignedBits(ny);
    rb.in <== r - (1 << (ny - 1));
    component gb = SignedBits(ny);
    gb.in <== ay - 1 - r - (1 << (ny - 1));
    component qb = SignedBits(nq);
    qb.in <== q;
    q * y === x - r;
}

// DivEuclid by a divisor that is provably positive (|y| = y).
template DivUnsigned(ny, nq) {
    signal input x;
    signal input y;
    signal output q;
    component d = DivEuclid(ny, nq);
    d.x <== x;
    d.y <== y;
    d.ay <== y;
    q <== d.q;
}

// DivEuclid by a divisor of either sign: |y| = y·(2·sign − 1), the sign from an (ny + 1)-bit decomposition of y.
template DivSigned(ny, nq) {
    signal input x;
    signal input y;
    signal output q;
    component yb = SignedBits(ny + 1);
    yb.in <== y;
    signal ay;
    ay <== y * (2 * yb.bits[ny] - 1);
    component d = DivEuclid(ny, nq);
    d.x <== x;
    d.y <== y;
    d.ay <== ay;
    q <== d.q;
}
