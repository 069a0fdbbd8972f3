/**
 * Liquid-staking token profiles used by the position generator. Numbers are rough, public-knowledge ballparks
 * for 2024–2025 (not live data); every one is documented in models/staking-lstm/README.md.
 */
export const TOKENS = ['stETH', 'rETH', 'ezETH', 'wBETH', 'ETHx', 'sfrxETH', 'wETH'] as const;
export type Token = (typeof TOKENS)[number];

export interface PointsSeason {
  /** First and last calendar day (inclusive, days since the dataset start) the programme pays points. */
  from: number;
  to: number;
  /** Points per ETH per day while active. */
  rate: number;
}

export interface TokenProfile {
  token: Token;
  /** Share of new deposits. */
  share: number;
  /** Long-run staking APR (%) and its day-to-day noise / mean reversion. */
  aprMean: number;
  aprSd: number;
  aprReversion: number;
  /** Typical withdrawal-queue length (days) when markets are calm. */
  queueMean: number;
  /** How strongly market stress (ETH drawdowns) lengthens the queue. */
  queueStress: number;
  /** Restaking / loyalty points programmes. */
  points: PointsSeason[];
}

export const TOKEN_PROFILES: Record<Token, TokenProfile> = {
  // Lido: the largest pool; protocol APR ~3 %; withdrawal queue usually 1–5 days, weeks under stress.
  stETH: { token: 'stETH', share: 0.36, aprMean: 3.1, aprSd: 0.08, aprReversion: 0.05, queueMean: 3, queueStress: 1.2, points: [] },
  // Rocket Pool: slightly lower APR (node-operator commission); exits via the deposit pool are fast.
  rETH: { token: 'rETH', share: 0.12, aprMean: 2.8, aprSd: 0.08, aprReversion: 0.05, queueMean: 1, queueStress: 0.8, points: [] },
  // Renzo ezETH: EigenLayer restaking, 7-day withdrawal, two points seasons (ezPoints), the second boosted.
  ezETH: {
    token: 'ezETH', share: 0.12, aprMean: 3.4, aprSd: 0.12, aprReversion: 0.05, queueMean: 7, queueStress: 1.5,
    points: [{ from: 0, to: 240, rate: 1 }, { from: 300, to: 540, rate: 2 }],
  },
  // Binance wBETH: custodial, redemption in about a day.
  wBETH: { token: 'wBETH', share: 0.1, aprMean: 2.7, aprSd: 0.06, aprReversion: 0.05, queueMean: 1.5, queueStress: 0.5, points: [] },
  // Stader ETHx: smaller pool, one restaking-points season.
  ETHx: {
    token: 'ETHx', share: 0.06, aprMean: 3.0, aprSd: 0.1, aprReversion: 0.05, queueMean: 5, queueStress: 1.2,
    points: [{ from: 120, to: 420, rate: 1 }],
  },
  // Frax sfrxETH: APR set by the frxETH/sfrxETH split, higher and noisier; redemption queue ~1–2 weeks.
  sfrxETH: { token: 'sfrxETH', share: 0.06, aprMean: 3.7, aprSd: 0.25, aprReversion: 0.08, queueMean: 10, queueStress: 1.0, points: [] },
  // Plain wETH in a points vault: no staking yield, instant exit, points for most of the period.
  wETH: {
    token: 'wETH', share: 0.18, aprMean: 0, aprSd: 0, aprReversion: 0.05, queueMean: 0, queueStress: 0,
    points: [{ from: 0, to: 180, rate: 1 }, { from: 200, to: 620, rate: 1.5 }],
  },
};

/** Points per ETH per day paid by `token` on calendar day `day` (0 when no programme is running). */
export function pointsRate(token: Token, day: number): number {
  for (const s of TOKEN_PROFILES[token].points) if (day >= s.from && day <= s.to) return s.rate;
  return 0;
}
