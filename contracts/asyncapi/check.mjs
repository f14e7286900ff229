// Parses an AsyncAPI document with the AsyncAPI project's own parser (@asyncapi/parser 3.x), references resolved from
// the files alone: exits 1 on any error diagnostic. npm ci && npm run check (contracts/asyncapi/README in the README).
import { Parser, fromFile } from '@asyncapi/parser';

const parser = new Parser();
const file = process.argv[2];
const { document, diagnostics } = await fromFile(parser, file).parse();
const errors = diagnostics.filter(d => d.severity === 0);
for (const d of diagnostics) {
  console.log(['error', 'warning', 'info', 'hint'][d.severity], d.code, d.message, JSON.stringify(d.path));
}
console.log(`${errors.length} error(s), ${diagnostics.length - errors.length} other diagnostic(s); document ${document ? 'parsed' : 'not parsed'}`);
process.exit(errors.length === 0 && document ? 0 : 1);
