import { errors } from '../../contract/common';
import { SetRolesRequest, StaffMember, StaffMemberRemoved, StaffParams } from '../../contract/staff';
import { clinicStaff, setRoles } from '../../store/staff';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { conflict } from '../errors';
import { memberOfThisClinic, staffOut } from '../staff-access';
import { sendWrite } from '../write';

/** Replace someone's roles at this clinic; no roles removes them from it. A clinic keeps at least one administrator. */
export function registerSetRoles(app: App, ctx: AppContext) {
  app.put(
    '/api/v1/clinics/:clinicId/staff/:staffId/roles',
    {
      schema: {
        summary: 'Set a staff member\'s roles at this clinic',
        tags: ['staff'],
        params: StaffParams,
        body: SetRolesRequest,
        response: {
          200: StaffMember.or(StaffMemberRemoved),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const member = await memberOfThisClinic(ctx.db.orm, req);
      return sendWrite(ctx, req, reply, 200, async (w) => {
        if (member.roles.includes('admin') && !req.body.roles.includes('admin')) {
          const admins = (await clinicStaff(w.tx, clinicId)).filter((m) => m.roles.includes('admin'));
          if (admins.length <= 1) {
            throw conflict('last_admin', 'This is the clinic\'s only administrator; make someone else an administrator first');
          }
        }
        await setRoles(w, clinicId, member.staffId, req.body.roles);
        const [after] = await clinicStaff(w.tx, clinicId, member.staffId);
        return after ? staffOut(after) : { staffId: member.staffId, removed: true as const };
      });
    },
  );
}
