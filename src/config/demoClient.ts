import type { ClientProfile, Profile } from './profileSchema.js';

/**
 * The profile's first client with a secret: the one the banner, dashboard, front page and demo
 * client offer for copy and paste (a key-only client cannot be pasted into a curl line).
 */
export function demoClientOf(profile: Profile): (ClientProfile & { secret: string }) | undefined {
  return profile.clients.find((client): client is ClientProfile & { secret: string } => client.secret !== undefined);
}
