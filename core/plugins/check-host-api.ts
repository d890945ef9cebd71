import semver from 'semver';
import { HostError } from '../util/host-error.js';
import type { PluginManifest } from './manifest.js';

/** Refuses a plugin whose `hostApi` range does not admit this host's plugin API version (checked before its code loads). */
export function checkHostApi(manifest: PluginManifest, hostApiVersion: string, instance?: string): void {
  if (semver.satisfies(hostApiVersion, manifest.hostApi, { includePrerelease: true })) return;
  throw new HostError(
    'HOST_API_MISMATCH',
    `plugin "${manifest.id}" needs host API ${manifest.hostApi}, this host provides ${hostApiVersion}`,
    { instance, expected: manifest.hostApi, actual: hostApiVersion },
  );
}
