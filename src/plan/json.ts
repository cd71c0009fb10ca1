import { planView, type CampaignView } from './view.js';
import type { Plan, PlanJson, PlanJsonCampaign } from './types.js';

// Each plan's JSON is built once (from its view) and shared by every reader: plan.json, the outputs, --json.
const planJsonOf = new WeakMap<Plan, Readonly<PlanJson>>();

/** The plan JSON of the product contract, section 4: the contract's fields of the plan's view, in the contract's order. */
export function toPlanJson(plan: Plan): Readonly<PlanJson> {
  let json = planJsonOf.get(plan);
  if (json === undefined) {
    const view = planView(plan);
    json = {
      version: 1,
      digest: view.digest,
      service: view.service,
      offline: view.offline,
      campaigns: view.campaigns.map(toPlanJsonCampaign),
      unmanaged: view.unmanaged,
      totals: view.totals,
    };
    planJsonOf.set(plan, json);
  }
  return json;
}

/** 1 when a campaign is invalid or in conflict, as `plan` and `apply` exit. */
export function planExitCode(plan: Plan): 0 | 1 {
  return plan.campaigns.some((entry) => entry.action === 'invalid' || entry.action === 'conflict') ? 1 : 0;
}

function toPlanJsonCampaign(view: CampaignView): PlanJsonCampaign {
  return {
    name: view.name,
    file: view.file,
    action: view.action,
    digest: view.digest,
    batchId: view.batchId,
    remoteStatus: view.remoteStatus,
    recipients: view.recipients,
    duplicatesRemoved: view.duplicatesRemoved,
    invalidSkipped: view.invalidSkipped,
    encoding: view.encoding,
    characters: view.characters,
    parts: view.parts,
    nonGsmCharacters: view.nonGsmCharacters,
    estimatedCredits: view.estimatedCredits,
    stoplisted: view.stoplisted,
    byCountry: view.byCountry,
    deferred: view.deferred,
    warnings: view.warnings,
    errors: view.errors,
  };
}
