import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { closeRedis, connectRedis } from '../redis/connection.js';
import { FleetReplySchema, replyChannel } from './protocol.js';

/**
 * The miner's reply channel (docs/scale-out.md, "Design"): one Redis pub/sub subscription per miner process on
 * which prover workers publish each result as soon as it is proven. It saves the result's trip through BullMQ's
 * completion script and event stream (the queue events still arrive, as the fallback and for failures and
 * stalls). Pub/sub keeps nothing for a subscriber that is away, so a message lost while reconnecting is answered
 * by the event stream instead; ioredis subscribes again after a reconnect.
 */
export class ReplySubscriber {
  readonly channel: string;
  /** Messages that were not a {jobId, result} JSON object (dropped). */
  malformed = 0;

  private constructor(private readonly conn: Redis, channel: string) {
    this.channel = channel;
  }

  /** Subscribe; `onReply` gets each well-formed message's job id and (unparsed) result. */
  static async open(url: string, onReply: (jobId: string, result: unknown) => void): Promise<ReplySubscriber> {
    const conn = connectRedis(url, { name: 'zkinfer-miner-replies' });
    const sub = new ReplySubscriber(conn, replyChannel(randomUUID()));
    conn.on('message', (channel: string, message: string) => {
      if (channel !== sub.channel) return;
      let reply;
      try {
        reply = FleetReplySchema.safeParse(JSON.parse(message));
      } catch {
        reply = undefined;
      }
      if (reply?.success) onReply(reply.data.jobId, reply.data.result);
      else sub.malformed++;
    });
    await conn.subscribe(sub.channel);
    return sub;
  }

  async close(): Promise<void> {
    await closeRedis(this.conn);
  }
}
