/**
 * Whether atende can send to an address: an addr-spec whose local part is a dot-atom
 * (RFC 5322 §3.4.1: atext separated by single dots) and whose domain is ASCII host labels.
 * Stricter than what RFC 5322 lets people write on purpose:
 * - a quoted local part (`"john doe"@example.com`) is valid mail syntax, but it is where
 *   spaces, commas and angle brackets hide, and few systems deliver to it: refused here, so
 *   it is dropped from recipients with a note rather than failing the whole send;
 * - SES takes no SMTPUTF8, so a non-ASCII local part or an unconverted IDN domain cannot be sent;
 * - RFC 5321 §4.5.3.1: a local part is at most 64 octets and a path at most 256 with its brackets;
 * - a top-level domain is never all digits (RFC 3696 §2), so `ana@192.168.0.1` is an IP address
 *   written without the brackets of an address literal (RFC 5321 §4.1.3), not a host name.
 * Nothing that passes can carry a second address or a header: no white space, controls,
 * quotes, angle brackets, commas, semicolons or colons.
 */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL_PART = new RegExp(`^${ATEXT}(?:\\.${ATEXT})*$`);
const DOMAIN_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export const MAX_LOCAL_PART_LENGTH = 64;
export const MAX_ADDRESS_LENGTH = 254;

export function isMailableAddress(address: string): boolean {
  if (address.length > MAX_ADDRESS_LENGTH) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > MAX_LOCAL_PART_LENGTH || !LOCAL_PART.test(local)) return false;
  const labels = domain.split('.');
  const topLevel = labels[labels.length - 1] ?? '';
  return labels.length >= 2 && labels.every((label) => DOMAIN_LABEL.test(label)) && !/^\d+$/.test(topLevel);
}
