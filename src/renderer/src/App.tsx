/** The console's frame. Its views (roster, live runs, approvals, ledger) arrive with the console issue. */
export function App() {
  return (
    <main
      style={{
        fontFamily: 'system-ui, sans-serif',
        padding: 24,
        color: '#e6e6e6',
        background: '#0f1115',
        minHeight: '100vh',
      }}
    >
      <h1 style={{ fontSize: 20, margin: 0 }}>Warden</h1>
      <p style={{ opacity: 0.7 }}>
        The console is being built. The ledger, the sandbox and the warden command work today.
      </p>
    </main>
  );
}
