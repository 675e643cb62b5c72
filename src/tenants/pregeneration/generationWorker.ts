import { parentPort, workerData } from 'node:worker_threads';
import { generateTenantDataset } from '../../data/generateTenantResources.js';
import { EventBus } from '../../events/eventBus.js';
import { systemClock } from '../../lib/clock.js';
import { generationRequest, planSeeding, type SeedOptions } from '../seedTenants.js';
import { TenantDirectory } from '../tenantDirectory.js';
import { BATCHES_PER_CHUNK, CHUNKS_AHEAD, type PregenerationInput, type PregenerationMessage, type PregenerationReply } from './protocol.js';

/**
 * The generation worker (see PregeneratedDatasets): plans the profile's tenants as seedTenants does and
 * generates, in plan order, each one the main thread has not claimed, as JSON texts it parses and stores.
 */
const port = parentPort;
if (port === null) throw new TypeError('generationWorker runs as a worker thread');

let credits = CHUNKS_AHEAD;
const claimed = new Set<string>();
let wake: (() => void) | undefined;
port.on('message', (reply: PregenerationReply) => {
  if (reply.kind === 'taken') credits++;
  else claimed.add(reply.tenantId);
  wake?.();
});

const post = (message: PregenerationMessage) => port.postMessage(message);
// Replies are read only while this thread waits: between chunks, and before each tenant.
const readReplies = () => new Promise<void>((resolve) => setImmediate(resolve));

/** False when the main thread claimed the tenant meanwhile: the rest of it is not wanted. */
async function postChunk(tenantId: string, batches: readonly string[]): Promise<boolean> {
  await readReplies();
  while (credits === 0 && !claimed.has(tenantId)) await new Promise<void>((resolve) => (wake = resolve));
  if (claimed.has(tenantId)) return false;
  credits--;
  post({ kind: 'chunk', tenantId, batches });
  return true;
}

function plannedRequests(input: PregenerationInput) {
  const options: SeedOptions = {
    seed: input.seed,
    referenceDate: input.referenceDate,
    profileFile: input.profileFile,
    fixtures: new Map(input.tenants.map((tenant) => [tenant.id.toLowerCase(), tenant.fixtures])),
    dataDir: input.dataDir,
    events: new EventBus(),
    clock: systemClock,
  };
  const plan = planSeeding(new TenantDirectory(input.tenants, systemClock), options);
  return plan.tenants.flatMap(({ tenant, source }) => (source.kind === 'generate' ? [generationRequest(tenant, source.fixtures, options)] : []));
}

async function generateTenant(request: ReturnType<typeof plannedRequests>[number]): Promise<void> {
  const { tenantId } = request;
  post({ kind: 'tenant', tenantId, request: JSON.stringify(request) });
  let batches: string[] = [];
  for (const batch of generateTenantDataset(request)) {
    batches.push(JSON.stringify(batch));
    if (batches.length < BATCHES_PER_CHUNK) continue;
    if (!(await postChunk(tenantId, batches))) return;
    batches = [];
  }
  if (batches.length > 0 && !(await postChunk(tenantId, batches))) return;
  post({ kind: 'end', tenantId });
}

try {
  for (const request of plannedRequests(workerData as PregenerationInput)) {
    await readReplies();
    if (!claimed.has(request.tenantId)) await generateTenant(request);
  }
} catch {
  // The main thread generates the rest itself, and meets (and reports) the same problem there.
  post({ kind: 'failed' });
}
port.close();
