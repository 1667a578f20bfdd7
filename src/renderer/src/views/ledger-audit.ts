import { useCallback, useEffect, useRef, useState } from 'react';
import type { InclusionProof, SignedCheckpoint } from '../../../shared/audit.js';
import type { WardenClient } from '../client.js';
import { saveText } from '../download.js';
import { count } from '../format.js';
import { useStore } from '../store.js';
import { proofFileName } from './LedgerAudit.js';

/**
 * The latest signed checkpoint and the proof of the event selected. A proof asked for an
 * event no longer selected is dropped, so a quick run of clicks cannot show the wrong one.
 */
export function useAudit(client: WardenClient) {
  const notify = useStore((s) => s.notify);
  const [checkpoint, setCheckpoint] = useState<SignedCheckpoint | null>(null);
  const [checkpointError, setCheckpointError] = useState<string | null>(null);
  const [signing, setSigning] = useState(false);
  const [seq, setSeq] = useState<number | null>(null);
  const [proof, setProof] = useState<InclusionProof | null>(null);
  const [proofError, setProofError] = useState<string | null>(null);
  const wanted = useRef<number | null>(null);

  const select = useCallback(
    (next: number | null) => {
      wanted.current = next;
      setSeq(next);
      setProof(null);
      setProofError(null);
      if (next === null) return;
      client.call('ledger.proof', { seq: next }).then(
        (p) => {
          if (wanted.current === next) setProof(p);
        },
        (error: Error) => {
          if (wanted.current === next) setProofError(error.message);
        },
      );
    },
    [client],
  );

  // Opening the view reads the latest checkpoint; signing one (when events came after it) is asked for.
  const read = useCallback(
    async (sign = false) => {
      setSigning(true);
      try {
        const latest = await client.call('ledger.checkpoint', { sign });
        setCheckpointError(null);
        setCheckpoint(latest);
        return latest;
      } catch (error) {
        setCheckpointError((error as Error).message);
        return null;
      } finally {
        setSigning(false);
      }
    },
    [client],
  );

  useEffect(() => {
    void read();
  }, [read]);

  const sign = async () => {
    const before = checkpoint;
    const latest = await read(true);
    if (!latest) return;
    if (before && before.size === latest.size && before.rootHash === latest.rootHash)
      notify('ok', `No events since the checkpoint of ${count(latest.size)} events: it still stands`);
    else notify('ok', `Signed a checkpoint of ${count(latest.size)} events`);
    // The selected event's proof now leads to the new checkpoint.
    if (wanted.current !== null) select(wanted.current);
  };

  const download = () => {
    if (!proof) return;
    saveText(proofFileName(proof.event.seq), `${JSON.stringify(proof, null, 2)}\n`, 'application/json');
  };

  return { checkpoint, checkpointError, signing, sign, seq, proof, proofError, select, download };
}
