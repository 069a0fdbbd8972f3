import { Rng } from '../random.js';
import { simulateMarket, type Market } from './market.js';
import { MAX_DURATION_DAYS, SEQ_LEN, type DaySnapshot, type StakingPosition } from './schema.js';
import { TOKENS, TOKEN_PROFILES, pointsRate, type Token } from './tokens.js';

/** Calendar day 0 of generated data. */
export const GENERATOR_EPOCH = '2024-01-01';
/** Deposits open on calendar days [0, START_WINDOW). */
export const START_WINDOW = 730;

/** Hidden behaviour of the depositor (not a feature: the model must infer it from what it sees). */
export const PERSONAS = ['hodler', 'yield', 'points', 'trader'] as const;
export type Persona = (typeof PERSONAS)[number];

export interface GenerateOptions {
  count: number;
  seed: number;
}

export interface GeneratedDataset {
  positions: StakingPosition[];
  /** Hidden persona of each position (same order); for documentation and tests only. */
  personas: Persona[];
}

/**
 * Generate `count` liquid-staking positions over one shared simulated market (seeded: same seed ⇒ same data).
 * Each position is observed for its first SEQ_LEN days; from day SEQ_LEN on it exits with a daily hazard
 * that depends on its hidden persona and on the market that follows. See models/staking-lstm/README.md.
 */
export function generatePositions(opts: GenerateOptions): GeneratedDataset {
  const rng = new Rng(opts.seed);
  const market = simulateMarket(START_WINDOW + MAX_DURATION_DAYS + 1, rng.fork());
  const positions: StakingPosition[] = [];
  const personas: Persona[] = [];
  const shares = TOKENS.map((t) => TOKEN_PROFILES[t].share);
  for (let i = 0; i < opts.count; i++) {
    const start = rng.int(0, START_WINDOW - 1);
    const token = TOKENS[rng.weighted(shares)]!;
    const persona = pickPersona(rng, token, start);
    const depositEth = Math.min(20_000, Math.max(0.01, rng.logNormal(Math.log(8), 1.6)));
    const { days, flow } = observe(rng, market, token, start, depositEth, persona);
    const duration = realiseDuration(rng, market, token, start, depositEth, persona, flow);
    positions.push({
      id: `p${String(i).padStart(6, '0')}`,
      token,
      deposit_eth: round(depositEth, 6),
      start_date: addDays(GENERATOR_EPOCH, start),
      days,
      duration_days: duration,
    });
    personas.push(persona);
  }
  return { positions, personas };
}

function pickPersona(rng: Rng, token: Token, start: number): Persona {
  const pointsNow = pointsRate(token, start) > 0;
  // Points farmers gather where points are paid; yield seekers avoid zero-APR wETH.
  const w = [0.35, token === 'wETH' ? 0.05 : 0.3, pointsNow ? 0.6 : 0.05, 0.15];
  return PERSONAS[rng.weighted(w)]!;
}

/** Days 0..SEQ_LEN-1: market snapshots plus the depositor's early top-ups / partial withdrawals. */
function observe(rng: Rng, m: Market, token: Token, start: number, deposit: number, persona: Persona): { days: DaySnapshot[]; flow: number } {
  let balance = deposit;
  const days: DaySnapshot[] = [];
  // Daily probabilities of a partial withdrawal / a top-up: traders move funds often, hodlers add.
  const pWithdraw = { hodler: 0.01, yield: 0.06, points: 0.03, trader: 0.25 }[persona];
  const pTopUp = { hodler: 0.1, yield: 0.04, points: pointsRate(token, start) > 0 ? 0.15 : 0.02, trader: 0.1 }[persona];
  for (let t = 0; t < SEQ_LEN; t++) {
    const d = start + t;
    if (t > 0) {
      if (rng.bernoulli(pWithdraw)) balance *= rng.uniform(0.4, 0.9);
      else if (rng.bernoulli(pTopUp)) balance *= rng.uniform(1.1, 2);
    }
    days.push({
      balance_eth: round(balance, 6),
      apr_pct: round(m.apr[token][d]!, 4),
      gas_gwei: round(m.gasGwei[d]!, 3),
      eth_price_usd: round(m.ethPrice[d]!, 2),
      eth_vol_pct: round(m.ethVolPct[d]!, 2),
      withdraw_queue_days: round(m.queueDays[token][d]!, 2),
      points_per_eth_day: pointsRate(token, d),
    });
  }
  return { days, flow: balance / deposit };
}

/** Median planned holding period (days) per persona, before market effects. */
const PLANNED_MEDIAN: Record<Persona, number> = { hodler: 420, yield: 160, points: 110, trader: 25 };

/**
 * Realised duration = the earlier of (a) a planned holding period — Weibull (shape 2, so exits cluster
 * around the plan rather than being memoryless) whose scale is set by persona, stretched for small deposits
 * (gas makes exiting relatively expensive) and long withdrawal queues, shrunk for whales and after early
 * partial withdrawals — and (b) a market-driven exit from day SEQ_LEN on, using the market *after* the
 * observed window: yield seekers leave when APR falls below ~3 %, points farmers when the programme ends,
 * traders on drawdowns and volatility spikes. Capped at MAX_DURATION_DAYS (still staked: censored).
 */
function realiseDuration(rng: Rng, m: Market, token: Token, start: number, deposit: number, persona: Persona, flow: number): number {
  const d0 = start + SEQ_LEN - 1;
  const exitCostFrac = (m.gasGwei[d0]! * 150_000 * 1e-9) / deposit; // ~150k gas to unwind
  let scale = PLANNED_MEDIAN[persona] / Math.sqrt(Math.LN2); // Weibull(k=2) median = scale·sqrt(ln 2)
  scale *= 1 + Math.min(2, 20 * exitCostFrac);
  scale *= 1 + m.queueDays[token][d0]! / 20;
  if (deposit > 500) scale *= 0.7;
  if (flow < 0.95) scale *= 0.5;
  else if (flow > 1.05) scale *= 1.4;
  const planned = Math.max(SEQ_LEN, Math.round(scale * Math.sqrt(-Math.log(1 - rng.next()))));
  const entryPrice = m.ethPrice[start]!;
  const hadPoints = pointsRate(token, start) > 0;
  for (let t = SEQ_LEN; t < Math.min(planned, MAX_DURATION_DAYS); t++) {
    const d = start + t;
    let h = 0;
    if (persona === 'yield' && m.apr[token][d]! < 3) h = 0.03 * (3 - m.apr[token][d]!);
    if (persona === 'points' && hadPoints && pointsRate(token, d) === 0) h = 0.25;
    if (persona === 'trader') h = 0.1 * Math.max(0, 1 - m.ethPrice[d]! / entryPrice - 0.05) * (m.ethVolPct[d]! / 60);
    if (persona === 'hodler' && m.ethPrice[d]! / entryPrice < 0.6) h = 0.01; // capitulation
    if (h > 0 && rng.bernoulli(Math.min(0.9, h))) return t;
  }
  return Math.min(planned, MAX_DURATION_DAYS);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** `YYYY-MM-DD` plus `n` days (UTC). */
export function addDays(isoDate: string, n: number): string {
  const t = Date.parse(`${isoDate}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
