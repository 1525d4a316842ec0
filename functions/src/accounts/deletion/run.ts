/**
 * An account deletion, however it was asked for (deleteMyAccount, deleteUser, the Auth onDelete
 * trigger): one record in account_deletions/{uid} says which steps are done and which tombstone id
 * the kept records carry; the steps run in order, each marked done once finished. A crash anywhere
 * leaves the record running: the next attempt (a retried call, the trigger, an admin's deleteUser)
 * skips the finished steps and redoes the interrupted one, which is idempotent. Two runs at once
 * (the callable and the trigger its Auth deletion fires) do the same writes and end the same way.
 */
import { randomBytes } from 'node:crypto';
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { accountDeletions, DELETION_STEPS, users, type AccountDeletionDoc, type AppRole, type DeletionStep } from '@zhengrowth/model';
import { txCreate, txSet, runTx } from '../../core/firestore.js';
import { assertAnotherAdmin } from '../admins.js';
import { recordAudit } from '../audit.js';
import { isUserNotFound, type AccountDeps } from '../deps.js';
import { normalizeRoles } from '../roles.js';
import { STEPS } from './steps.js';

export interface DeletionDeps extends AccountDeps {
  /** Called after each step's work, before the step is marked done (tests crash the run there: the retry must redo that step). */
  afterStep?: (step: DeletionStep) => void;
}

export interface DeletionRequest {
  reason: AccountDeletionDoc['reason'];
  requestedBy: string | null;
  /** The account's e-mail when verified (records made with it are theirs), else null. */
  verifiedEmail: string | null;
  /** Refuse to delete the last admin (the callables; the trigger's Auth user is gone already). */
  keepLastAdmin: boolean;
}

const deletionRef = (deps: AccountDeps, uid: string) => deps.db.doc(accountDeletions.docPath({ uid })).withConverter(accountDeletions.converter);

/**
 * Starts (or resumes) the record. A new deletion also takes the account's roles away in the same
 * transaction: a half-deleted account holds no role, and two admins deleting each other at once
 * conflict on those writes, so the second sees that the other is no admin any more.
 */
async function begin(deps: AccountDeps, uid: string, req: DeletionRequest): Promise<AccountDeletionDoc> {
  const now = Timestamp.fromDate(deps.now());
  const ref = deletionRef(deps, uid);
  // Read raw: a profile the model would refuse must not stop its own deletion.
  const profileRef = deps.db.doc(users.docPath({ uid }));
  return runTx(deps.db, async (tx) => {
    const [cur, profile] = await Promise.all([tx.get(ref).then((s) => s.data()), tx.get(profileRef)]);
    const held: unknown = profile.get('roles');
    const roles: AppRole[] = Array.isArray(held) ? normalizeRoles(held) : [];
    if (cur?.status === 'done') return cur;
    if (cur) {
      const next = { ...cur, attempts: cur.attempts + 1, updated_at: now };
      txSet(tx, ref, next);
      return next;
    }
    if (req.keepLastAdmin && roles.includes('admin')) await assertAnotherAdmin(tx, deps.db, uid);
    const record: AccountDeletionDoc = {
      status: 'running',
      reason: req.reason,
      requested_by: req.requestedBy,
      tombstone_id: `deleted-${randomBytes(12).toString('hex')}`,
      steps_done: [],
      attempts: 1,
      started_at: now,
      updated_at: now,
      finished_at: null,
    };
    txCreate(tx, ref, record);
    if (roles.length) tx.update(profileRef, { roles: [], role_grants: {}, updated_at: now });
    recordAudit(
      tx,
      deps.db,
      {
        action: 'delete_user',
        actor: req.requestedBy,
        subject: uid,
        before: { roles },
        after: { reason: req.reason, tombstone_id: record.tombstone_id },
      },
      now,
    );
    return record;
  });
}

export async function runDeletion(deps: DeletionDeps, uid: string, req: DeletionRequest): Promise<AccountDeletionDoc> {
  const record = await begin(deps, uid, req);
  if (record.status === 'done') return record;
  const ctx = { db: deps.db, auth: deps.auth, uid, tombstone: record.tombstone_id, email: req.verifiedEmail, now: Timestamp.fromDate(deps.now()) };
  const ref = deletionRef(deps, uid);
  for (const step of DELETION_STEPS) {
    if (record.steps_done.includes(step)) continue;
    await STEPS[step](ctx);
    deps.afterStep?.(step);
    await ref.update({ steps_done: FieldValue.arrayUnion(step), updated_at: Timestamp.fromDate(deps.now()) });
  }
  const finishedAt = Timestamp.fromDate(deps.now());
  await ref.update({ status: 'done', finished_at: finishedAt, updated_at: finishedAt });
  return { ...record, status: 'done', steps_done: [...DELETION_STEPS], finished_at: finishedAt };
}

/** The account's e-mail if Firebase Auth verified it (from the Auth user, else from the profile's last sync). */
export async function verifiedEmailOf(deps: AccountDeps, uid: string): Promise<string | null> {
  try {
    const user = await deps.auth.getUser(uid);
    return user.emailVerified && user.email ? user.email.toLowerCase() : null;
  } catch (err) {
    if (!isUserNotFound(err)) throw err;
  }
  const profile = await deps.db.doc(users.docPath({ uid })).get();
  const email: unknown = profile.get('email');
  return profile.get('email_verified') === true && typeof email === 'string' && email ? email.toLowerCase() : null;
}
