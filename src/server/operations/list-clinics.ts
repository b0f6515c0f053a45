import { z } from 'zod';
import { ClinicSummary } from '../../contract/clinics';
import { errors } from '../../contract/common';
import { listClinics } from '../../store/clinics';
import { rolesByClinic } from '../../store/staff';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';

export function registerListClinics(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics',
    {
      schema: {
        summary: 'Clinics you work at (deployment administrators see every clinic)',
        tags: ['clinics'],
        response: { 200: z.object({ clinics: z.array(ClinicSummary) }), ...errors(401) },
      },
    },
    async (req) => {
      const { staff } = signedIn(req);
      const roles = await rolesByClinic(ctx.db.orm, staff.staffId);
      const clinics = await listClinics(ctx.db.orm, staff.deploymentAdmin ? undefined : [...roles.keys()]);
      return {
        clinics: clinics.map((c) => ({ clinicId: c.clinicId, name: c.name, timeZone: c.timeZone, member: roles.has(c.clinicId) })),
      };
    },
  );
}
