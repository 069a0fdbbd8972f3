import { Rng } from '../random.js';
import { TOKENS, TOKEN_PROFILES, type Token } from './tokens.js';

/** One simulated market history, one entry per calendar day. */
export interface Market {
  days: number;
  ethPrice: Float64Array;
  /** Trailing 30-day realised volatility, annualised, in %. */
  ethVolPct: Float64Array;
  gasGwei: Float64Array;
  apr: Record<Token, Float64Array>;
  queueDays: Record<Token, Float64Array>;
}

/**
 * Simulate `days` days of market: ETH price as a geometric random walk with mean-reverting stochastic
 * volatility; gas as a log-AR(1) that spikes on big moves; per-token APRs as AR(1) around their means with a
 * small common factor tied to network activity (gas); withdrawal queues as log-AR(1) that lengthen after
 * drawdowns (exits pile up when the market falls).
 */
export function simulateMarket(days: number, rng: Rng): Market {
  const ethPrice = new Float64Array(days);
  const ethVolPct = new Float64Array(days);
  const gasGwei = new Float64Array(days);
  const returns = new Float64Array(days);
  let logVol = Math.log(0.6); // annualised vol around 60 %
  let price = 3000;
  let logGas = Math.log(15);
  let peak = price;
  const drawdown = new Float64Array(days);
  for (let d = 0; d < days; d++) {
    logVol += 0.04 * (Math.log(0.6) - logVol) + rng.normal(0, 0.08);
    const sigma = Math.exp(logVol) / Math.sqrt(365);
    const r = d === 0 ? 0 : rng.normal(0.0002, sigma);
    price *= Math.exp(r);
    returns[d] = r;
    ethPrice[d] = price;
    peak = Math.max(peak * 0.995, price); // peak decays so old highs are forgotten over months
    drawdown[d] = 1 - price / peak;
    const from = Math.max(1, d - 29);
    let ss = 0;
    let n = 0;
    for (let k = from; k <= d; k++) {
      ss += returns[k]! ** 2;
      n++;
    }
    ethVolPct[d] = n >= 5 ? 100 * Math.sqrt((ss / n) * 365) : 100 * Math.exp(logVol);
    logGas += 0.15 * (Math.log(15) - logGas) + rng.normal(0, 0.3) + 8 * Math.abs(r);
    gasGwei[d] = Math.min(500, Math.max(1, Math.exp(logGas)));
  }
  const apr = {} as Record<Token, Float64Array>;
  const queueDays = {} as Record<Token, Float64Array>;
  for (const token of TOKENS) {
    const p = TOKEN_PROFILES[token];
    const a = new Float64Array(days);
    const q = new Float64Array(days);
    let dev = 0;
    let logQ = 0;
    for (let d = 0; d < days; d++) {
      dev += -p.aprReversion * dev + rng.normal(0, p.aprSd);
      const activity = 0.15 * Math.log(gasGwei[d]! / 15); // busier network → more tips/MEV
      a[d] = p.aprMean === 0 ? 0 : Math.max(0.5, p.aprMean + dev + activity);
      logQ += -0.1 * logQ + rng.normal(0, 0.1) + p.queueStress * Math.max(0, drawdown[d]! - 0.1) * 0.5;
      q[d] = p.queueMean === 0 ? 0 : Math.min(60, p.queueMean * Math.exp(logQ));
    }
    apr[token] = a;
    queueDays[token] = q;
  }
  return { days, ethPrice, ethVolPct, gasGwei, apr, queueDays };
}
