/**
 * The input props a Lambda render gets: the timeline with every used medium's `src` the public URL
 * it was downloaded from (Lambda downloads materials itself), and what Remotion does with props
 * too large to travel inside the invocation.
 */
import { isIP } from 'node:net';
import { NoReactInternals } from 'remotion/no-react';
import { GenVideoError } from '../../errors';
import { usedMediaIds } from '../../materials/fetch-materials';
import { isPrivateAddress, stripBrackets } from '../../net/address';
import type { ResolveHost } from '../../net/safe-fetch';
import type { MediaRef, Timeline } from '../../timeline/types';
import { isPrivateHost } from './reach';

/**
 * Remotion Lambda sends props inline up to this size (serialized string length): 200,000 for a
 * video render (`getMaxNonInlinePayloadSizePerFunction`) less a 5,000 margin and 1,024 kept for
 * webhook data. Larger props are written to the bucket by renderMediaOnLambda() and the functions
 * read them from there (a test keeps this equal to @remotion/lambda's own numbers).
 */
export const LAMBDA_INLINE_PROPS_LIMIT = 200_000 - 5_000 - 1_024;

/** Why Lambda cannot fetch a material, or undefined when its URL is public. */
const unreachableReason = async (ref: MediaRef, resolveHost?: ResolveHost): Promise<string | undefined> => {
  const url = ref.sourceUrl;
  if (!url) return 'a local file or an operator stand-in, not a URL Remotion Lambda can download';
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return 'not a URL Remotion Lambda can download';
  }
  if (isPrivateHost(host)) return `${stripBrackets(host)} is a loopback/private/link-local address`;
  if (resolveHost && !isIP(stripBrackets(host))) {
    const answers = await resolveHost(host).catch(() => []);
    const inside = answers.find((a) => isPrivateAddress(a.address));
    if (inside) return `${host} resolves to ${inside.address}, a loopback/private/link-local address`;
  }
  return undefined;
};

/**
 * The timeline as Lambda renders it: only the media layers use, each with `src` = its public URL,
 * without what the composition does not read (candidates, warnings). Any material Lambda cannot
 * reach → 400 素材无法访问 naming each one, before anything is sent to AWS.
 */
export const lambdaTimeline = async (timeline: Timeline, o: { resolveHost?: ResolveHost } = {}): Promise<Timeline> => {
  const media: Timeline['media'] = {};
  const problems: string[] = [];
  for (const id of usedMediaIds(timeline)) {
    const ref = timeline.media[id];
    if (!ref) continue; // fetchMaterials already refused this draft
    const reason = await unreachableReason(ref, o.resolveHost);
    if (reason) {
      problems.push(`${ref.name || ref.id}: only reachable from this server (${reason})`);
      continue;
    }
    const { sourceUrl, ...rest } = ref;
    media[id] = { ...rest, candidates: [], src: sourceUrl };
  }
  if (problems.length) throw new GenVideoError('MATERIAL_UNREACHABLE', problems.join('; '));
  return { ...timeline, media, warnings: [] };
};

/** What renderMediaOnLambda() serializes (Remotion's own serializer) and how long it is. */
export const propsPayloadSize = (inputProps: Record<string, unknown>): number =>
  NoReactInternals.serializeJSONWithSpecialTypes({ data: inputProps, indent: undefined, staticBase: null }).serializedString.length;

/** Remotion's choice for these props: inline in the invocation, or written to the bucket first. */
export const propsTransport = (inputProps: Record<string, unknown>): { size: number; via: 'payload' | 'bucket' } => {
  const size = propsPayloadSize(inputProps);
  // renderMediaOnLambda also counts JSON.stringify(envVariables) ("{}": 2) against the limit.
  return { size, via: size + 2 > LAMBDA_INLINE_PROPS_LIMIT ? 'bucket' : 'payload' };
};
