/** Which hosts Remotion Lambda, on the public internet, cannot reach. */
import { isIP } from 'node:net';
import { isLocalHostName, isPrivateAddress, stripBrackets } from '../../net/address';

/** Suffixes of names that only resolve inside a private network. */
const PRIVATE_NAME_SUFFIXES = ['.local', '.localdomain', '.internal', '.intranet', '.lan', '.home', '.corp', '.home.arpa'];

/**
 * A host Lambda cannot reach: a loopback/private/link-local IP literal, localhost, a single-label
 * name or a name of a private-only suffix. Names are not resolved here.
 */
export const isPrivateHost = (hostname: string): boolean => {
  const host = stripBrackets(hostname).toLowerCase().replace(/\.$/, '');
  if (isIP(host)) return isPrivateAddress(host);
  if (isLocalHostName(host) || !host.includes('.')) return true;
  return PRIVATE_NAME_SUFFIXES.some((suffix) => host.endsWith(suffix));
};
