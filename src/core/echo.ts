/**
 * Error messages quote what the client sent (a name, an attribute value); a message is cut to this many
 * characters so that a megabyte-long name is not sent back, nor logged, whole.
 */
export const MAX_ECHO_CHARACTERS = 1024;

export function truncateEcho(text: string, max = MAX_ECHO_CHARACTERS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
