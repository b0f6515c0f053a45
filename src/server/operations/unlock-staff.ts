import { errors } from '../../contract/common';
import { StaffMember, StaffParams } from '../../contract/staff';
import { clinicStaff, unlockAccount } from '../../store/staff';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { ensureMayManage, memberOfThisClinic, staffOut } from '../staff-access';
import { sendWrite } from '../write';

export function registerUnlockStaff(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/staff/:staffId/unlock',
    {
      schema: {
        summary: 'Unlock an account locked by wrong passwords',
        tags: ['staff'],
        params: StaffParams,
        response: { 200: StaffMember, ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const member = await memberOfThisClinic(ctx.db.orm, req);
      await ensureMayManage(ctx.db.orm, req, member.staffId);
      return sendWrite(ctx, req, reply, 200, async (w) => {
        await unlockAccount(w, member.staffId, clinicId);
        const [after] = await clinicStaff(w.tx, clinicId, member.staffId);
        return staffOut(after!);
      });
    },
  );
}
