/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_SIGNALING_URL?: string;
  readonly VITE_SIGNALING_PATH?: string;
  readonly VITE_SIGNALING_PROXY?: string;
  readonly VITE_API_URL?: string;
}
