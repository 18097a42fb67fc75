// Remotion Lambda as a RenderBackend (see backend.ts) and its deploy command (deploy.ts).
export { createLambdaBackend, lambdaFailure, lambdaStage, ENGINE_REASON, type LambdaBackendOptions } from './backend';
export type { LambdaClient, LambdaProgress, LambdaSite, S3OutputProvider } from './client';
export { createRemotionLambdaClient } from './remotion-client';
export { deployLambda, bundleFonts, siteNameFor, type DeployOptions, type DeployResult } from './deploy';
export { lambdaTimeline, propsTransport, LAMBDA_INLINE_PROPS_LIMIT } from './props';
export { isPrivateHost } from './reach';
export * from './settings';
