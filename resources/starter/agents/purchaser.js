// The purchaser's program. It runs in Warden's sandbox: an isolate with no network, no files,
// no timers and no imports, that reaches the world only through `warden`:
//   warden.tool('server.tool', args)   a governed tool call (the gateway may deny it, or wait
//                                      for a person's approval)
//   warden.model({ messages })         a call to the agent's model: { text, toolCalls, usage }
//   warden.handoff(agent, { intent })  a task for another agent
//   warden.log(...parts)               a line in the run's trace
// Delete this file and the agent runs the standard loop instead: its model is offered the
// manifest's tools and decides which to call.
//
// The task is the JSON given to `warden run --input`, here { "item": "paper", "quantity": 10 }.
export default async function purchase(task, warden) {
  const wanted = String(task?.item ?? '');
  const quantity = Number(task?.quantity ?? 1);
  if (!Number.isInteger(quantity) || quantity < 1)
    return { ordered: false, reason: 'quantity must be a whole number, 1 or more' };

  // A read: allowed as soon as the tool is on the manifest.
  const item = await warden.tool('supplies.find_item', { query: wanted });
  if (!item.found) return { ordered: false, reason: `no item matches "${wanted}"` };

  // A write that moves money. Under $1,000 it runs now; from $1,000 this call waits until a
  // person approves it (warden approvals list, or the console); above $10,000 it is drafted.
  const totalUsd = Math.round(item.unitPriceUsd * quantity * 100) / 100;
  warden.log(`ordering ${quantity} x ${item.sku} for $${totalUsd}`);
  let order;
  try {
    order = await warden.tool('supplies.place_order', { sku: item.sku, quantity, totalUsd });
  } catch (error) {
    // E_POLICY_REJECTED: a person said no, or nobody decided in time; E_POLICY_DENIED: a rule
    // refused it (a guardrail, the budget). Anything else (the server failed) ends the run.
    if (error.code === 'E_POLICY_REJECTED' || error.code === 'E_POLICY_DENIED') {
      return { ordered: false, reason: error.message };
    }
    throw error;
  }
  if (order.status === 'drafted') return { ordered: false, reason: 'over the limit: drafted for a person', order };

  // The model writes the note for the person who asked (the scripted model: models/starter.yaml).
  const note = await warden.model({
    messages: [
      { role: 'system', content: 'Write a one-line note confirming this order.' },
      { role: 'user', content: JSON.stringify(order) },
    ],
  });
  return { ordered: true, order, note: note.text };
}
