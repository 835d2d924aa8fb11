/**
 * Version substitution, as coco-fleet-deployer did it, plus one explicit placeholder:
 * - the first `DOCKER_APP_VERSION=latest` becomes `DOCKER_APP_VERSION=<version>` (coco's rule);
 * - every `{{version}}` becomes `<version>` (fs's; a unit that uses it without a version is refused).
 * Without a version the text is used as it is.
 */
export function renderUnitText(
  text: string,
  version: string | undefined,
): { text: string; problem?: string } {
  if (version === undefined || version === '') {
    if (text.includes('{{version}}'))
      return { text, problem: 'the unit file uses {{version}} but the entry has no version' };
    return { text };
  }
  const coco = text.replace('DOCKER_APP_VERSION=latest', () => `DOCKER_APP_VERSION=${version}`);
  return { text: coco.replaceAll('{{version}}', () => version) };
}
