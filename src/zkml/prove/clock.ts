/**
 * Milliseconds from a monotonic clock, for the prove timings. Not `performance.now()`: the first use of Node's
 * `performance` global loads perf_hooks and ten internal modules (≈ 2 ms), which a one-shot `zkinfer prove` need not
 * pay (docs/network.md "CLI start-up", round 8).
 */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
