import { isDeepStrictEqual } from 'node:util';
import type { AuditLog } from '../audit/audit-log.js';
import type { InstanceConfig } from '../config/config-types.js';
import { CallPolicy } from './call-policy.js';

/**
 * The policy of each instance, kept across its generations: a rebuild whose `timeoutMs` and `limits` did not
 * change gets the same policy (same counters); changed settings get a fresh one.
 */
export class CallPolicies {
  private readonly byInstance = new Map<string, { settings: Pick<InstanceConfig, 'timeoutMs' | 'limits'>; policy: CallPolicy }>();

  constructor(private readonly audit?: AuditLog) {}

  for(instance: InstanceConfig): CallPolicy {
    const settings = { timeoutMs: instance.timeoutMs, limits: instance.limits };
    const known = this.byInstance.get(instance.id);
    if (known && isDeepStrictEqual(known.settings, settings)) return known.policy;
    const policy = new CallPolicy(instance.id, settings, this.audit);
    this.byInstance.set(instance.id, { settings, policy });
    return policy;
  }
}
