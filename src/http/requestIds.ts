/**
 * Request ids for the request log. They only need to be unique within this process: a counter is
 * enough, and cheaper than a UUID. One source per app, shared by the Koa path and the fast read.
 */
export type RequestIds = () => string;

export function requestIds(): RequestIds {
  let served = 0;
  return () => `r${(++served).toString(36)}`;
}
