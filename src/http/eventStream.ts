import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { EventBus } from '../events/eventBus.js';

// Keep-alive comments stop proxies and clients from timing out an idle event stream.
const KEEPALIVE_MS = 15_000;
// What one subscriber may have waiting to be sent before its events are dropped.
const SUBSCRIBER_BUFFER_BYTES = 1024 * 1024;

/**
 * Server-sent events: every sandbox event as `event: <type>` with its JSON as data. A reader that
 * does not keep up never makes the sandbox hold more than SUBSCRIBER_BUFFER_BYTES for it: past that,
 * events are dropped until the buffer has drained, and then one `event: dropped` says how many.
 */
export function streamEvents(ctx: Context, events: EventBus): void {
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  ctx.status = 200;
  ctx.body = stream;

  let dropped = 0;
  const send = (text: string) => {
    if (dropped > 0 || stream.writableLength >= SUBSCRIBER_BUFFER_BYTES) {
      dropped++;
      return;
    }
    stream.write(text);
  };
  stream.on('drain', () => {
    if (dropped === 0) return;
    const notice = { dropped, message: `dropped ${dropped} events: this reader did not keep up` };
    dropped = 0;
    stream.write(`event: dropped\ndata: ${JSON.stringify(notice)}\n\n`);
  });

  stream.write(': patients-sandbox event stream\n\n');
  const unsubscribe = events.subscribe((event) => send(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
  const keepAlive = setInterval(() => {
    if (dropped === 0 && stream.writableLength < SUBSCRIBER_BUFFER_BYTES) stream.write(': keep-alive\n\n');
  }, KEEPALIVE_MS);
  keepAlive.unref();
  const close = () => {
    clearInterval(keepAlive);
    unsubscribe();
    stream.end();
  };
  ctx.req.once('close', close);
  ctx.res.once('close', close);
}
