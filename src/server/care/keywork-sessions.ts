import { checkKeyworkSession, KeyworkSessionData } from '../../domain/care/care-plan';
import type { App, AppContext } from '../context';
import { registerCareRecordRoutes } from './care-routes';

/** Key-work sessions: attended (with length, topics and notes), not attended, or cancelled, and when the next one is. */
export function registerKeyworkSessions(app: App, ctx: AppContext) {
  registerCareRecordRoutes(app, ctx, {
    kind: 'keywork_session',
    path: 'keywork-sessions',
    noun: 'key-work session',
    tag: 'care',
    data: KeyworkSessionData,
    check: (data, _person, when) => checkKeyworkSession(data, when.effectiveDate),
  });
}
