/**
 * Who may change a staff account's credentials (password reset, unlock, registration details).
 *
 * An account is one person across every clinic they work at, so a clinic administrator could
 * otherwise reset the password of someone who also works elsewhere and act as them there. An
 * administrator may manage an account only when they administer *every* clinic the account works
 * at; otherwise (and always for deployment administrators' accounts) only a deployment
 * administrator may.
 */
export interface AccountManager {
  deploymentAdmin: boolean;
  adminAtClinics: ReadonlySet<string>;
}

export interface ManagedAccount {
  deploymentAdmin: boolean;
  clinics: ReadonlySet<string>;
}

export type ManageDecision = { allowed: true } | { allowed: false; reason: string };

export function mayManageAccount(manager: AccountManager, account: ManagedAccount): ManageDecision {
  if (manager.deploymentAdmin) return { allowed: true };
  if (account.deploymentAdmin) {
    return { allowed: false, reason: 'only a deployment administrator may change a deployment administrator\'s account' };
  }
  for (const clinic of account.clinics) {
    if (!manager.adminAtClinics.has(clinic)) {
      return {
        allowed: false,
        reason: 'this person also works at a clinic you do not administer; ask a deployment administrator',
      };
    }
  }
  return { allowed: true };
}
