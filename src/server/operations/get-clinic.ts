import { eq } from 'drizzle-orm';
import { Clinic } from '../../contract/clinics';
import { ClinicParams, errors } from '../../contract/common';
import { currentSettings } from '../../store/clinics';
import { clinics } from '../../store/schema';
import type { App, AppContext } from '../context';
import { clinicIdOf, clinicOut } from '../clinic-output';
import { clinicNotFound } from '../errors';

export function registerGetClinic(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId',
    {
      schema: {
        summary: 'A clinic and its current settings',
        tags: ['clinics'],
        params: ClinicParams,
        response: { 200: Clinic, ...errors(401, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const [clinic] = await ctx.db.orm.select().from(clinics).where(eq(clinics.clinicId, clinicId));
      const settings = await currentSettings(ctx.db.orm, clinicId);
      if (!clinic || !settings) throw clinicNotFound();
      return clinicOut(clinic.createdAt, settings);
    },
  );
}
