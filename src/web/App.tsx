import { lazy, Suspense } from 'react';
import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useSession } from './session';
import { Layout } from './components/Layout';
import { LoginPage } from './pages/LoginPage';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { SecondFactorPage } from './pages/SecondFactorPage';
import { TodayPage } from './pages/TodayPage';
import { SessionPage } from './pages/SessionPage';
import { AssessPage, DosePage } from './pages/DosePage';
import { PeoplePage } from './pages/PeoplePage';
import { CommissionerLanding } from './pages/CommissionerLanding';

// The hatch's screens load with the app; the record (with its charts), prescribing, the register and
// admin load when first opened, so the first screen at the hatch comes up sooner.
const PersonPage = lazy(() => import('./pages/PersonPage').then((m) => ({ default: m.PersonPage })));
const PrescribingPage = lazy(() => import('./pages/PrescribingPage').then((m) => ({ default: m.PrescribingPage })));
const RegisterPage = lazy(() => import('./pages/RegisterPage').then((m) => ({ default: m.RegisterPage })));
const WorkListsPage = lazy(() => import('./pages/WorkListsPage').then((m) => ({ default: m.WorkListsPage })));
const MethadoneImportPage = lazy(() => import('./pages/MethadoneImportPage').then((m) => ({ default: m.MethadoneImportPage })));
const ImportsPage = lazy(() => import('./pages/ImportsPage').then((m) => ({ default: m.ImportsPage })));
const ExportsPage = lazy(() => import('./pages/ExportsPage').then((m) => ({ default: m.ExportsPage })));
const AdminPage = lazy(() => import('./pages/AdminPage').then((m) => ({ default: m.AdminPage })));
const ArrivalsPage = lazy(() => import('./pages/ArrivalsPage').then((m) => ({ default: m.ArrivalsPage })));
const ReportsPage = lazy(() => import('./pages/ReportsPage').then((m) => ({ default: m.ReportsPage })));
const TravelReportPage = lazy(() => import('./pages/TravelReportPage').then((m) => ({ default: m.TravelReportPage })));
const ContinuityPage = lazy(() => import('./continuity/ContinuityPage').then((m) => ({ default: m.ContinuityPage })));
const ContinuityPlanPage = lazy(() => import('./continuity/PlanPage').then((m) => ({ default: m.PlanPage })));
const PeerSupportPage = lazy(() => import('./continuity/PeerSupportPage').then((m) => ({ default: m.PeerSupportPage })));

const EmergencyAccessPage = lazy(() => import('./pages/BreakGlassPage').then((m) => ({ default: m.EmergencyAccessPage })));
const BreakGlassLogPage = lazy(() => import('./pages/BreakGlassPage').then((m) => ({ default: m.BreakGlassLogPage })));

// The service-user portal (/portal/*) is its own small app with its own sign-in.
const PortalApp = lazy(() => import('./portal/PortalApp').then((m) => ({ default: m.PortalApp })));

const loading = (
  <Center h="50vh">
    <Loader role="status" aria-label="Loading" />
  </Center>
);

export function App() {
  const { info, loading: starting } = useSession();
  const { pathname } = useLocation();
  if (pathname === '/portal' || pathname.startsWith('/portal/')) {
    return (
      <Suspense fallback={loading}>
        <PortalApp />
      </Suspense>
    );
  }
  if (starting) {
    return (
      <Center h="100vh">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  }
  if (!info) {
    return (
      <Routes>
        <Route path="*" element={<LoginPage />} />
      </Routes>
    );
  }
  if (info.secondFactor) return <SecondFactorPage mode={info.secondFactor} />;
  if (info.staff.mustChangePassword) return <ChangePasswordPage forced />;
  return (
    <Layout>
      <Suspense fallback={loading}>
        <Routes>
          <Route path="/" element={<Navigate to="/today" replace />} />
          <Route path="/today" element={<CommissionerLanding><TodayPage /></CommissionerLanding>} />
          <Route path="/sessions/:sessionId" element={<SessionPage />} />
          <Route path="/sessions/:sessionId/assess/:serviceUserId" element={<AssessPage />} />
          <Route path="/doses/:doseId" element={<DosePage />} />
          <Route path="/people" element={<PeoplePage />} />
          <Route path="/people/:serviceUserId" element={<PersonPage />} />
          <Route path="/emergency-access" element={<EmergencyAccessPage />} />
          <Route path="/admin/break-glass" element={<BreakGlassLogPage />} />
          <Route path="/work-lists" element={<WorkListsPage />} />
          <Route path="/methadone-import" element={<MethadoneImportPage />} />
          <Route path="/imports" element={<ImportsPage />} />
          <Route path="/exports" element={<ExportsPage />} />
          <Route path="/prescribing" element={<PrescribingPage />} />
          <Route path="/register" element={<RegisterPage />} />
          <Route path="/admin" element={<AdminPage />} />
          <Route path="/arrivals" element={<ArrivalsPage />} />
          <Route path="/reports/travel" element={<TravelReportPage />} />
          <Route path="/reports" element={<ReportsPage />} />
          <Route path="/continuity" element={<ContinuityPage />} />
          <Route path="/continuity/plans/:recordId" element={<ContinuityPlanPage />} />
          <Route path="/peer-support" element={<PeerSupportPage />} />
          <Route path="/password" element={<ChangePasswordPage />} />
          <Route path="*" element={<Navigate to="/today" replace />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}
