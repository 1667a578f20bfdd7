// The constant electron-vite replaces in the main bundle (true only under `electron-vite dev`).
interface ImportMetaEnv {
  readonly DEV: boolean;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
