/**
 * Status writes, told apart from other commits by identity alone. Most commits of the workload
 * kinds are their controllers' status writes (in the 30,000-pod bench a third of all commits:
 * ReplicaSet and Deployment status), and the API server's status subresource copies the stored
 * object shallowly (cluster/api-server.ts updateStatus): the new version keeps the very spec and
 * ownerReferences objects of the old one. Stored objects are never mutated, so the same object
 * means the same contents, and an observer that reads only those may skip the commit — whatever
 * the write was (the start of a deletion, or a metadata-only update, keeps both objects too, and
 * is skipped as rightly). A write that builds them anew is observed as before: identity can only
 * err towards looking.
 */
import type { WatchEvent } from '../cluster/api-server.js';

/** Whether a commit is a MODIFIED that keeps the previous version's spec and ownerReferences. */
export function keepsSpecAndOwners(commit: WatchEvent): boolean {
  const old = commit.oldObject as { readonly spec?: unknown; readonly metadata: WatchEvent['object']['metadata'] } | undefined;
  if (commit.type !== 'MODIFIED' || old === undefined) return false;
  const obj = commit.object as { readonly spec?: unknown; readonly metadata: WatchEvent['object']['metadata'] };
  return old.spec === obj.spec && old.metadata.ownerReferences === obj.metadata.ownerReferences;
}
