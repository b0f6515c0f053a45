import type { App, AppContext } from '../context';
import { registerAddStaff } from './add-staff';
import { registerChangePassword } from './change-password';
import { registerChangeSettings } from './change-settings';
import { registerClinicAudit } from './clinic-audit';
import { registerCreateClinic } from './create-clinic';
import { registerDownloadBackup } from './download-backup';
import { registerDeploymentAudit } from './deployment-audit';
import { registerGetClinic } from './get-clinic';
import { registerGetStaff } from './get-staff';
import { registerHealth } from './health';
import { registerListClinics } from './list-clinics';
import { registerListStaff } from './list-staff';
import { registerLogin } from './login';
import { registerLogout } from './logout';
import { registerOpenApi } from './openapi';
import { registerResetPassword } from './reset-password';
import { registerSession } from './session';
import { registerSecondFactor } from './second-factor';
import { registerSetRoles } from './set-roles';
import { registerSettingsHistory } from './settings-history';
import { registerUnlockStaff } from './unlock-staff';
import { registerUpdateStaff } from './update-staff';
import { registerCreateServiceUser } from './create-service-user';
import { registerEpisodes } from './episodes';
import { registerGetServiceUser } from './get-service-user';
import { registerListServiceUsers } from './list-service-users';
import { registerPhotos } from './photos';
import { registerPrescriptions } from './prescriptions';
import { registerReviews } from './reviews';
import { registerServiceUserHistory } from './service-user-history';
import { registerUpdateServiceUser } from './update-service-user';
import { registerCdEntries } from './cd-entries';
import { registerCdItems } from './cd-items';
import { registerCdPatientReturns } from './cd-patient-returns';
import { registerCdStockChecks } from './cd-stock-checks';
import { registerCdVerify } from './cd-verify';
import { registerDoseList } from './dose-list';
import { registerDoseSteps, registerPersonDoses } from './dose-steps';
import { registerDosingExceptions } from './dosing-exceptions';
import { registerDosingSessions } from './dosing-sessions';
import { careOperations } from '../care';
import { takeHomeOperations } from '../take-home';
import { arrivalOperations } from '../arrival';
import { continuityOperations } from '../continuity';
import { portalOperations } from '../portal';
import { reportsOperations } from '../reports';
import { fhirOperations } from '../fhir';
import { exportsOperations } from '../exports';
import { importsOperations } from '../imports';
import { breakGlassOperations } from '../break-glass';

/** Every operation of the API, one file each. */
export const operations: ((app: App, ctx: AppContext) => void)[] = [
  registerHealth,
  registerOpenApi,
  registerLogin,
  registerLogout,
  registerSession,
  registerSecondFactor,
  registerChangePassword,
  registerListClinics,
  registerCreateClinic,
  registerGetClinic,
  registerChangeSettings,
  registerSettingsHistory,
  registerListStaff,
  registerAddStaff,
  registerGetStaff,
  registerUpdateStaff,
  registerSetRoles,
  registerUnlockStaff,
  registerResetPassword,
  registerClinicAudit,
  registerDeploymentAudit,
  registerDownloadBackup,
  registerListServiceUsers,
  registerCreateServiceUser,
  registerGetServiceUser,
  registerUpdateServiceUser,
  registerServiceUserHistory,
  registerPhotos,
  registerEpisodes,
  registerPrescriptions,
  registerReviews,
  registerCdItems,
  registerCdEntries,
  registerCdStockChecks,
  registerCdPatientReturns,
  registerCdVerify,
  registerDosingSessions,
  registerDoseSteps,
  registerPersonDoses,
  registerDoseList,
  registerDosingExceptions,
  ...careOperations,
  ...takeHomeOperations,
  ...arrivalOperations,
  ...continuityOperations,
  ...portalOperations,
  ...reportsOperations,
  ...fhirOperations,
  ...exportsOperations,
  ...importsOperations,
  ...breakGlassOperations,
];
