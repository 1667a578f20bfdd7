import type { InclusionProof, SignedCheckpoint } from '../../../shared/audit.js';
import { count, utcSecond } from '../format.js';

/**
 * What an auditor checks beside the ledger: its latest signed checkpoint, and the proof that a
 * selected event is in a signed tree. Every value comes from the ledger and renders as text.
 */

/**
 * A SHA-256 in hex. Where it does not fit on one line it breaks in the middle, two even halves
 * being easier to compare by eye than a line with a few digits hanging below it.
 */
function Hex({ value, field }: { value: string; field?: string }) {
  const half = Math.ceil(value.length / 2);
  return (
    <code className="hex" data-field={field}>
      {value.slice(0, half)}
      <wbr />
      {value.slice(half)}
    </code>
  );
}

/** The file a proof downloads to; the offline check names the same file. */
export function proofFileName(seq: number): string {
  return `warden-proof-seq-${seq}.json`;
}

/** The latest signed checkpoint: its size, root, time, origin and the key's fingerprint to compare. */
export function CheckpointPanel(props: {
  checkpoint: SignedCheckpoint | null;
  error: string | null;
  /** Events known to have come after the checkpoint. */
  newer: number;
  signing: boolean;
  onSign(): void;
}) {
  const { checkpoint, error, newer, signing, onSign } = props;
  return (
    <section className="audit-card" aria-labelledby="ledger-checkpoint" data-checkpoint>
      <div className="audit-head">
        <h3 id="ledger-checkpoint">Latest checkpoint</h3>
        <button
          onClick={onSign}
          disabled={signing}
          title="Signs a checkpoint of the ledger as it stands, when events came after the latest one"
        >
          {signing ? 'Signing…' : 'Sign a new checkpoint'}
        </button>
      </div>
      {error && <p className="bad">{error}</p>}
      {checkpoint ? (
        <>
          <dl className="facts">
            <dt>Size</dt>
            <dd data-field="size">{count(checkpoint.size)} events</dd>
            <dt>Root hash</dt>
            <dd>
              <Hex value={checkpoint.rootHash} field="root" />
            </dd>
            <dt>Signed at</dt>
            <dd>{utcSecond(checkpoint.time)}</dd>
            <dt>Origin</dt>
            <dd>
              <code className="wrap">{checkpoint.origin}</code>
            </dd>
            <dt>Key fingerprint</dt>
            <dd>
              <Hex value={checkpoint.keyFingerprint} field="fingerprint" />
            </dd>
          </dl>
          <p className="note muted">
            {newer > 0
              ? `${count(newer)} newer event${newer === 1 ? ' is' : 's are'} not covered yet. `
              : 'Covers every event so far. '}
            Compare the key fingerprint with the one on a report’s cover, or the one you were given.
          </p>
        </>
      ) : (
        !error && <p className="muted">Reading the checkpoint…</p>
      )}
    </section>
  );
}

/** The inclusion proof of the selected event: its place, its path to the root, and the checkpoint it leads to. */
export function ProofPanel(props: {
  seq: number | null;
  proof: InclusionProof | null;
  error: string | null;
  /** The checkpoint the panel above shows, to say whether the proof leads to it. */
  latest: SignedCheckpoint | null;
  onDownload(): void;
  onClose(): void;
}) {
  const { seq, proof, error, latest, onDownload, onClose } = props;
  if (seq === null) {
    return (
      <section className="audit-card" aria-labelledby="ledger-proof">
        <h3 id="ledger-proof">Inclusion proof</h3>
        <p className="muted">Select an event to see the proof that it is in the signed ledger.</p>
      </section>
    );
  }
  const c = proof?.checkpoint;
  return (
    <section className="audit-card" aria-labelledby="ledger-proof" data-proof={seq}>
      <div className="audit-head">
        <h3 id="ledger-proof">Inclusion proof of seq {seq}</h3>
        <span className="audit-buttons">
          <button className="primary" onClick={onDownload} disabled={!proof}>
            Download proof
          </button>
          <button className="link" onClick={onClose} aria-label="Close the proof">
            close
          </button>
        </span>
      </div>
      {error && <p className="bad">{error}</p>}
      {!proof || !c ? (
        !error && <p className="muted">Proving…</p>
      ) : (
        <>
          <p className="proof-event">
            <code>{proof.event.type}</code> <span>{proof.event.agentId ?? '—'}</span>{' '}
            <span className="muted">{utcSecond(proof.event.ts)}</span>
          </p>
          <dl className="facts">
            <dt>Event hash</dt>
            <dd>
              <Hex value={proof.event.hash} />
            </dd>
            <dt>Leaf index</dt>
            <dd data-field="leaf">{proof.leafIndex}</dd>
            <dt>Path</dt>
            <dd>
              {proof.path.length === 0
                ? 'empty: the event is the tree’s only leaf'
                : `${proof.path.length} sibling hash${proof.path.length === 1 ? '' : 'es'}, from the leaf up to the root`}
            </dd>
          </dl>
          {proof.path.length > 0 && (
            <ol className="path" aria-label="Path">
              {proof.path.map((hash, i) => (
                <li key={i}>
                  <Hex value={hash} />
                </li>
              ))}
            </ol>
          )}
          <h4>
            Leads to the checkpoint of {count(c.size)} events
            {latest && latest.size === c.size && latest.rootHash === c.rootHash ? (
              <span className="muted"> (the latest, above)</span>
            ) : null}
          </h4>
          <dl className="facts">
            <dt>Root hash</dt>
            <dd>
              <Hex value={c.rootHash} />
            </dd>
            <dt>Signed at</dt>
            <dd>{utcSecond(c.time)}</dd>
            <dt>Key fingerprint</dt>
            <dd>
              <Hex value={c.keyFingerprint} />
            </dd>
          </dl>
          <p className="note muted">Check it offline, with no Warden database:</p>
          <code className="wrap command">
            warden ledger verify-proof {proofFileName(seq)} --key {c.keyFingerprint}
          </code>
        </>
      )}
    </section>
  );
}
