/** The lambda:deploy command's options and run (src/cli/lambda-deploy.ts starts it with the real client). */
import { parseArgs } from 'node:util';
import type { LambdaClient } from './client';
import { deployLambda, siteNameFor, type DeployOptions } from './deploy';
import { LAMBDA_FUNCTION_DEFAULTS, LAMBDA_LIMITS, LAMBDA_REGIONS, type LambdaRegion } from './settings';

export const DEPLOY_USAGE = `usage: npm run lambda:deploy -- [options]
  --dry-run          print what would be created; change nothing on AWS (it still reads what exists)
  --region R         AWS region (default: $REMOTION_AWS_REGION or us-east-1)
  --memory MB        function memory (default: $REMOTION_LAMBDA_MEMORY_MB or ${LAMBDA_FUNCTION_DEFAULTS.memoryMb})
  --disk MB          function disk (default: $REMOTION_LAMBDA_DISK_MB or ${LAMBDA_FUNCTION_DEFAULTS.diskMb})
  --timeout S        function timeout, at most ${LAMBDA_LIMITS.maxTimeoutSec} (default: $REMOTION_LAMBDA_TIMEOUT_SECONDS or ${LAMBDA_FUNCTION_DEFAULTS.timeoutSec})
  --site-name NAME   site name (default: $REMOTION_LAMBDA_SITE_NAME or gen-video-<hash of the composition sources>)
  --bucket NAME      Remotion bucket, when the region has several (default: $REMOTION_LAMBDA_BUCKET)
Credentials: REMOTION_AWS_ACCESS_KEY_ID / REMOTION_AWS_SECRET_ACCESS_KEY (or AWS_*, or a profile / role).`;

const wholeIn = (what: string, value: string, min: number, max: number): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new Error(`${what}=${value}: expected a whole number from ${min} to ${max}`);
  return n;
};

/** Flags first, then the server's environment names, then Remotion's defaults. */
export const parseDeployArgs = (
  argv: string[],
  env: NodeJS.ProcessEnv,
  o: { bundle: () => Promise<string>; sourcesHash: () => string; print: (line: string) => void },
): DeployOptions => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean' },
      region: { type: 'string' },
      memory: { type: 'string' },
      disk: { type: 'string' },
      timeout: { type: 'string' },
      'site-name': { type: 'string' },
      bucket: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length) throw new Error(DEPLOY_USAGE);
  const pick = (flag: string | undefined, name: string) => flag ?? (env[name]?.trim() || undefined);
  const region = pick(values.region, 'REMOTION_AWS_REGION') ?? 'us-east-1';
  if (!(LAMBDA_REGIONS as readonly string[]).includes(region)) throw new Error(`region ${region}: not a Remotion Lambda region (${LAMBDA_REGIONS.join(', ')})`);
  const memory = pick(values.memory, 'REMOTION_LAMBDA_MEMORY_MB');
  const disk = pick(values.disk, 'REMOTION_LAMBDA_DISK_MB');
  const timeout = pick(values.timeout, 'REMOTION_LAMBDA_TIMEOUT_SECONDS');
  const siteName = pick(values['site-name'], 'REMOTION_LAMBDA_SITE_NAME') ?? siteNameFor(o.sourcesHash());
  if (!/^[0-9a-zA-Z!_.*'()-]+$/.test(siteName)) throw new Error(`site name ${siteName}: expected letters, digits and - ! _ . * ' ( )`);
  return {
    region: region as LambdaRegion,
    memoryMb: memory ? wholeIn('memory', memory, LAMBDA_LIMITS.minMemoryMb, LAMBDA_LIMITS.maxMemoryMb) : LAMBDA_FUNCTION_DEFAULTS.memoryMb,
    diskMb: disk ? wholeIn('disk', disk, LAMBDA_LIMITS.minDiskMb, LAMBDA_LIMITS.maxDiskMb) : LAMBDA_FUNCTION_DEFAULTS.diskMb,
    timeoutSec: timeout ? wholeIn('timeout', timeout, LAMBDA_LIMITS.minTimeoutSec, LAMBDA_LIMITS.maxTimeoutSec) : LAMBDA_FUNCTION_DEFAULTS.timeoutSec,
    siteName,
    bucket: pick(values.bucket, 'REMOTION_LAMBDA_BUCKET'),
    dryRun: values['dry-run'] ?? false,
    bundle: o.bundle,
    print: o.print,
  };
};

/** The command, with the client given (tests pass the fake); `bundle` defaults to src/render/bundle.ts's. */
export const runDeploy = async (
  argv: string[],
  env: NodeJS.ProcessEnv,
  client: LambdaClient,
  print: (line: string) => void,
  bundle?: () => Promise<string>,
) => {
  const { getServeUrl, inputsHash } = await import('../bundle');
  const options = parseDeployArgs(argv, env, { bundle: bundle ?? getServeUrl, sourcesHash: inputsHash, print });
  print(`Remotion Lambda deploy${options.dryRun ? ' (dry run)' : ''}: region ${options.region}, site ${options.siteName}`);
  return deployLambda(client, options);
};
