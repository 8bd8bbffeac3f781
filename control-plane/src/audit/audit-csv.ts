import { csvLine } from '../reports/csv.ts';
import type { AuditEventResponse } from './audit-queries.ts';

export const AUDIT_CSV_COLUMNS = [
  'id',
  'createdAt',
  'action',
  'actorUserId',
  'actorEmail',
  'actorIp',
  'subjectType',
  'subjectId',
  'detail',
] as const;

/** A CSV of audit events with a header line; `detail` as its JSON text. */
export function auditCsvStream(events: AsyncIterable<AuditEventResponse>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLine([...AUDIT_CSV_COLUMNS])));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      const event = next.value;
      controller.enqueue(
        encoder.encode(
          csvLine(
            AUDIT_CSV_COLUMNS.map((column) =>
              column === 'detail' ? JSON.stringify(event.detail) : event[column],
            ),
          ),
        ),
      );
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
