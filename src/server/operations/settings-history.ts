import { z } from 'zod';
import { SettingsVersion } from '../../contract/clinics';
import { ClinicParams, errors } from '../../contract/common';
import { settingsHistory } from '../../store/clinics';
import type { App, AppContext } from '../context';
import { clinicIdOf, settingsVersionOut } from '../clinic-output';

export function registerSettingsHistory(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/clinics/:clinicId/settings/history',
    {
      schema: {
        summary: 'Every version of a clinic\'s settings, newest first',
        tags: ['clinics'],
        params: ClinicParams,
        response: { 200: z.object({ versions: z.array(SettingsVersion) }), ...errors(401, 403, 404) },
      },
    },
    async (req) => ({ versions: (await settingsHistory(ctx.db.orm, clinicIdOf(req))).map(settingsVersionOut) }),
  );
}
