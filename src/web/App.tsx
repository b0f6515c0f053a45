import { lazy, Suspense } from 'react';
import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router';
import { useSession } from './session';
import { Layout } from './components/Layout';
import { LoginPage } from './pages/LoginPage';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { TodayPage } from './pages/TodayPage';
import { SessionPage } from './pages/SessionPage';
import { AssessPage, DosePage } from './pages/DosePage';
import { PeoplePage } from './pages/PeoplePage';

// The hatch's screens load with the app; the record (with its charts), prescribing, the register and
// admin load when first opened, so the first screen at the hatch comes up sooner.
const PersonPage = lazy(() => import('./pages/PersonPage').then((m) => ({ default: m.PersonPage })));
const PrescribingPage = lazy(() => import('./pages/PrescribingPage').then((m) => ({ default: m.PrescribingPage })));
const RegisterPage = lazy(() => import('./pages/RegisterPage').then((m) => ({ default: m.RegisterPage })));
const WorkListsPage = lazy(() => import('./pages/WorkListsPage').then((m) => ({ default: m.WorkListsPage })));
const MethadoneImportPage = lazy(() => import('./pages/MethadoneImportPage').then((m) => ({ default: m.MethadoneImportPage })));
const AdminPage = lazy(() => import('./pages/AdminPage').then((m) => ({ default: m.AdminPage })));

const loading = (
  <Center h="50vh">
    <Loader aria-label="Loading" />
  </Center>
);

export function App() {
  const { info, loading: starting } = useSession();
  if (starting) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
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
  if (info.staff.mustChangePassword) return <ChangePasswordPage forced />;
  return (
    <Layout>
      <Suspense fallback={loading}>
        <Routes>
          <Route path="/" element={<Navigate to="/today" replace />} />
          <Route path="/today" element={<TodayPage />} />
          <Route path="/sessions/:sessionId" element={<SessionPage />} />
          <Route path="/sessions/:sessionId/assess/:serviceUserId" element={<AssessPage />} />
          <Route path="/doses/:doseId" element={<DosePage />} />
          <Route path="/people" element={<PeoplePage />} />
          <Route path="/people/:serviceUserId" element={<PersonPage />} />
          <Route path="/work-lists" element={<WorkListsPage />} />
          <Route path="/methadone-import" element={<MethadoneImportPage />} />
          <Route path="/prescribing" element={<PrescribingPage />} />
          <Route path="/register" element={<RegisterPage />} />
          <Route path="/admin" element={<AdminPage />} />
          <Route path="/password" element={<ChangePasswordPage />} />
          <Route path="*" element={<Navigate to="/today" replace />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}
