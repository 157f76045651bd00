/**
 * Writes docs/asyncapi.json: the AsyncAPI 3.0 document the gateway serves at
 * /asyncapi.json (src/http/asyncapi/), built from src/protocol.
 *   npm run docs          (a test fails when the committed file is stale)
 */
import { writeFileSync } from 'node:fs';
import { buildAsyncApiDocument } from '../src/http/asyncapi/document.ts';

export const renderAsyncApi = (): string => JSON.stringify(buildAsyncApiDocument(), null, 2) + '\n';

if (process.argv[1]?.endsWith('gen-asyncapi.ts')) {
  writeFileSync(new URL('../docs/asyncapi.json', import.meta.url), renderAsyncApi());
  console.log('wrote docs/asyncapi.json');
}
