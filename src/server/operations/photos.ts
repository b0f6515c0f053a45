import { z } from 'zod';
import { errors } from '../../contract/common';
import { PhotoMeta, ServiceUserParams, UploadPhotoRequest } from '../../contract/service-users';
import { photoProblem, MAX_PHOTO_BYTES } from '../../domain/service-user/photo';
import { addPhoto, currentPhoto, serviceUserExists } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest, notFound } from '../errors';
import { idParam } from '../clinical/output';
import { sendWrite } from '../write';

/** Identity photos for the check at the hatch: kept in the database (and backups); every view audited. */
export function registerPhotos(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/photo',
    {
      bodyLimit: Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 4096,
      schema: {
        summary: 'Add an identity photo (the newest is the one shown)',
        tags: ['service users'],
        params: ServiceUserParams,
        body: UploadPhotoRequest,
        response: { 201: PhotoMeta, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(req.body.dataBase64)) throw badRequest('dataBase64', 'is not base64');
      const image = Buffer.from(req.body.dataBase64, 'base64');
      const problem = photoProblem(image, req.body.contentType);
      if (problem) throw badRequest('dataBase64', `the image ${problem}`);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        if (!(await serviceUserExists(w.tx, clinicId, serviceUserId))) throw notFound('Service user');
        const meta = await addPhoto(w, clinicId, serviceUserId, req.body.contentType, image);
        return { ...meta, recordedAt: meta.recordedAt.toISOString() };
      });
    },
  );

  app.get(
    '/api/v1/clinics/:clinicId/service-users/:serviceUserId/photo',
    {
      schema: {
        summary: 'The current identity photo (image bytes)',
        tags: ['service users'],
        params: ServiceUserParams,
        response: { 200: z.any().describe('image/jpeg, image/png or image/webp'), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const photo = await currentPhoto(ctx.db.orm, clinicId, serviceUserId);
      if (!photo) throw notFound('Photo');
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'service_user_photo', entityId: photo.photoId, details: { serviceUserId } });
      return reply
        .header('content-type', photo.contentType)
        .header('cache-control', 'no-store')
        .header('content-disposition', 'inline')
        .send(Buffer.from(photo.image));
    },
  );
}
