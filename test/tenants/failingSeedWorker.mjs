// A seeding worker that breaks: `throw` fails while generating, `exit` stops without posting `done`.
import { workerData } from 'node:worker_threads';

if (workerData.options.tenantId === 'exits-early') process.exit(0);
throw new Error('generator broke at patient 3');
