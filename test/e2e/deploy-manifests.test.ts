import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { connectHttp, spawnHttpHost } from '../helpers/spawn-http-host.js';

const k8s = join(repoRoot, 'deploy', 'k8s');
const load = (file: string) => parseAllDocuments(readFileSync(join(k8s, file), 'utf8')).map((d) => d.toJS());
const [deployment] = load('deployment.yaml');
const [service] = load('service.yaml');
const [configMap] = load('configmap.yaml');
const [secret] = load('secret.yaml');
const container = deployment.spec.template.spec.containers[0];
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');

/** The port a probe or Service names, resolved through the container's named ports. */
const portOf = (port: string | number) => (typeof port === 'number' ? port : container.ports.find((p: { name: string }) => p.name === port)?.containerPort);

describe('deploy/k8s manifests', () => {
  test('kustomization lists every manifest', () => {
    const [kustomization] = load('kustomization.yaml');
    expect(kustomization.resources.sort()).toEqual(['configmap.yaml', 'deployment.yaml', 'secret.yaml', 'service.yaml']);
  });

  test('the Deployment runs several stateless replicas of serve --http on the port it declares', () => {
    expect(deployment.kind).toBe('Deployment');
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    const args: string[] = container.args;
    expect(args.slice(0, 3)).toEqual(['serve', '--http', '0.0.0.0:8080']);
    expect(args).toContain('--stateless');
    expect(portOf('http')).toBe(8080);
  });

  test('readiness and liveness probes use /readyz and /healthz on the served port', () => {
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(portOf(container.readinessProbe.httpGet.port)).toBe(8080);
    expect(portOf(container.livenessProbe.httpGet.port)).toBe(8080);
  });

  test('the token comes from the Secret and the config from the ConfigMap, mounted where --config points', () => {
    const token = container.env.find((e: { name: string }) => e.name === 'MCP_HOST_TOKEN');
    expect(token.valueFrom.secretKeyRef.name).toBe(secret.metadata.name);
    expect(Object.keys(secret.stringData)).toContain(token.valueFrom.secretKeyRef.key);
    const configArg: string = container.args[container.args.indexOf('--config') + 1];
    const mount = container.volumeMounts.find((m: { mountPath: string }) => configArg.startsWith(`${m.mountPath}/`));
    const volume = deployment.spec.template.spec.volumes.find((v: { name: string }) => v.name === mount.name);
    expect(volume.configMap.name).toBe(configMap.metadata.name);
    expect(Object.keys(configMap.data)).toContain(configArg.slice(mount.mountPath.length + 1));
  });

  test('the pod runs as non-root and the Service targets the named port', () => {
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
    expect(portOf(service.spec.ports[0].targetPort)).toBe(8080);
  });

  test('the Dockerfile is multi-stage, runs as non-root, checks /healthz and starts the CLI', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "dist\/cli\/mcp-host\.js"\]$/m);
    expect(dockerfile).toMatch(/^EXPOSE 8080$/m);
    expect(dockerfile).toMatch(/^CMD \["serve", "--http", "0\.0\.0\.0:8080"/m);
  });

  test('the ConfigMap plugins.json with the Deployment args and the Secret env serves, probes answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-host-k8s-'));
    const configPath = join(dir, 'plugins.json');
    writeFileSync(configPath, configMap.data['plugins.json']);
    // The Deployment's own arguments, on a free port instead of 8080.
    const args: string[] = container.args.slice(3).filter((a: string, i: number, all: string[]) => a !== '--config' && all[i - 1] !== '--config');
    const host = await spawnHttpHost({ configPath, listen: '0.0.0.0:0', args, env: { MCP_HOST_TOKEN: secret.stringData.token } });
    try {
      expect(host.stderr()).toMatch(/stateless, bearer token required/);
      expect((await fetch(`${host.base}/healthz`)).status).toBe(200);
      let ready = 0;
      for (let i = 0; i < 50 && ready !== 200; i++) {
        ready = (await fetch(`${host.base}/readyz`)).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready).toBe(200);
      const { client } = await connectHttp(host.url, { token: secret.stringData.token });
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('hello__greet');
      await client.close();
    } finally {
      await host.stop();
    }
  });
});
