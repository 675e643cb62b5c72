import { Text } from 'ink';
import type { TokenStatus } from '../control/controlPlane.js';
import { formatCountdown } from './format.js';
import { useColour } from './palette.js';
import { shortTenantId } from './tenantFaultPresets.js';

export interface TokensPanelProps {
  status: TokenStatus;
  now: number;
}

// The soonest expiries that get a countdown; the rest are counted.
const SHOWN_EXPIRIES = 2;

/** Issued and live tokens, the lifetime new ones get, and countdowns for those about to expire. */
export function TokensPanel({ status, now }: TokensPanelProps) {
  const colour = useColour();
  const soonest = status.expiringSoon.slice(0, SHOWN_EXPIRIES);
  const more = status.expiringSoon.length - soonest.length;
  return (
    <Text wrap="truncate-end">
      <Text bold>Tokens</Text> issued {status.issued} · active {status.active} · lifetime <Text bold>{status.lifetimeSeconds}s</Text> · expiring{' '}
      {soonest.length === 0 ? (
        <Text>none</Text>
      ) : (
        soonest.map((token, index) => (
          <Text key={token.jti}>
            {index > 0 ? ', ' : ''}
            {token.clientId}@{shortTenantId(token.tenantId)} in{' '}
            <Text color={colour(token.expiresAt - now <= 10_000 ? 'red' : 'yellow')}>{formatCountdown(token.expiresAt - now)}</Text>
          </Text>
        ))
      )}
      {more > 0 ? <Text> (+{more})</Text> : null}
    </Text>
  );
}
