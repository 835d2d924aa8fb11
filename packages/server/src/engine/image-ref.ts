/**
 * Image references: `repo:tag` split once; which tags move (`latest`, `qa`: pushed again and
 * again) and which name a version; a unit file rendered for another tag.
 */
import { renderUnitText } from '@fleet-service/apply';

export interface ImageRef {
  /** `me/blog`, `registry.example.com:5000/team/app` */
  repository: string;
  /** `v1.12`; `latest` when the reference has none (Docker's rule). */
  tag: string;
}

/** `me/blog:v1.12` → {repository: 'me/blog', tag: 'v1.12'}; a digest (`@sha256:…`) is refused. */
export function parseImageRef(text: string): ImageRef | undefined {
  const ref = text.trim();
  if (!ref || ref.includes('@') || /\s/.test(ref)) return undefined;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) {
    const tag = ref.slice(colon + 1);
    const repository = ref.slice(0, colon);
    if (!TAG.test(tag) || !repository) return undefined;
    return { repository, tag };
  }
  return { repository: ref, tag: 'latest' };
}

/** Docker's tag grammar. */
export const TAG = /^[\w][\w.-]{0,127}$/;

/** Docker Hub's official images are `library/x`; `x` and `library/x` and `docker.io/…` are one repository. */
export function sameRepository(a: string, b: string): boolean {
  return normalize(a) === normalize(b);
}

function normalize(repo: string): string {
  let r = repo.toLowerCase();
  for (const prefix of ['docker.io/', 'index.docker.io/', 'registry-1.docker.io/'])
    if (r.startsWith(prefix)) r = r.slice(prefix.length);
  return r.includes('/') ? r : `library/${r}`;
}

/**
 * A moving tag: one that does not name a version (`latest`, `qa`, `stable`, `main`). A version
 * starts with a digit, or `v` and a digit (`1.2`, `v1.12`, `20240101`).
 */
export function isMovingTag(tag: string): boolean {
  return !/^v?\d/.test(tag);
}

/**
 * The unit text for `version`: apply's substitution (`{{version}}`, coco's
 * `DOCKER_APP_VERSION=latest`), and every `<repository>:<tag>` reference to the service's image
 * pointed at the new tag (for unit files that name their image literally).
 */
export function renderForVersion(
  text: string,
  version: string,
  repository: string | undefined,
): { text: string; problem?: string } {
  const rendered = renderUnitText(text, version);
  if (rendered.problem || !repository) return rendered;
  const escaped = repository.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const literal = new RegExp(`(^|[\\s="'/])(${escaped}):[\\w][\\w.-]*`, 'g');
  return {
    text: rendered.text.replace(literal, (_m, pre: string, repo: string) => `${pre}${repo}:${version}`),
  };
}
