import { errors } from '../../contract/common';
import { StaffMember, StaffParams, UpdateStaffRequest } from '../../contract/staff';
import { registrationProblems } from '../../domain/staff/registration';
import { clinicStaff, toProfile, updateProfile } from '../../store/staff';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest, invalid } from '../errors';
import { ensureMayManage, memberOfThisClinic, staffOut } from '../staff-access';
import { sendWrite } from '../write';

/** Name and professional registration (for prescribers, the Home Office licence and its expiry). */
export function registerUpdateStaff(app: App, ctx: AppContext) {
  app.patch(
    '/api/v1/clinics/:clinicId/staff/:staffId',
    {
      schema: {
        summary: 'Change a staff member\'s name or professional registration',
        tags: ['staff'],
        params: StaffParams,
        body: UpdateStaffRequest,
        response: { 200: StaffMember, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const member = await memberOfThisClinic(ctx.db.orm, req);
      const before = await ensureMayManage(ctx.db.orm, req, member.staffId);
      // Nothing to change was a 500 from the database layer (found by the fuzzer): say so instead.
      if (Object.keys(stripUndefined(req.body)).length === 0) throw badRequest('(body)', 'give at least one field to change');
      const merged = { ...toProfile(before).registration, ...stripUndefined(req.body) };
      const problems = registrationProblems(merged);
      if (problems.length > 0) throw invalid(problems);
      return sendWrite(ctx, req, reply, 200, async (w) => {
        await updateProfile(w, clinicId, before, stripUndefined(req.body));
        const [after] = await clinicStaff(w.tx, clinicId, member.staffId);
        return staffOut(after!);
      });
    },
  );
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
