import { useEffect, useReducer } from 'react';

/**
 * Re-renders the caller every `intervalMs`. The dashboard reads its stores on each tick instead of
 * reacting to each event, which caps the render rate whatever the request rate.
 */
export function useRefreshTick(intervalMs: number): number {
  const [tick, advance] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const timer = setInterval(advance, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return tick;
}
