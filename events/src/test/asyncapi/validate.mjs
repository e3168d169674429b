// Validates the AsyncAPI document with the reference parser (@asyncapi/parser): exits 1 on any error diagnostic.
// Usage: node validate.mjs [path/to/asyncapi.yaml]   (default: the events module's document)
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Parser, fromFile, DiagnosticSeverity } from '@asyncapi/parser';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.resolve(process.argv[2] ?? path.join(here, '../../main/resources/asyncapi.yaml'));
const severities = { [DiagnosticSeverity.Error]: 'error', [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info', [DiagnosticSeverity.Hint]: 'hint' };

const { document, diagnostics } = await fromFile(new Parser(), file).parse();
for (const d of diagnostics) {
  const where = d.path?.length ? d.path.join('.') : '';
  const line = d.range ? `:${d.range.start.line + 1}` : '';
  console.log(`${severities[d.severity]} ${d.code} ${where}${line} ${d.message}`);
}
const errors = diagnostics.filter(d => d.severity === DiagnosticSeverity.Error);
if (document === undefined || errors.length > 0) {
  console.error(`${file}: INVALID (${errors.length} error(s))`);
  process.exit(1);
}
console.log(`${file}: valid AsyncAPI ${document.version()}: ${document.channels().length} channels, `
  + `${document.operations().length} operations, ${document.allMessages().length} messages`);
