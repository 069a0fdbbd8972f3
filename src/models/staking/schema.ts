import { z } from 'zod';
import { TOKENS } from './tokens.js';

/** The model observes the first SEQ_LEN daily snapshots of a position (day 0 = deposit day). */
export const SEQ_LEN = 5;
/** Positions still open after this many days are recorded with this duration (right-censored). */
export const MAX_DURATION_DAYS = 365;

/** One daily snapshot of a position, in raw units. */
export const DaySnapshotSchema = z.object({
  balance_eth: z.number().positive().describe('position balance at the end of the day, in ETH'),
  apr_pct: z.number().min(0).max(100).describe("the token's staking APR that day, in %"),
  gas_gwei: z.number().positive().max(10_000).describe('median base fee that day, in gwei'),
  eth_price_usd: z.number().positive().describe('ETH/USD close'),
  eth_vol_pct: z.number().min(0).max(1000).describe('trailing 30-day realised ETH volatility, annualised, in %'),
  withdraw_queue_days: z.number().min(0).max(365).describe("length of the token's withdrawal queue, in days"),
  points_per_eth_day: z.number().min(0).max(1000).describe('restaking/loyalty points paid per ETH per day (0 if none)'),
});
export type DaySnapshot = z.infer<typeof DaySnapshotSchema>;

/** What `zkinfer predict staking-lstm --input FILE` reads: one position's first SEQ_LEN days, raw units. */
export const StakingPositionInputSchema = z.object({
  token: z.enum(TOKENS).describe('liquid-staking token held'),
  deposit_eth: z.number().positive().max(10_000_000).describe('initial deposit, in ETH'),
  start_date: z.iso.date().optional().describe('deposit day (YYYY-MM-DD); informational'),
  days: z.array(DaySnapshotSchema).length(SEQ_LEN).describe(`the first ${SEQ_LEN} daily snapshots, day 0 first`),
});
export type StakingPositionInput = z.infer<typeof StakingPositionInputSchema>;

/** A position with its realised outcome (what the generator and the CSV loader produce). */
export interface StakingPosition extends StakingPositionInput {
  id: string;
  start_date: string;
  /** Realised staking duration in days, SEQ_LEN..MAX_DURATION_DAYS (MAX means still staked: censored). */
  duration_days: number;
}
