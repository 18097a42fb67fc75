/** `npm run bench`: see bench/README.md. */
import { writeFileSync } from 'node:fs';
import { parseBenchArgs, USAGE } from './args';
import { runBench } from './bench';
import { formatReport, toJson } from './report';

const main = async (): Promise<number> => {
  let opts;
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    console.log(USAGE);
    return 0;
  }
  const result = await runBench(opts, (line) => console.error(`[bench] ${line}`));
  console.log(formatReport(result));
  if (opts.jsonPath) {
    writeFileSync(opts.jsonPath, `${JSON.stringify(toJson(result), null, 2)}\n`);
    console.error(`[bench] wrote ${opts.jsonPath}`);
  }
  return 0;
};

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
