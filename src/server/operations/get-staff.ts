import { errors } from '../../contract/common';
import { StaffMember, StaffParams } from '../../contract/staff';
import type { App, AppContext } from '../context';
import { memberOfThisClinic, staffOut } from '../staff-access';

export function registerGetStaff(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/staff/:staffId',
    {
      schema: {
        summary: 'One member of a clinic\'s staff',
        tags: ['staff'],
        params: StaffParams,
        response: { 200: StaffMember, ...errors(401, 403, 404) },
      },
    },
    async (req) => staffOut(await memberOfThisClinic(ctx.db.orm, req)),
  );
}
