import { z } from 'zod';
import { ClinicParams, errors } from '../../contract/common';
import { StaffMember } from '../../contract/staff';
import { clinicStaff } from '../../store/staff';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { staffOut } from '../staff-access';

export function registerListStaff(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/staff',
    {
      schema: {
        summary: 'Staff of a clinic with their roles there',
        tags: ['staff'],
        params: ClinicParams,
        response: { 200: z.object({ staff: z.array(StaffMember) }), ...errors(401, 403, 404) },
      },
    },
    async (req) => ({ staff: (await clinicStaff(ctx.db.orm, clinicIdOf(req))).map(staffOut) }),
  );
}
