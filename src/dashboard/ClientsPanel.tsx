import { Text } from 'ink';
import type { ClientView } from '../auth/clientRegistry.js';
import { useColour } from './palette.js';

export interface ClientsPanelProps {
  clients: readonly ClientView[];
  selected: number;
}

/** One line: each registered client with what it authenticates with; the one `K` acts on is inverse. */
export function ClientsPanel({ clients, selected }: ClientsPanelProps) {
  const colour = useColour();
  return (
    <Text wrap="truncate-end">
      <Text bold>Clients</Text>
      {clients.map((client, index) => (
        <Text key={client.id}>
          {index === 0 ? ' ' : ' · '}
          <Text inverse={index === selected}>{client.id}</Text> {credentialsOf(client)}
          {client.jwksUrl?.error ? <Text color={colour('red')}> url failing</Text> : null}
        </Text>
      ))}
    </Text>
  );
}

/** "secret", "2 secrets + 1 key", "url (2 keys)": what the client can sign in with. */
export function credentialsOf(client: ClientView): string {
  const parts: string[] = [];
  if (client.secrets.length > 0) parts.push(client.secrets.length === 1 ? 'secret' : `${client.secrets.length} secrets`);
  if (client.keys.length > 0) parts.push(client.keys.length === 1 ? '1 key' : `${client.keys.length} keys`);
  if (client.jwksUrl !== null) parts.push(client.jwksUrl.fetchedAt === null ? 'url' : `url (${client.jwksUrl.kids.length} keys)`);
  return parts.join(' + ');
}
