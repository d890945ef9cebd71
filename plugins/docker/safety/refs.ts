/**
 * What container ids and image references may look like before they reach an Engine URL path, and the
 * allowedImages check. The patterns admit every real name and nothing that could change the path.
 */
import { BadArgument, Refusal } from '../engine/errors.js';

/** A container id, id prefix or name (Docker names: [a-zA-Z0-9][a-zA-Z0-9_.-]+, optionally with a leading /). */
export const CONTAINER_ID_PATTERN = '^/?[a-zA-Z0-9][a-zA-Z0-9_.-]{0,253}$';

const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?/)';
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/** An image reference ([registry[:port]/]path[:tag][@digest]), an image id (sha256:...) or an id prefix. */
export const IMAGE_REF_PATTERN = `^(?:sha256:[a-f0-9]{1,64}|${DOMAIN}?${COMPONENT}(?:/${COMPONENT})*(?::[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?)$`;

const IMAGE_REF = new RegExp(IMAGE_REF_PATTERN);
const ID_LIKE = /^(?:sha256:)?[a-f0-9]{12,64}$/;

export const containerIdSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 254,
  pattern: CONTAINER_ID_PATTERN,
  description: 'Container id, id prefix or name',
} as const;

export const imageRefSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 512,
  pattern: IMAGE_REF_PATTERN,
  description: 'Image reference (name[:tag][@digest]) or image id',
} as const;

/** The reference with its default tag made explicit: `busybox` → `busybox:latest` (digests and ids unchanged). */
export function withTag(ref: string): string {
  if (ref.includes('@') || ID_LIKE.test(ref)) return ref;
  const lastSlash = ref.lastIndexOf('/');
  return ref.slice(lastSlash + 1).includes(':') ? ref : `${ref}:latest`;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** Refuses a reference outside `allowedImages` (when set). Image ids are refused then: they name no repository to check. */
export function checkImageAllowed(ref: string, allowed: string[] | undefined): void {
  if (!IMAGE_REF.test(ref)) throw new BadArgument(`"${ref}" is not a valid image reference`);
  if (!allowed) return;
  if (ID_LIKE.test(ref)) throw new Refusal(`image ids are not accepted while allowedImages is set; name the image by reference (allowed: ${allowed.join(', ')})`);
  const candidates = [ref, withTag(ref)];
  if (allowed.some((pattern) => candidates.some((c) => globToRegExp(pattern).test(c) || globToRegExp(withTag(pattern)).test(c)))) return;
  throw new Refusal(`image "${ref}" is not in allowedImages (${allowed.join(', ')})`);
}
