import { QueueEvents, type QueueEventsOptions } from 'bullmq';

/**
 * A BullMQ event stream reader that keeps reading (docs/scale-out.md, "Malformed events"). BullMQ's reader ends for
 * good when one entry of the stream does not parse (a `progress` or `completed` whose data is not JSON) or a listener
 * throws; the error it emits was swallowed, so the miner (or an API replica) silently stopped hearing of finished
 * jobs. Here the loop is started again, from new entries on (the entry that stopped it is skipped), after `restartMs`,
 * and `onRestart` says why. Connection errors do not end BullMQ's loop and are not reported here.
 */
export function keepReadingEvents(
  name: string,
  opts: Omit<QueueEventsOptions, 'autorun'>,
  onRestart: (err: Error) => void,
  restartMs = 100,
): QueueEvents {
  const ev = new QueueEvents(name, { ...opts, autorun: false });
  ev.on('error', () => undefined); // connection trouble: BullMQ retries it itself
  let closing = false;
  const close = ev.close.bind(ev);
  ev.close = () => { closing = true; return close(); };
  const loop = (): void => {
    ev.run().catch((err: Error) => {
      if (closing) return;
      onRestart(err);
      setTimeout(() => { if (!closing) loop(); }, restartMs).unref();
    });
  };
  loop();
  return ev;
}
