import { ToolVetting } from '../../gateway/tool-vetting.js';
import { Insights } from '../insights.js';
import { ProviderKeys } from '../providers.js';
import type { Warden } from '../warden.js';
import { approvalHandlers } from './approvals.js';
import { insightHandlers } from './insights.js';
import { ledgerHandlers } from './ledger.js';
import type { Handlers, HostParts } from './methods.js';
import { promptHandlers } from './prompts.js';
import { providerHandlers } from './providers.js';
import { runHandlers } from './runs.js';
import { toolHandlers } from './tools.js';

/** The host's parts over a Warden, built once and shared by the handlers (close `insights` after). */
export function hostParts(warden: Warden): HostParts {
  return {
    warden,
    insights: new Insights(warden),
    providerKeys: new ProviderKeys(warden),
    vetting: new ToolVetting(warden.ledger),
    sign: warden.keyWrapper ? { wrapper: warden.keyWrapper } : {},
  };
}

/** Every method's handler, group by group; a method no group handles does not compile. */
export function consoleHandlers(parts: HostParts): Handlers {
  return {
    ...runHandlers(parts),
    ...approvalHandlers(parts),
    ...ledgerHandlers(parts),
    ...insightHandlers(parts),
    ...promptHandlers(parts),
    ...providerHandlers(parts),
    ...toolHandlers(parts),
  };
}
