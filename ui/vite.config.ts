import { defineConfig } from "vite";

// Everything is bundled locally: no CDN, no remote fonts. The app works offline.
export default defineConfig({
  clearScreen: false,
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // The projection screen and its chart library (550 kB) are a chunk of their own, loaded
    // with that screen (`import()` in main.ts), so the window starts without them.
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "node",
  },
} as never);
