/**
 * Labels that mark a container as created by one instance of this plugin, and the managedOnly rule:
 * operate/admin actions touch only such containers. Callers cannot set labels under the reserved prefix,
 * so a container cannot be made to look managed through the plugin.
 */
export const LABEL_PREFIX = 'io.mcp-host.';
export const MANAGED_LABEL = 'io.mcp-host.managed';
export const INSTANCE_LABEL = 'io.mcp-host.instance';

export function managedLabels(instanceId: string): Record<string, string> {
  return { [MANAGED_LABEL]: 'true', [INSTANCE_LABEL]: instanceId };
}

export function isManagedBy(labels: Record<string, string> | null | undefined, instanceId: string): boolean {
  return labels?.[INSTANCE_LABEL] === instanceId;
}
