// npm run lambda:deploy [-- --dry-run]: the Remotion Lambda function, bucket and site for RENDER_BACKEND=lambda.
import { DEPLOY_USAGE, runDeploy } from '../render/lambda/deploy-cli';
import { createRemotionLambdaClient } from '../render/lambda/remotion-client';

runDeploy(process.argv.slice(2), process.env, createRemotionLambdaClient(), (line) => console.log(line)).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(message);
  const help = process.argv.includes('--help') || process.argv.includes('-h');
  process.exit(message === DEPLOY_USAGE ? (help ? 0 : 2) : 1);
});
