import { defineConfig } from "vite";

// Everything is bundled locally: no CDN, no remote fonts. The app works offline.
export default defineConfig({
  clearScreen: false,
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
  },
  test: {
    environment: "node",
  },
} as never);
